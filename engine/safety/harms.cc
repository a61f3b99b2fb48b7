// SPDX-License-Identifier: Apache-2.0
// The harm table and the guards of the harms that have rules of their own.
#include "safety/harms.h"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <unordered_set>

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

// The folder macOS keeps people's homes in (sysadminctl and Setup
// Assistant make /Users/NAME), and the one folder in it that is nobody's.
constexpr std::string_view kUsers = "/Users/";

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

std::string HomeKey(const std::string& path, const DeviceState& mac) {
  return mac.volume_case_sensitive == true ? NormalPath(path) : ToLower(NormalPath(path));
}

bool IsPersonHome(const std::string& path) {
  if (path.empty() || path.front() != '/') return false;
  std::string p = NormalPath(path);
  if (p.compare(0, kUsers.size(), kUsers) != 0) return false;
  std::string rest = p.substr(kUsers.size());
  return !rest.empty() && rest.find('/') == std::string::npos && rest != "." && rest != ".." &&
         ToLower(rest) != "shared";
}

HomeIndex::HomeIndex(const DesiredState& desired, const DeviceState& mac) : mac_(mac) {
  std::unordered_set<std::string_view> observed;
  observed.reserve(mac.users.size());
  holders_.reserve(mac.users.size() + mac.homes.size() + desired.users.size());
  for (const ObservedUser& u : mac.users) {
    observed.insert(u.name);
    if (u.home) {
      holders_.emplace(HomeKey(*u.home, mac), Holder{Holder::Kind::kAccount, u.name, {}});
    } else if (unknown_homes_.size() < 2) {
      unknown_homes_.push_back(u.name);
    }
  }
  for (const ObservedHome& h : mac.homes) {
    if (h.path == "/Users/*") {
      unlisted_ = true;  // observe's stand-in for a /Users it could not list
    } else {
      holders_.emplace(HomeKey(h.path, mac), Holder{Holder::Kind::kKeptHome, "", h.uid});
    }
  }
  // The accounts the plan creates: in the file, present, not on the Mac.
  for (const DesiredUser& u : desired.users) {
    if (u.ensure == Ensure::kPresent && !observed.count(u.name)) {
      holders_.emplace(HomeKey(u.home.value_or(std::string(kUsers) + u.name), mac),
                       Holder{Holder::Kind::kNewAccount, u.name, {}});
    }
  }
}

std::vector<const HomeIndex::Holder*> HomeIndex::At(const std::string& path) const {
  auto [from, to] = holders_.equal_range(HomeKey(path, mac_));
  std::vector<const Holder*> out;
  for (auto it = from; it != to; ++it) out.push_back(&it->second);
  // The multimap keeps no order among equals: the Mac's accounts first,
  // then kept homes, then the file's new accounts, each by name.
  std::sort(out.begin(), out.end(), [](const Holder* a, const Holder* b) {
    return std::tie(a->kind, a->name) < std::tie(b->kind, b->name);
  });
  return out;
}

std::optional<Refusal> HomeIndex::NewHomeInUse(const std::string& name,
                                               const std::string& home) const {
  auto refuse = [&](const std::string& why) {
    return HarmRefusal(Harm::kEraseHomeInUse, "the new account's home " + home + " " + why, name);
  };
  for (const Holder* h : At(home)) {
    switch (h->kind) {
      case Holder::Kind::kAccount: return refuse("is " + h->name + "'s home");
      case Holder::Kind::kKeptHome:
        return refuse("already exists, " +
                      (h->uid ? "owned by UID " + std::to_string(*h->uid)
                              : std::string("its owner not observed")) +
                      ": the new account would take over those files");
      case Holder::Kind::kNewAccount:
        if (h->name != name) {
          return refuse("is also the home the file gives to the new account " + h->name);
        }
        break;
    }
  }
  if (!unknown_homes_.empty()) {
    const std::string& who = unknown_homes_.front();
    return refuse("could be " + who + "'s: " + who + "'s home could not be observed (cannot tell)");
  }
  if (unlisted_ && NormalPath(home).rfind(kUsers, 0) == 0) {
    return refuse("could already exist with another owner: /Users could not be listed");
  }
  return std::nullopt;
}

std::optional<Refusal> HomeIndex::EraseHomeRefusal(const ObservedUser& account) const {
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
  for (const Holder* h : At(home)) {
    switch (h->kind) {
      case Holder::Kind::kAccount:
        if (h->name != name) return in_use("is " + h->name + "'s home too");
        break;
      case Holder::Kind::kNewAccount: return in_use("the file gives to the new account " + h->name);
      // The folder itself: this account's UID, or another's files (a
      // deleted account's kept home handed on); of an unknown owner, it could be.
      case Holder::Kind::kKeptHome:
        if (!h->uid)
          return in_use("could hold another account's files: its owner was not observed");
        if (account.uid && *h->uid != *account.uid) {
          return in_use("belongs to UID " + std::to_string(*h->uid) + ", not to " + name +
                        " (UID " + std::to_string(*account.uid) + ")");
        }
        break;
    }
  }
  for (const std::string& who : unknown_homes_) {
    if (who == name) continue;
    return in_use("could be " + who + "'s home too: " + who +
                  "'s home could not be observed (cannot tell)");
  }
  if (unlisted_) {
    return in_use("could hold another account's files: /Users could not be listed (cannot tell)");
  }
  return std::nullopt;
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
