// SPDX-License-Identifier: Apache-2.0
// Per-account and device-wide differences between desired and observed.
#include "plan/diff.h"

#include <algorithm>
#include <unordered_map>

#include "core/name_index.h"
#include "core/names.h"
#include "model/settable.h"
#include "safety/change_rules.h"
#include "safety/contributions.h"
#include "safety/harms.h"

namespace accord {
namespace {

constexpr const char* kDefaultShell = "/bin/zsh";

class Differ {
 public:
  Differ(const DesiredState& d, const DeviceState& m, const Resolution& r)
      : d_(d), m_(m), r_(r), declared_(d.users), observed_(m.users), homes_(d, m) {
    plan_.desired_file = d.file;
    plan_.device_name = m.name;
    plan_.hardware_uuid = m.hardware_uuid;
    plan_.os_version = m.os_version;
  }

  Plan Run() {
    for (const DesiredUser& u : d_.users) {
      const ObservedUser* seen = observed_.Find(u.name);
      if (seen) SystemAccountDeclared(u, *seen);
      if (u.ensure == Ensure::kAbsent) {
        if (seen) Delete(*seen, &u, "ensure: absent");
      } else if (seen) {
        Update(u, *seen);
      } else {
        Create(u);
      }
    }
    Unmanaged();
    FileVault();
    LikelyTypos();
    return std::move(plan_);
  }

 private:
  Change& Add(Action action, const std::string& user, std::string reason) {
    Change c;
    c.action = action;
    c.user = user;
    c.reason = std::move(reason);
    plan_.changes.push_back(std::move(c));
    return plan_.changes.back();
  }

  // Refuses `c` as unknown-state; returns true if `observed` was unknown.
  template <typename T>
  static bool RefuseIfUnknown(Change& c, const Known<T>& observed, const std::string& what,
                              const char* how = kFixUnobserved) {
    if (observed) return false;
    Refuse(c, UnknownState(what, how));
    return true;
  }

  void Note(FindingLevel level, std::string kind, std::string user, std::string message) {
    plan_.findings.push_back({level, std::move(kind), std::move(user), std::move(message)});
  }

  // Declaring a system account is the one way to manage it (protected-
  // account), and deleting or demoting one needs allow_system_account in
  // its entry (the system-account harm rule); with it, it is said out loud.
  void SystemAccountDeclared(const DesiredUser& u, const ObservedUser& seen) {
    bool removes =
        u.ensure == Ensure::kAbsent || (u.role == Role::kStandard && seen.admin != false);
    if (!removes || !u.allow_system_account || !IsSystemAccount(seen.name, seen.uid)) return;
    std::string what = u.ensure == Ensure::kAbsent ? "deletes" : "manages the admin role of";
    Note(FindingLevel::kWarning, "system-account", u.name,
         "the file " + what + " " + u.name + ", a system account" +
             (seen.uid ? " (UID " + std::to_string(*seen.uid) + ")" : std::string()) +
             ": macOS or an agent relies on it; allowed only because users." + u.name +
             " says allow_system_account: true");
  }

  void Create(const DesiredUser& u) {
    Change& c = Add(Action::kCreateUser, u.name, "declared, and no account of that name exists");
    auto choice = r_.new_uids.find(u.name);
    if (choice != r_.new_uids.end() && choice->second.uid) {
      c.attributes.push_back({Attr::kUid, std::nullopt, *choice->second.uid, choice->second.how});
    }
    auto attr = [&](Attr name, AttrValue value, bool defaulted) {
      c.attributes.push_back({name, std::nullopt, std::move(value), defaulted ? "default" : ""});
    };
    attr(Attr::kFullName, u.full_name.value_or(u.name), !u.full_name);
    attr(Attr::kShell, u.shell.value_or(kDefaultShell), !u.shell);
    attr(Attr::kHome, u.home.value_or("/Users/" + u.name), !u.home);
    attr(Attr::kRole, std::string(ToString(u.role.value_or(Role::kStandard))), !u.role);
    attr(Attr::kHidden, u.hidden.value_or(false), !u.hidden);
    if (u.password) attr(Attr::kPassword, *u.password, false);
    if (choice != r_.new_uids.end() && choice->second.refusal) {
      Refuse(c, *choice->second.refusal);
    } else if (auto r = homes_.NewHomeInUse(u.name, u.home.value_or("/Users/" + u.name))) {
      Refuse(c, *r);
    }
    if (!u.password) {
      Note(FindingLevel::kWarning, "no-password", u.name,
           u.name + " is created without a password and cannot log in until one is set");
    }
    if (u.secure_token == true) {
      Add(Action::kGrantToken, u.name, "secure_token: true on a new account");
    }
  }

  void Update(const DesiredUser& u, const ObservedUser& seen) {
    CheckUid(u, seen);
    UpdateAttributes(u, seen);
    if (u.home && seen.home && *u.home != *seen.home) {
      Note(FindingLevel::kWarning, "home-immutable", u.name,
           "home is set only at creation: " + u.name + " keeps " + *seen.home + ", not " + *u.home);
    }
    if (u.role && (!seen.admin || *seen.admin != (*u.role == Role::kAdmin))) {
      bool admin = *u.role == Role::kAdmin;
      Change& c = Add(admin ? Action::kMakeAdmin : Action::kMakeStandard, u.name,
                      std::string("role: ") + ToString(*u.role));
      c.attributes.push_back(
          {Attr::kRole,
           seen.admin ? AttrValue(std::string(seen.admin.value() ? "admin" : "standard"))
                      : AttrValue(),
           std::string(ToString(*u.role)), ""});
      if (!RefuseIfUnknown(c, seen.admin, "admin group membership of " + u.name,
                           kHowAdminsAreRead) &&
          !admin) {
        if (auto r = ProtectRootDemotion(u.name, seen.uid)) {
          Refuse(c, *r);
        } else if (auto s = SystemAccountRefusal(u, seen, c.action)) {
          Refuse(c, *s);
        }
      }
    }
    if (u.secure_token && (!seen.secure_token || *seen.secure_token != *u.secure_token)) {
      Change& c = Add(*u.secure_token ? Action::kGrantToken : Action::kRevokeToken, u.name,
                      std::string("secure_token: ") + (*u.secure_token ? "true" : "false"));
      RefuseIfUnknown(c, seen.secure_token, "SecureToken of " + u.name, kHowTokensAreRead);
    }
    // Passwords cannot be read back: an update runs once per secret
    // reference, and to rotate one the file points at a new reference.
    bool update = u.password && u.password_update != PasswordUpdate::kOnCreate &&
                  seen.password_set_from != Describe(*u.password);
    if (update) {
      bool reset = u.password_update == PasswordUpdate::kReset;
      Change& c = Add(reset ? Action::kResetPassword : Action::kChangePassword, u.name,
                      reset ? "password_update: reset (without the old password)"
                            : "password_update: change (knows the old password; the SecureToken "
                              "and FileVault stay in step)");
      std::string last = seen.password_set_from ? "last set from " + *seen.password_set_from
                                                : "not yet set from this reference";
      c.attributes.push_back({Attr::kPassword, std::nullopt, *u.password, last});
      // DOMAIN §1: a reset leaves FileVault on the old password and replaces
      // the login keychain; said even when the reset is allowed.
      if (reset && seen.secure_token != false) {
        c.notes.push_back(
            "FileVault still unlocks with " + u.name +
            "'s OLD password until a password change "
            "that knows it, or a new SecureToken, brings it in step; the login keychain is "
            "replaced; the reset may also cost " +
            u.name + "'s SecureToken, which is unknown afterwards");
      }
      if (!reset) {
        c.notes.push_back("the login keychain keeps " + u.name +
                          "'s OLD password: macOS updates it only when the password is changed "
                          "at the login window; " +
                          u.name + " is asked to update it at the next login");
      }
    }
  }

  void CheckUid(const DesiredUser& u, const ObservedUser& seen) {
    if (!seen.uid) {
      if (u.uid || u.uid_range) {
        Note(FindingLevel::kWarning, "unknown-state", u.name,
             "the UID of " + u.name + " could not be observed, so it cannot be checked");
      }
      return;
    }
    const UidRange* range = u.uid_range ? d_.FindRange(*u.uid_range) : nullptr;
    std::string why;
    if (u.uid && *u.uid != *seen.uid) {
      why = "the file says uid " + std::to_string(*u.uid);
    } else if (!u.uid && range && range->first <= range->last && !range->Contains(*seen.uid)) {
      why = "UID " + std::to_string(*seen.uid) + " is outside range " + range->name + " (" +
            std::to_string(range->first) + "-" + std::to_string(range->last) + ")";
    } else {
      return;
    }
    Change& c =
        Add(Action::kRenumberUser, u.name, "existing account has UID " + std::to_string(*seen.uid));
    c.attributes.push_back({Attr::kUid, *seen.uid, u.uid ? AttrValue(*u.uid) : AttrValue(), ""});
    Refuse(c, UidImmutable(u.name, *seen.uid, why));
  }

  // One step sets every attribute that differs (one `~ update user` per
  // account); an attribute the Mac does not show is a refused step of its
  // own, so that it holds up nothing else.
  void UpdateAttributes(const DesiredUser& u, const ObservedUser& seen) {
    std::optional<std::size_t> update;
    std::vector<std::string> names;
    for (Attr name : kSettableAttrs) {
      std::optional<AttrValue> want = Wanted(u, name);
      AttrValue now = Seen(seen, name);
      const bool known = !std::holds_alternative<std::monostate>(now);
      if (!want || (known && now == *want)) continue;
      if (!known) {
        Change& c = Add(Action::kSetAttribute, u.name, std::string(ToString(name)) + " differs");
        c.attributes.push_back({name, now, *want, ""});
        Refuse(c, UnknownState(std::string(ToString(name)) + " of " + u.name));
        continue;
      }
      if (!update) {
        Add(Action::kSetAttribute, u.name, "");
        update = plan_.changes.size() - 1;
      }
      plan_.changes[*update].attributes.push_back({name, now, *want, ""});
      names.push_back(ToString(name));
    }
    if (update) {
      plan_.changes[*update].reason =
          JoinWords(names) + (names.size() == 1 ? " differs" : " differ");
    }
  }

  // `declared`: the entry that deletes it (none for an unmanaged account).
  void Delete(const ObservedUser& seen, const DesiredUser* declared, std::string reason) {
    const bool remove_home = declared && declared->remove_home;
    Change& c = Add(Action::kDeleteUser, seen.name, std::move(reason));
    c.attributes.push_back(
        {Attr::kHome, std::nullopt, seen.home ? AttrValue(*seen.home) : AttrValue(),
         remove_home ? "erased: remove_home is true" : "kept; set remove_home: true to erase it"});
    c.erase_home = remove_home;
    if (seen.uid && !remove_home) {
      c.attributes.push_back({Attr::kUid, std::nullopt, *seen.uid,
                              "stays with the kept home; never given to a new account"});
    }
    if (auto r = ProtectRootDeletion(seen.name, seen.uid)) return Refuse(c, *r);
    // The UID its kept home keeps must be known, or it could be reused.
    if (RefuseIfUnknown(c, seen.uid, "the UID of " + seen.name)) return;
    std::optional<Refusal> harm;
    if (declared) harm = SystemAccountRefusal(*declared, seen, c.action);
    if (!harm && remove_home) harm = homes_.EraseHomeRefusal(seen);
    if (harm) return Refuse(c, *harm);
    if (m_.console_user == seen.name) {
      // Not while its user is at the screen: sysadminctl would kill the
      // session and its unsaved work. On a Mac, apply looks again just
      // before deleting (macos_executor).
      Stop(c, Outcome::kBlocked, seen.name + " is logged in at the console",
           "wait until " + seen.name + " has logged out, then apply again");
    }
  }

  // Accounts on the Mac that the file does not mention.
  void Unmanaged() {
    for (const ObservedUser& seen : m_.users) {
      if (declared_.Find(seen.name) || IsSystemAccount(seen.name, seen.uid)) continue;
      std::string uid = seen.uid ? std::to_string(*seen.uid) : "unknown";
      switch (d_.policy.unmanaged_users) {
        case UnmanagedUsers::kIgnore: break;
        case UnmanagedUsers::kReport:
          Note(FindingLevel::kWarning, "unmanaged-user", seen.name,
               seen.name + " (UID " + uid + ") is on the Mac but not in the file");
          break;
        case UnmanagedUsers::kRemove: {
          Delete(seen, nullptr, "not in the file, and policy.unmanaged_users is remove");
          break;
        }
      }
    }
  }

  // A new key is escrow-pending until the MDM confirms it (model/effect).
  void NotePending(Change& c) const {
    if (c.outcome != Outcome::kRun) return;
    if (m_.mdm.recovery_key_escrow_payload == false) return;  // never escrowed
    c.notes.push_back(kEscrowPendingNote);
  }

  void RefuseWithoutEscrow(Change& c) {
    if (auto r = EscrowBeforeEnable(*d_.filevault, m_.mdm)) Refuse(c, *r);
  }

  // A deferred enablement completes at the enabling user's logout
  // (DOMAIN §1): that user must be one who logs in at the Mac's screen.
  void NeedsConsoleLogin(Change& c) {
    const std::string who = d_.FileVaultEnabler();
    if (who.empty()) return;
    const ObservedUser* seen = observed_.Find(who);
    const DesiredUser* declared = declared_.Find(who);
    Known<std::string> shell = seen ? seen->shell : Known<std::string>();
    if (declared && declared->shell) shell = declared->shell;
    std::string why;
    if (shell && IsNoLoginShell(*shell)) {
      why = who + " has no login shell (" + *shell + ")";
    } else if (seen && IsSystemAccount(who, seen->uid)) {
      why = who + " is a service account (" +
            (seen->uid ? "UID " + std::to_string(*seen->uid) : std::string("'_' name")) + ")";
    }
    if (!why.empty()) {
      Stop(c, Outcome::kBlocked,
           "the enablement completes only when " + who + " logs out at the Mac, and " + why +
               ", so it would stay pending",
           "set filevault.enabled_by to an admin who logs in at the Mac, or enable "
           "FileVault there");
      return;
    }
    Known<bool> hidden = seen ? seen->hidden : Known<bool>();
    if (declared && declared->hidden) hidden = declared->hidden;
    if (hidden == true) {
      std::string message = who +
                            " is hidden: the enablement stays pending, possibly for ever, "
                            "until " +
                            who + " logs in and out at the Mac's login window";
      c.notes.push_back(message);
      Note(FindingLevel::kWarning, "filevault-enabler", who,
           message + "; set filevault.enabled_by to a person who does");
    }
  }

  void FileVault() {
    if (!d_.filevault) return;
    const FileVaultSpec& spec = *d_.filevault;
    const FileVaultState& fv = m_.filevault;
    using S = FileVaultStatus;
    bool enabling = false;
    if (spec.enabled == true) {
      if (!fv.status || *fv.status == S::kOff || *fv.status == S::kDecrypting) {
        enabling = true;
        Change& c = Add(Action::kEnableFileVault, "", "filevault.enabled: true");
        c.attributes.push_back(
            {Attr::kStatus, fv.status ? AttrValue(std::string(ToString(*fv.status))) : AttrValue(),
             std::string("on"), ""});
        if (std::string who = d_.FileVaultEnabler(); !who.empty()) {
          c.attributes.push_back(
              {Attr::kEnabledBy, std::nullopt, who, "FileVault shares this account's password"});
        }
        if (spec.personal_recovery_key == true) {
          c.attributes.push_back({Attr::kPersonalRecoveryKey, std::nullopt, true, ""});
        }
        if (!RefuseIfUnknown(c, fv.status, "FileVault status")) {
          if (*fv.status == S::kDecrypting) {
            Stop(c, Outcome::kBlocked, "the disk is still decrypting",
                 "wait for decryption to finish, then plan again");
          } else {
            RefuseWithoutEscrow(c);
            if (c.outcome == Outcome::kRun) NeedsConsoleLogin(c);
          }
        }
        NotePending(c);  // fdesetup enable always makes a personal key
      } else if (*fv.status == S::kDeferred) {
        Note(FindingLevel::kNote, "filevault-deferred", fv.deferred_user.value_or(""),
             "FileVault enablement is pending" +
                 (fv.deferred_since ? " since " + *fv.deferred_since : std::string()) +
                 ", not done; it completes when " + fv.deferred_user.value_or("the enabling user") +
                 " logs out");
      }
    } else if (spec.enabled == false) {
      if (!fv.status || *fv.status != S::kOff) {
        if (fv.status == S::kDecrypting) return;  // already on its way
        Change& c = Add(Action::kDisableFileVault, "", "filevault.enabled: false");
        c.attributes.push_back(
            {Attr::kStatus, fv.status ? AttrValue(std::string(ToString(*fv.status))) : AttrValue(),
             std::string("off"), ""});
        if (!RefuseIfUnknown(c, fv.status, "FileVault status")) {
          if (auto r = FileVaultOffRefusal(spec)) Refuse(c, *r);
        }
      }
    }
    // Enabling creates the recovery key; on an encrypted disk it is rotated.
    bool encrypted = fv.status == S::kOn || fv.status == S::kEncrypting;
    if (enabling || !encrypted) return;
    if (spec.personal_recovery_key == false) return UnwantedPersonalKey();
    if (spec.enabled == false) return;
    std::string why;
    if (spec.personal_recovery_key == true && fv.personal_recovery_key != true) {
      why = "recovery_key.personal: true and the Mac has no personal recovery key";
    } else if (spec.escrow == Escrow::kRequired && fv.recovery_key_escrowed == false) {
      why = "recovery_key.escrow: required and the current key is not escrowed";
    } else {
      return;
    }
    Change& c = Add(Action::kRotateRecoveryKey, "", why);
    if (!RefuseIfUnknown(c,
                         spec.personal_recovery_key == true ? fv.personal_recovery_key
                                                            : fv.recovery_key_escrowed,
                         "the recovery key")) {
      if (auto r = EscrowBeforeRotate(m_.mdm)) Refuse(c, *r);
    }
    NotePending(c);
  }

  // recovery_key.personal: false on a Mac with a personal key: a step that
  // never runs (recovery-key-removal), so the plan says the key stays and
  // why, instead of "no changes".
  void UnwantedPersonalKey() {
    const Known<bool>& has = m_.filevault.personal_recovery_key;
    if (has == false) return;
    if (!has) {
      Note(FindingLevel::kWarning, "recovery-key-removal", "",
           "recovery_key.personal: false, and cannot tell whether this Mac has a personal "
           "recovery key (it could not be observed); Accord would not remove one");
      return;
    }
    Change& c = Add(Action::kRemoveRecoveryKey, "",
                    "recovery_key.personal: false and the Mac has a personal recovery key");
    c.attributes.push_back({Attr::kPersonalRecoveryKey, true, false, ""});
    Refuse(c, HarmRefusal(Harm::kRemoveRecoveryKey,
                          "removing a recovery key takes away a way to unlock the disk, and "
                          "Accord never does it"));
  }

  // A deletion and a creation whose names are one edit apart (contractor,
  // contractr): the new name may be a typo of the one deleted. Two names
  // one edit apart share a key among each name and its one-letter
  // deletions, so each creation looks up a few keys, never every deletion.
  void LikelyTypos() {
    auto keys = [](const std::string& name) {
      std::vector<std::string> out{ToLower(name)};
      for (std::size_t i = 0; i < out.front().size(); ++i) {
        out.push_back(std::string(out.front()).erase(i, 1));
      }
      return out;
    };
    std::unordered_map<std::string, std::vector<const std::string*>> deleted;
    for (const Change& c : plan_.changes) {
      if (c.action != Action::kDeleteUser) continue;
      for (std::string& k : keys(c.user)) deleted[std::move(k)].push_back(&c.user);
    }
    if (deleted.empty()) return;
    std::vector<std::pair<std::string, std::string>> found;  // (created, deleted)
    for (const Change& c : plan_.changes) {
      if (c.action != Action::kCreateUser) continue;
      for (const std::string& k : keys(c.user)) {
        auto it = deleted.find(k);
        if (it == deleted.end()) continue;
        for (const std::string* old : it->second) {
          if (EditDistance(ToLower(c.user), ToLower(*old)) == 1) found.emplace_back(c.user, *old);
        }
      }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    for (const auto& [n, old] : found) {
      Note(FindingLevel::kWarning, "possible-typo", n,
           "the plan deletes " + old + " and creates " + n + ", one edit apart: if " + n +
               " is a typo of " + old + ", correct it before applying, or " + old + " is deleted");
    }
  }

  const DesiredState& d_;
  const DeviceState& m_;
  const Resolution& r_;
  NameIndex<DesiredUser> declared_;
  NameIndex<ObservedUser> observed_;
  HomeIndex homes_;
  Plan plan_;
};

}  // namespace

Plan Diff(const DesiredState& desired, const DeviceState& device, const Resolution& resolution) {
  return Differ(desired, device, resolution).Run();
}

}  // namespace accord
