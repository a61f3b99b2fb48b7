// SPDX-License-Identifier: Apache-2.0
// The harm table and the guards of the harms that have rules of their own.
#include "safety/harms.h"

#include <filesystem>

#include "core/names.h"

namespace accord {
namespace {

// "NAME" in a fix stands for the account.
std::string ForUser(std::string text, const std::string& user) {
  if (user.empty()) return text;
  for (std::size_t at = text.find("NAME"); at != std::string::npos;
       at = text.find("NAME", at + user.size())) {
    text.replace(at, 4, user);
  }
  return text;
}

// A home path as the file system reads it: "/Users/a/../b/" is "/Users/b".
std::string Normal(const std::string& path) {
  std::string p = std::filesystem::path(path).lexically_normal().string();
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

// The folder macOS keeps people's homes in (sysadminctl and Setup
// Assistant make /Users/NAME), and the one folder in it that is nobody's.
constexpr std::string_view kUsers = "/Users/";

// The declared accounts this plan creates: in the file, present, not on the Mac.
template <typename Visit>
void ForEachNewAccount(const DesiredState& desired, const DeviceState& mac, Visit&& visit) {
  for (const DesiredUser& u : desired.users) {
    if (u.ensure == Ensure::kPresent && !mac.FindUser(u.name)) {
      visit(u.name, u.home.value_or(std::string(kUsers) + u.name));
    }
  }
}

}  // namespace

HarmSpec SpecOf(Harm harm) {
  switch (harm) {
    case Harm::kDeleteAccount:
      return {"delete an account (its record, password and SecureToken)", Rule::kProtectedAccount,
              "users.NAME.ensure: absent, or policy.unmanaged_users: remove",
              "remove ensure: absent from users.NAME, or declare NAME, if it should stay"};
    case Harm::kEraseHome:
      return {"erase a home folder with its files", Rule::kHomeKept,
              "users.NAME.remove_home: true, beside ensure: absent",
              "drop remove_home to keep the home"};
    case Harm::kEraseHomeInUse:
      return {"erase a home another account has, or give a new account one", Rule::kHomeInUse,
              nullptr,
              "give NAME a home of its own, or drop remove_home; a folder two accounts share is "
              "erased by hand, if at all"};
    case Harm::kEraseNonPersonHome:
      return {"erase a folder that is not a person's home directly in /Users",
              Rule::kHomeOutsideUsers, nullptr,
              "drop remove_home so the folder is kept, and erase it by hand once you have checked "
              "what it holds"};
    case Harm::kEraseSystemHome:
      return {"erase a system account's home (root's /var/root, a daemon's folder)",
              Rule::kSystemHome, nullptr, "drop remove_home from users.NAME"};
    case Harm::kSystemAccount:
      return {"delete or demote a system account the file declares", Rule::kSystemAccount,
              "users.NAME.allow_system_account: true",
              "if NAME is really to be deleted (or lose admin), add allow_system_account: true "
              "to users.NAME; otherwise remove the entry"};
    case Harm::kFileVaultOff:
      return {"turn FileVault off (decrypt the disk)", Rule::kFileVaultOff,
              "filevault.allow_decrypt: true, beside enabled: false",
              "to decrypt this Mac's disk, add filevault.allow_decrypt: true; to leave FileVault "
              "as it is, remove filevault.enabled: false"};
    case Harm::kReplaceRecoveryKey:
      return {"replace the recovery key (the old one stops working)", Rule::kEscrowBeforeEnable,
              "filevault.recovery_key.personal: true, or escrow: required, on a Mac whose key "
              "is missing or not escrowed",
              "install a recovery-key escrow payload from the MDM first"};
    case Harm::kRemoveRecoveryKey:
      return {"remove a personal recovery key", Rule::kRecoveryKeyRemoval, nullptr,
              // fdesetup(8): removerecovery -personal removes the personal key.
              "remove it by hand (sudo fdesetup removerecovery -personal) once another way to "
              "unlock the disk is certain, or drop recovery_key.personal: false"};
    case Harm::kRevokeToken:
      return {"revoke a SecureToken", Rule::kLastTokenAdmin, "users.NAME.secure_token: false",
              "drop secure_token: false from users.NAME"};
    case Harm::kOtherMac:
      return {"any step on a Mac the file or plan is not for", Rule::kDeviceMismatch,
              "--allow-device-mismatch on the command line (device: in the file says which Mac "
              "it is for: its name, serial or hardware UUID)",
              "run it on the Mac that device: names, or correct device:; "
              "--allow-device-mismatch overrides, and the plan and the apply record say so"};
  }
  return {"?", Rule::kUnknownState, nullptr, ""};
}

Refusal HarmRefusal(Harm harm, const std::string& why, const std::string& user) {
  HarmSpec spec = SpecOf(harm);
  return {spec.rule, why, ForUser(spec.fix, user)};
}

std::string HarmsMarkdown() {
  std::string out =
      "| harm | rule | allowed by |\n"
      "|---|---|---|\n";
  for (Harm h : kAllHarms) {
    HarmSpec spec = SpecOf(h);
    out += std::string("| ") + spec.what + " | `" + RuleId(spec.rule) + "` | " +
           (spec.intent ? std::string(spec.intent) : "nothing: a person does it by hand") + " |\n";
  }
  return out;
}

bool SameHome(const std::string& a, const std::string& b, const DeviceState& mac) {
  std::string x = Normal(a);
  std::string y = Normal(b);
  return mac.volume_case_sensitive == true ? x == y : ToLower(x) == ToLower(y);
}

bool IsPersonHome(const std::string& path) {
  if (path.empty() || path.front() != '/') return false;
  std::string p = Normal(path);
  if (p.compare(0, kUsers.size(), kUsers) != 0) return false;
  std::string rest = p.substr(kUsers.size());
  return !rest.empty() && rest.find('/') == std::string::npos && rest != "." && rest != ".." &&
         ToLower(rest) != "shared";
}

std::optional<Refusal> NewHomeInUse(const std::string& name, const std::string& home,
                                    const DesiredState& desired, const DeviceState& mac) {
  auto refuse = [&](const std::string& why) {
    return HarmRefusal(Harm::kEraseHomeInUse, "the new account's home " + home + " " + why, name);
  };
  for (const ObservedUser& u : mac.users) {
    if (!u.home) {
      return refuse("could be " + u.name + "'s: " + u.name +
                    "'s home could not be observed (cannot tell)");
    }
    if (SameHome(*u.home, home, mac)) return refuse("is " + u.name + "'s home");
  }
  for (const ObservedHome& h : mac.homes) {
    if (h.path == "/Users/*" && Normal(home).rfind(kUsers, 0) == 0) {
      return refuse("could already exist with another owner: /Users could not be listed");
    }
    if (!SameHome(h.path, home, mac)) continue;
    return refuse(
        "already exists, " +
        (h.uid ? "owned by UID " + std::to_string(*h.uid) : std::string("its owner not observed")) +
        ": the new account would take over those files");
  }
  std::optional<Refusal> other;
  ForEachNewAccount(desired, mac, [&](const std::string& n, const std::string& path) {
    if (!other && n != name && SameHome(path, home, mac)) {
      other = refuse("is also the home the file gives to the new account " + n);
    }
  });
  return other;
}

std::optional<Refusal> EraseHomeRefusal(const ObservedUser& account, const DesiredState& desired,
                                        const DeviceState& mac) {
  const std::string& name = account.name;
  if (IsSystemAccount(name, account.uid)) {
    return HarmRefusal(Harm::kEraseSystemHome,
                       name + " is a system account; its home" +
                           (account.home ? " (" + *account.home + ")" : std::string()) +
                           " is never erased",
                       name);
  }
  if (!account.home)
    return UnknownState("the home of " + name + ", which remove_home would erase,");
  const std::string& home = *account.home;
  if (!IsPersonHome(home)) {
    return HarmRefusal(
        Harm::kEraseNonPersonHome,
        "remove_home would erase " + home + ", which is not a person's folder directly in /Users",
        name);
  }
  auto in_use = [&](const std::string& why) {
    return HarmRefusal(Harm::kEraseHomeInUse, "remove_home would erase " + home + ", which " + why,
                       name);
  };
  for (const ObservedUser& u : mac.users) {
    if (u.name == name) continue;
    if (!u.home) {
      return in_use("could be " + u.name + "'s home too: " + u.name +
                    "'s home could not be observed (cannot tell)");
    }
    if (SameHome(*u.home, home, mac)) return in_use("is " + u.name + "'s home too");
  }
  // The folder itself: owned by this account's UID, or it holds another's
  // files (a deleted account's kept home handed on); unlisted or of an
  // unknown owner, it could.
  for (const ObservedHome& h : mac.homes) {
    if (h.path == "/Users/*") {
      return in_use("could hold another account's files: /Users could not be listed (cannot tell)");
    }
    if (!SameHome(h.path, home, mac)) continue;
    if (!h.uid) return in_use("could hold another account's files: its owner was not observed");
    if (account.uid && *h.uid != *account.uid) {
      return in_use("belongs to UID " + std::to_string(*h.uid) + ", not to " + name + " (UID " +
                    std::to_string(*account.uid) + ")");
    }
  }
  std::optional<Refusal> other;
  ForEachNewAccount(desired, mac, [&](const std::string& n, const std::string& path) {
    if (!other && SameHome(path, home, mac)) {
      other = in_use("the file gives to the new account " + n);
    }
  });
  return other;
}

std::optional<Refusal> SystemAccountRefusal(const DesiredUser& declared, const ObservedUser& seen,
                                            Action action) {
  if (declared.allow_system_account || !IsSystemAccount(seen.name, seen.uid)) return std::nullopt;
  const std::string what = action == Action::kDeleteUser ? "deletes" : "demotes";
  return HarmRefusal(
      Harm::kSystemAccount,
      "the file " + what + " " + seen.name + ", a system account" +
          (seen.uid ? " (UID " + std::to_string(*seen.uid) + ")" : std::string(" ('_' name)")) +
          ", which macOS or an agent relies on, and its entry does not say "
          "allow_system_account: true",
      seen.name);
}

std::optional<Refusal> FileVaultOffRefusal(const FileVaultSpec& spec) {
  if (spec.allow_decrypt) return std::nullopt;
  return HarmRefusal(Harm::kFileVaultOff,
                     "that turns FileVault off and decrypts this Mac's disk, and the file does not "
                     "say it means that (filevault.allow_decrypt: true)");
}

std::optional<std::string> DeviceMismatch(const std::string& label, const DeviceState& mac) {
  const std::string want = ToLower(label);
  std::vector<std::string> seen;
  std::vector<std::string> unseen;
  for (auto [what, value] : {std::pair{"name", &mac.name}, std::pair{"serial", &mac.serial},
                             std::pair{"hardware UUID", &mac.hardware_uuid}}) {
    if (!*value) {
      unseen.push_back(what);
      continue;
    }
    if (ToLower(**value) == want) return std::nullopt;
    seen.push_back(std::string(what) + " " + Printable(**value));
  }
  std::string has = seen.empty() ? "" : "this Mac has " + JoinWords(seen);
  if (unseen.empty()) return "the file is for " + Printable(label) + ", but " + has;
  return "cannot tell whether this Mac is " + Printable(label) + ": " +
         (has.empty() ? "" : has + ", and ") + "its " + JoinWords(unseen) +
         (unseen.size() == 1 ? " was" : " were") + " not observed";
}

}  // namespace accord
