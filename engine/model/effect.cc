// SPDX-License-Identifier: Apache-2.0
// The device model's effects, one per action (DOMAIN §1, §5).
#include "model/effect.h"

#include <algorithm>
#include <cstdio>

#include "model/settable.h"

namespace accord {
namespace {

ObservedUser Created(const Change& step, Known<bool> first_token) {
  ObservedUser u;
  u.name = step.user;
  u.uid = step.AfterAs<std::int64_t>(Attr::kUid);
  u.gid = 20;  // staff
  u.full_name = step.AfterAs<std::string>(Attr::kFullName);
  u.shell = step.AfterAs<std::string>(Attr::kShell);
  u.home = step.AfterAs<std::string>(Attr::kHome);
  u.guid = SimulatedGuid(step.user);
  u.hidden = step.AfterAs<bool>(Attr::kHidden);
  u.admin = step.AfterAs<std::string>(Attr::kRole) == std::string("admin");
  bool has_password = step.After(Attr::kPassword) != nullptr;
  if (auto ref = step.AfterAs<SecretRef>(Attr::kPassword)) u.password_set_from = Describe(*ref);
  u.secure_token = has_password ? first_token : Known<bool>(false);
  u.filevault_password_in_sync = true;
  u.keychain_in_sync = true;
  return u;
}

// The effect of `step` had it the outcome `as` (run, or deferred to a login).
void ApplyAs(const Change& step, Outcome as, Known<bool> first_token,
             std::optional<ObservedUser>& account) {
  if (step.action == Action::kCreateUser) {
    account = Created(step, first_token);
    return;
  }
  if (!account) return;  // nothing to act on
  ObservedUser& u = *account;
  switch (step.action) {
    case Action::kSetAttribute:
      for (const Attribute& a : step.attributes) SetSeen(u, a.name, a.after);
      break;
    case Action::kMakeAdmin: u.admin = true; break;
    case Action::kMakeStandard: u.admin = false; break;
    case Action::kGrantToken:
      // Granting uses the account's current password, so FileVault knows it.
      if (as == Outcome::kRun) {
        u.secure_token = true;
        u.filevault_password_in_sync = true;
        // A new crypto user may or may not be made a volume owner.
        if (u.volume_owner != true) u.volume_owner.reset();
      }
      break;
    case Action::kRevokeToken:
      u.secure_token = false;
      if (u.volume_owner) u.volume_owner = false;  // no longer a crypto user
      break;
    case Action::kResetPassword:
      // Without the old password: the login keychain is replaced, and a
      // token holder's FileVault still unlocks with the OLD password. The
      // token itself may be lost: removed on macOS 15 and earlier, left
      // looking enabled but broken on macOS 26 (DOMAIN §1, after Addigy's
      // documentation and macOSLAPS#11), so it is unknown afterwards.
      u.keychain_in_sync = false;
      if (u.secure_token != false) {
        u.filevault_password_in_sync = false;
        u.secure_token.reset();
      }
      if (auto ref = step.AfterAs<SecretRef>(Attr::kPassword)) u.password_set_from = Describe(*ref);
      break;
    case Action::kChangePassword:
      // Knowing the old password keeps the token and FileVault in step, but
      // not the login keychain: macOS updates it only at a login-window
      // change (passwd(1)'s warning; macOSLAPS deletes it after a change),
      // unless the change itself updates it (a directory agent's sync).
      if (step.AfterAs<bool>(Attr::kKeychainUpdated) != true) u.keychain_in_sync = false;
      if (auto ref = step.AfterAs<SecretRef>(Attr::kPassword)) u.password_set_from = Describe(*ref);
      break;
    case Action::kDeleteUser: account.reset(); break;
    default: break;
  }
}

}  // namespace

Known<bool> NextGetsFirstToken(int possible_holders, int certain_holders) {
  if (possible_holders == 0) return true;
  if (certain_holders > 0) return false;
  return std::nullopt;
}

void NoteFirstToken(Change& c, Known<bool> first_token) {
  if (c.action != Action::kCreateUser || !c.After(Attr::kPassword) || first_token == false) return;
  // DOMAIN §1 (mkuser: with -addUser it cannot be prevented).
  c.notes.push_back(first_token ? "no account holds a SecureToken, so macOS gives " + c.user +
                                      " the first one as its password is set; this cannot be "
                                      "prevented"
                                : "cannot tell whether any account holds a SecureToken; if none "
                                  "does, macOS gives " +
                                      c.user + " the first one as its password is set");
}

bool ChangesNothing(const Change& step, const ObservedUser& account) {
  bool state_change = step.action == Action::kGrantToken || step.action == Action::kRevokeToken ||
                      step.action == Action::kMakeAdmin || step.action == Action::kMakeStandard ||
                      step.action == Action::kSetAttribute;
  if (!state_change) return false;
  std::optional<ObservedUser> probe = account;
  ApplyAs(step, Outcome::kRun, false, probe);
  return probe && *probe == account;
}

std::vector<std::string> StillToDo(const Change& step,
                                   const std::optional<ObservedUser>& observed) {
  std::optional<ObservedUser> want = observed;
  ApplyAs(step, Outcome::kRun, std::nullopt, want);
  if (want.has_value() != observed.has_value()) return {want ? "exists" : "absent"};
  if (!want) return {};
  std::vector<std::string> left;
  auto compare = [&](const char* fact, const auto& wanted, const auto& seen) {
    if (wanted && seen != wanted) left.push_back(fact);
  };
  compare("uid", want->uid, observed->uid);
  for (Attr a : kSettableAttrs) {
    AttrValue wanted = Seen(*want, a);
    if (!std::holds_alternative<std::monostate>(wanted) && Seen(*observed, a) != wanted) {
      left.push_back(ToString(a));
    }
  }
  compare("home", want->home, observed->home);
  compare("admin", want->admin, observed->admin);
  compare("secure_token", want->secure_token, observed->secure_token);
  return left;
}

std::string SimulatedGuid(const std::string& name) {
  // FNV-1a, twice with different offsets, laid out as a GUID.
  auto fnv = [&](std::uint64_t h) {
    for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
    return h;
  };
  std::uint64_t a = fnv(14695981039346656037ULL);
  std::uint64_t b = fnv(a ^ 0x9e3779b97f4a7c15ULL);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08X-%04X-4%03X-A%03X-%012llX", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>((b >> 48) & 0xfff),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

void ApplyToAccount(const Change& step, Known<bool> first_token,
                    std::optional<ObservedUser>& account) {
  if (step.outcome != Outcome::kRun && step.outcome != Outcome::kDeferred) return;
  ApplyAs(step, step.outcome, first_token, account);
}

void ApplyToFileVault(const Change& step, const MdmState& mdm, FileVaultState& fv) {
  if (step.outcome != Outcome::kRun && step.outcome != Outcome::kDeferred) return;
  // A new key reaches the MDM only where a recovery-key escrow payload is
  // installed (DOMAIN §1: enrollment alone escrows nothing), and even then
  // only when the MDM collects it, later: until the MDM confirms, the key
  // is escrow-pending, and whether the MDM has it is unknown. Without the
  // payload it is certainly not escrowed. An enrollment's FileVault policy
  // brings its own payload (its attribute "recovery_key_escrow_payload").
  Known<bool> payload = mdm.recovery_key_escrow_payload;
  if (auto brought = step.AfterAs<bool>(Attr::kRecoveryKeyEscrowPayload)) payload = *brought;
  auto new_key = [&] {
    fv.personal_recovery_key = true;
    fv.escrow_pending = payload != false;
    fv.escrow_pending_since.reset();
    fv.recovery_key_escrowed = payload == false ? Known<bool>(false) : std::nullopt;
  };
  switch (step.action) {
    case Action::kEnableFileVault:
      // A first enablement completes when the enabling user logs out.
      fv.status = FileVaultStatus::kDeferred;
      fv.deferred_user = step.AfterAs<std::string>(Attr::kEnabledBy);
      // fdesetup enable makes a personal recovery key unless told
      // -norecoverykey (fdesetup(8)), which Accord never passes.
      new_key();
      break;
    case Action::kDisableFileVault:
      fv.status = FileVaultStatus::kDecrypting;
      fv.deferred_user.reset();
      fv.escrow_pending = false;
      fv.escrow_pending_since.reset();
      break;
    case Action::kRotateRecoveryKey: new_key(); break;
    default: break;
  }
}

void ApplyToMdm(const Change& step, MdmState& mdm) {
  if (step.action != Action::kEnrollMdm || step.outcome != Outcome::kRun) return;
  mdm.enrolled = true;
  mdm.bootstrap_token_supported = step.AfterAs<bool>(Attr::kBootstrapTokenSupported);
  mdm.bootstrap_token_escrowed = step.AfterAs<bool>(Attr::kBootstrapTokenEscrowed);
}

DeviceState Effect(const Change& step, const DeviceState& before) {
  DeviceState next = before;
  if (step.outcome != Outcome::kRun && step.outcome != Outcome::kDeferred) return next;
  // A token deferred to the Bootstrap Token changes nothing yet: the device
  // records it as pending until the user's next login; a real grant ends it.
  const std::string id = step.Id();
  auto pending = std::find(next.pending.begin(), next.pending.end(), id);
  if (step.action == Action::kGrantToken && step.outcome == Outcome::kDeferred) {
    if (pending == next.pending.end()) next.pending.push_back(id);
    return next;
  }
  if (pending != next.pending.end()) next.pending.erase(pending);
  if (step.action == Action::kEnrollMdm) {
    ApplyToMdm(step, next.mdm);
    return next;
  }
  if (step.user.empty()) {
    ApplyToFileVault(step, next.mdm, next.filevault);
    return next;
  }
  auto it = std::find_if(next.users.begin(), next.users.end(),
                         [&](const ObservedUser& u) { return u.name == step.user; });
  std::optional<ObservedUser> account;
  if (it != next.users.end()) account = *it;
  std::optional<std::string> old_home = account ? account->home : std::nullopt;
  std::optional<std::int64_t> old_uid = account ? account->uid : std::nullopt;
  int possible = 0;
  int certain = 0;
  for (const ObservedUser& u : next.users) {
    possible += u.secure_token != false;
    certain += u.secure_token == true;
  }
  ApplyToAccount(step, NextGetsFirstToken(possible, certain), account);
  if (account && it != next.users.end()) {
    *it = *account;
  } else if (account) {
    next.users.push_back(*account);
  } else if (it != next.users.end()) {
    next.users.erase(it);
  }
  // Homes outlive accounts unless erased; a new account brings its home.
  auto home_at = [&](const std::optional<std::string>& path) {
    return std::find_if(next.homes.begin(), next.homes.end(),
                        [&](const ObservedHome& h) { return path && h.path == *path; });
  };
  if (step.action == Action::kCreateUser && account && account->home &&
      home_at(account->home) == next.homes.end()) {
    next.homes.push_back({*account->home, account->uid});
  }
  if (step.action == Action::kDeleteUser && old_home) {
    auto home = home_at(old_home);
    if (step.erase_home && home != next.homes.end()) {
      next.homes.erase(home);
    } else if (!step.erase_home && home == next.homes.end()) {
      next.homes.push_back({*old_home, old_uid});
    }
  }
  return next;
}

}  // namespace accord
