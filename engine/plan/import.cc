// SPDX-License-Identifier: Apache-2.0
// The observed Mac as a desired state: a value for every fact the Mac
// showed, a comment for every fact it did not.
#include "plan/import.h"

#include <algorithm>
#include <cctype>

#include "core/names.h"
#include "safety/change_rules.h"

namespace accord {
namespace {

// The environment variable a comment suggests for an account's password.
std::string PasswordVariable(const std::string& name) {
  std::string v;
  for (char c : name) {
    v += std::isalnum(static_cast<unsigned char>(c))
             ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
             : '_';
  }
  return v + "_PASSWORD";
}

class Importer {
 public:
  explicit Importer(const DeviceState& mac) : m_(mac) {}

  ImportedState Run() {
    if (m_.name) Set("device", out_.state.device, *m_.name);
    for (const ObservedUser& u : m_.users) {
      if (!IsSystemAccount(u.name, u.uid)) User(u);
    }
    Ranges();
    Authority();
    FileVault();
    return std::move(out_);
  }

 private:
  template <typename T, typename V>
  void Set(const std::string& path, std::optional<T>& field, const V& value) {
    field = value;
    out_.state.source.Add(path, {}, {});
  }
  void Comment(const std::string& block, std::string line) {
    out_.comments[block].push_back(std::move(line));
  }

  void User(const ObservedUser& seen) {
    DesiredUser& u = out_.state.users.emplace_back();
    u.name = seen.name;
    const std::string p = "users." + seen.name;
    out_.state.source.Add(p, {}, {});
    std::vector<std::string> unknown;
    auto take = [&](const char* key, auto& field, const auto& known) {
      if (known) {
        Set(p + "." + key, field, *known);
      } else {
        unknown.push_back(key);
      }
    };
    take("full_name", u.full_name, seen.full_name);
    take("uid", u.uid, NormalizeUid(seen.uid));
    if (seen.admin) Set(p + ".role", u.role, *seen.admin ? Role::kAdmin : Role::kStandard);
    if (!seen.admin) unknown.push_back("role");
    take("shell", u.shell, seen.shell);
    if (!seen.home) {
      unknown.push_back("home");
    } else if (*seen.home != "/Users/" + seen.name) {
      Set(p + ".home", u.home, *seen.home);
    }
    take("hidden", u.hidden, seen.hidden);
    // An off switch is never pinned: secure_token: false would revoke the
    // token macOS hands out later (at a login with the Bootstrap Token).
    if (seen.secure_token == true) {
      Set(p + ".secure_token", u.secure_token, true);
    } else if (seen.secure_token == false) {
      Comment(p, "secure_token: false now (not managed, so a token macOS gives " + seen.name +
                     " later is kept; write it to revoke one)");
    } else {
      unknown.push_back("secure_token");
    }
    if (!unknown.empty()) {
      Comment(p, "cannot tell " + JoinWords(unknown) +
                     ": the Mac did not show them, so they are left unmanaged");
    }
    Comment(p, "password: {env: " + PasswordVariable(seen.name) +
                   "}  # not imported: Accord never reads passwords");
  }

  // One range from the first person UID to the highest person's (at least
  // 999): every imported UID is in it, and new accounts draw from it.
  void Ranges() {
    std::int64_t first = kFirstPersonUid;
    std::int64_t last = 999;
    for (const DesiredUser& u : out_.state.users) {
      if (!u.uid) continue;
      first = std::min(first, *u.uid);
      last = std::max(last, *u.uid);
    }
    out_.state.uid_ranges.push_back({"people", first, last});
    out_.state.source.Add("uid_ranges.people", {}, {});
  }

  // The authority acts for steps that need a SecureToken admin: only an
  // account certainly an admin with a token can be it. The lowest UID is
  // usually the Mac's first account.
  void Authority() {
    std::vector<const ObservedUser*> certain;
    for (const ObservedUser& u : m_.users) {
      if (!IsSystemAccount(u.name, u.uid) && u.admin == true && u.secure_token == true) {
        certain.push_back(&u);
      }
    }
    std::stable_sort(certain.begin(), certain.end(), [](const auto* a, const auto* b) {
      return NormalizeUid(a->uid).value_or(kMaxUid) < NormalizeUid(b->uid).value_or(kMaxUid);
    });
    if (certain.empty()) {
      Comment("authority",
              "none chosen: no account is certainly an admin with a SecureToken; name one "
              "once the Mac shows one");
      return;
    }
    out_.state.authority = accord::Authority{certain.front()->name, std::nullopt};
    out_.state.source.Add("authority", {}, {});
    out_.state.source.Add("authority.user", {}, {});
    Comment("authority", "password: {env: " + PasswordVariable(certain.front()->name) +
                             "}  # needed only by steps that act as it");
    if (certain.size() > 1) {
      std::vector<std::string> others;
      for (std::size_t i = 1; i < certain.size(); ++i) others.push_back(certain[i]->name);
      Comment("authority", "also certain SecureToken admins: " + JoinWords(others));
    }
  }

  void FileVault() {
    const FileVaultState& fv = m_.filevault;
    FileVaultSpec spec;
    bool any = false;
    // Off switches are never pinned: enabled: false would turn FileVault
    // off again once the MDM turns it on; personal: false would stand
    // against the key a later enablement makes.
    using S = FileVaultStatus;
    if (fv.status == S::kOn || fv.status == S::kEncrypting || fv.status == S::kDeferred) {
      Set("filevault.enabled", spec.enabled, true);
      any = true;
    } else if (fv.status) {
      Comment("filevault", std::string("enabled: ") + ToString(*fv.status) +
                               " now (not managed: write enabled: true to turn it on, and "
                               "FileVault is never turned off unless the file says "
                               "allow_decrypt: true)");
    } else {
      Comment("filevault", "enabled: cannot tell (the Mac did not show FileVault's status)");
    }
    if (fv.personal_recovery_key == true) {
      Set("filevault.recovery_key.personal", spec.personal_recovery_key, true);
      any = true;
    } else if (fv.personal_recovery_key == false) {
      Comment("filevault", "recovery_key.personal: none now (not managed; write true to have one)");
    } else {
      Comment("filevault", "recovery_key.personal: cannot tell (not shown)");
    }
    if (fv.recovery_key_escrowed == true) {
      spec.escrow = Escrow::kRequired;
      out_.state.source.Add("filevault.recovery_key.escrow", {}, {});
      any = true;
    } else {
      Comment("filevault", fv.recovery_key_escrowed
                               ? "recovery_key.escrow: optional (the current key is not escrowed)"
                               : "recovery_key.escrow: cannot tell whether the current key is "
                                 "escrowed; left optional");
    }
    if (any) {
      out_.state.filevault = spec;
      out_.state.source.Add("filevault", {}, {});
    }
  }

  const DeviceState& m_;
  ImportedState out_;
};

}  // namespace

ImportedState ImportDesired(const DeviceState& mac) { return Importer(mac).Run(); }

}  // namespace accord
