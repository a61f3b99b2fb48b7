// SPDX-License-Identifier: Apache-2.0
// Merging the local record into an observation, and recording steps.
#include "state/local_state.h"

#include <algorithm>

#include "core/clock.h"
#include "model/effect.h"

namespace accord {
namespace {

std::vector<AccountRecord>::iterator RecordOf(LocalState& s, const std::string& user) {
  return std::find_if(s.accounts.begin(), s.accounts.end(),
                      [&](const AccountRecord& a) { return a.user == user; });
}

// The grant's account: "grant_token:bob" → "bob".
std::string UserOfStep(const std::string& id) { return id.substr(id.find(':') + 1); }

void MergeAccount(const AccountRecord& r, DeviceState& state, Merged& out) {
  auto note = [&](std::string decision) { out.notes.push_back({r.user, std::move(decision)}); };
  auto it = std::find_if(state.users.begin(), state.users.end(),
                         [&](const ObservedUser& u) { return u.name == r.user; });
  if (it == state.users.end()) {
    note("dropped: the account no longer exists");
    return;
  }
  ObservedUser& u = *it;
  if (r.guid && u.guid && *r.guid != *u.guid) {
    note("dropped: the account was re-created (GeneratedUID " + *u.guid + ", recorded " + *r.guid +
         ")");
    return;
  }
  if (r.guid && !u.guid) {
    note("kept, unused: cannot tell whether it is the same account (its GeneratedUID is unknown)");
    out.kept.accounts.push_back(r);
    return;
  }
  AccountRecord kept = r;
  if (!kept.guid) kept.guid = u.guid;
  if (r.password_set_from && !u.password_set_from) {
    u.password_set_from = r.password_set_from;
    note("password set from " + *r.password_set_from + " (recorded " + r.since + ")");
  }
  if (r.keychain_out_of_step && u.keychain_in_sync != false) {
    u.keychain_in_sync = false;
    note("login keychain out of step since a reset (recorded " + r.since + ")");
  }
  if (r.token_unknown) {
    if (u.secure_token == false) {
      kept.token_unknown = false;
      note("SecureToken record dropped: the Mac shows no token now (the reset removed it)");
    } else {
      u.secure_token.reset();
      note("SecureToken unknown since a reset without the old password (recorded " + r.since +
           "): it may look enabled and not work");
    }
  }
  if (r.filevault_in_step) {
    if (u.secure_token != true) {
      kept.filevault_in_step = false;
      kept.password_last_set.reset();
      note("FileVault record dropped: cannot see a SecureToken now");
    } else if (!u.password_last_set || u.password_last_set != r.password_last_set) {
      kept.filevault_in_step = false;
      kept.password_last_set.reset();
      note(
          "FileVault record dropped: the password was set again since Accord granted the token "
          "(passwordLastSetTime " +
          u.password_last_set.value_or("unknown") + ", recorded " +
          r.password_last_set.value_or("none") + "); whether FileVault knows it is unknown again");
    } else if (!u.filevault_password_in_sync) {
      u.filevault_password_in_sync = true;
      note("FileVault password in step: Accord granted the token with it (recorded " + r.since +
           "), and passwordLastSetTime is unchanged since");
    }
  }
  if (r.filevault_out_of_step) {
    if (u.secure_token == false) {
      kept.filevault_out_of_step = false;
      note("FileVault record dropped: the account has no SecureToken now");
    } else if (u.filevault_password_in_sync != false) {
      u.filevault_password_in_sync = false;
      note("FileVault password out of step since a reset (recorded " + r.since + ")");
    }
  }
  out.kept.accounts.push_back(std::move(kept));
}

void MergePending(const std::string& id, DeviceState& state, Merged& out) {
  const ObservedUser* u = state.FindUser(UserOfStep(id));
  if (!u) {
    out.notes.push_back({id, "dropped: the account no longer exists"});
  } else if (u->secure_token == true) {
    out.notes.push_back({id, "done: the SecureToken arrived"});
  } else {
    if (std::find(state.pending.begin(), state.pending.end(), id) == state.pending.end()) {
      state.pending.push_back(id);
    }
    out.kept.pending.push_back(id);
    out.notes.push_back({id, "kept: pending until " + u->name + " logs in"});
  }
}

void MergeDeferral(const DeferralRecord& r, DeviceState& state, Merged& out) {
  auto note = [&](std::string decision) {
    out.notes.push_back({"FileVault", std::move(decision)});
  };
  const Known<FileVaultStatus>& status = state.filevault.status;
  if (!status) {
    out.kept.filevault_deferral = r;
    note("deferred enablement for " + r.user + " kept (since " + r.since +
         "); FileVault's status is unknown");
  } else if (*status == FileVaultStatus::kDeferred) {
    out.kept.filevault_deferral = r;
    state.filevault.deferred_since = r.since;
    note("enablement deferred to " + r.user + "'s logout, pending since " + r.since);
  } else if (*status == FileVaultStatus::kOff) {
    note("deferral record dropped: fdesetup shows FileVault off with no deferral");
  } else {
    note("deferral record dropped: FileVault is " + std::string(ToString(*status)));
  }
}

// No personal key now: nothing of a record about one still holds.
bool NoPersonalKey(const FileVaultState& fv) {
  return fv.status == FileVaultStatus::kOff || fv.personal_recovery_key == false;
}

// The recovery key's escrow: pending until the MDM confirms it.
void MergeEscrow(const LocalState& record, DeviceState& state, Merged& out) {
  auto note = [&](std::string decision) {
    out.notes.push_back({"FileVault", std::move(decision)});
  };
  FileVaultState& fv = state.filevault;
  // An older Accord recorded, as escrow, the time it made a new key: that
  // key is pending from then.
  std::optional<std::string> pending = record.escrow_pending;
  if (record.legacy_escrow_seen) {
    note("escrow record of an older Accord (" + *record.legacy_escrow_seen +
         ") read as escrow-pending from then: it took /var/db/FileVaultPRK.dat changing for "
         "escrow, which never proves that the MDM holds the key");
    if (!pending) pending = record.legacy_escrow_seen;
  }
  if (pending) {
    if (NoPersonalKey(fv)) {
      note("escrow-pending record dropped: there is no personal key now");
      return;
    }
    out.kept.escrow_pending = pending;
    fv.escrow_pending = true;
    fv.escrow_pending_since = pending;
    note("recovery key escrow-pending since " + *pending +
         ": no unlock path until the MDM confirms it holds the key");
  } else if (record.escrow_verified) {
    if (NoPersonalKey(fv)) {
      note("escrow record dropped: there is no personal key now");
      return;
    }
    out.kept.escrow_verified = record.escrow_verified;
    fv.recovery_key_escrowed = true;
    note("recovery key escrowed: the MDM confirmed its copy of " + *record.escrow_verified);
  }
}

}  // namespace

Merged MergeLocalState(const DeviceState& observed, const LocalState& record) {
  Merged out;
  out.state = observed;
  for (const AccountRecord& r : record.accounts) MergeAccount(r, out.state, out);
  for (const std::string& id : record.pending) MergePending(id, out.state, out);
  if (record.filevault_deferral) MergeDeferral(*record.filevault_deferral, out.state, out);
  MergeEscrow(record, out.state, out);
  return out;
}

LocalState RecordStep(LocalState record, const Change& step, const DeviceState& before,
                      const std::optional<DeviceState>& observed_after, const std::string& now) {
  DeviceState after = Effect(step, before);
  record.pending = after.pending;
  if (step.action == Action::kEnableFileVault &&
      after.filevault.status == FileVaultStatus::kDeferred && after.filevault.deferred_user) {
    record.filevault_deferral = DeferralRecord{*after.filevault.deferred_user, now};
  }
  if (step.action == Action::kDisableFileVault) {
    record.filevault_deferral.reset();
    record.escrow_pending.reset();
    record.escrow_verified.reset();
  }
  // A step that made a new key (even while an older one was pending): the
  // MDM has not confirmed this one, and a copy older than it is the old key's.
  if (MakesRecoveryKey(step.action) && after.filevault.escrow_pending) {
    record.escrow_pending = now;
    record.escrow_verified.reset();
  }
  if (step.user.empty()) return record;
  auto it = RecordOf(record, step.user);
  const ObservedUser* u = after.FindUser(step.user);
  if (!u) {  // deleted: nothing of it is left to remember
    if (it != record.accounts.end()) record.accounts.erase(it);
    return record;
  }
  AccountRecord fresh;
  fresh.user = step.user;
  const AccountRecord old = it != record.accounts.end() ? *it : fresh;
  AccountRecord r = old;
  r.password_set_from = u->password_set_from ? u->password_set_from : r.password_set_from;
  r.filevault_out_of_step = u->filevault_password_in_sync == false;
  r.keychain_out_of_step = u->keychain_in_sync == false;
  if (step.action == Action::kResetPassword) {
    const ObservedUser* was = before.FindUser(step.user);
    r.token_unknown = r.token_unknown || !was || was->secure_token != false;
  } else if (step.action == Action::kGrantToken || step.action == Action::kRevokeToken) {
    r.token_unknown = false;  // what Accord just did and verified
  }
  // A grant (or a creation that brought the first token) used the current
  // password: the model says FileVault knows it. Recorded with the marker
  // the Mac showed right after, or not at all.
  const ObservedUser* seen = observed_after ? observed_after->FindUser(step.user) : nullptr;
  bool grants = step.action == Action::kGrantToken || step.action == Action::kCreateUser;
  if (grants && u->secure_token == true && u->filevault_password_in_sync == true && seen &&
      seen->secure_token == true && seen->password_last_set) {
    r.filevault_in_step = true;
    r.password_last_set = seen->password_last_set;
  } else if (step.action == Action::kResetPassword || step.action == Action::kChangePassword ||
             step.action == Action::kRevokeToken) {
    r.filevault_in_step = false;
    r.password_last_set.reset();
  }
  // The account's real GeneratedUID, as observed after the step (the model
  // only has a simulated one for an account it creates); without an
  // observation it is adopted at the next merge.
  if (seen && seen->guid) r.guid = seen->guid;
  bool worth_keeping = r.password_set_from || r.filevault_out_of_step || r.keychain_out_of_step ||
                       r.token_unknown || r.filevault_in_step;
  if (!(r == old)) r.since = now;
  if (it != record.accounts.end()) {
    if (worth_keeping) {
      *it = std::move(r);
    } else {
      record.accounts.erase(it);
    }
  } else if (worth_keeping) {
    record.accounts.push_back(std::move(r));
  }
  return record;
}

namespace {

// Neither confirmation has a key to confirm: FileVault off or deferred (the
// key comes at the logout), no personal key, or a status unknown.
constexpr const char* kNoKeyToConfirm =
    "FileVault has no personal recovery key the MDM could hold yet";
bool NoKeyToConfirm(const FileVaultState& fv) {
  return NoPersonalKey(fv) || !fv.status || *fv.status == FileVaultStatus::kDeferred;
}

// The current key escrowed, as of `when`: no longer pending.
EscrowConfirmed Confirmed(LocalState record, DeviceState state, const std::string& when,
                          std::string said) {
  FileVaultState& fv = state.filevault;
  fv.escrow_pending = false;
  fv.escrow_pending_since.reset();
  fv.recovery_key_escrowed = true;
  record.escrow_pending.reset();
  record.escrow_verified = when;
  return EscrowConfirmed{std::move(record), std::move(state), std::move(said)};
}

}  // namespace

Result<EscrowConfirmed> ConfirmEscrow(LocalState record, DeviceState state,
                                      const std::string& mdm_copy_updated,
                                      const std::vector<std::string>& key_files,
                                      const std::string& now) {
  // What was given is repeated only once it is a timestamp: a key pasted
  // by mistake in its place stays unsaid.
  const std::string given = IsUtcTime(mdm_copy_updated) ? " " + mdm_copy_updated : "";
  auto refused = [&](const std::string& why) {
    return SingleError("", {}, "",
                       "--escrow-verified" + given + ": " + why +
                           "; nothing was changed, and the key stays pending");
  };
  if (!IsUtcTime(mdm_copy_updated)) {
    return refused(
        "expected the time the MDM's copy was last updated, in UTC, as "
        "2026-12-01T05:31:43Z (Fleet: encryption_key.updated_at)");
  }
  FileVaultState& fv = state.filevault;
  if (NoKeyToConfirm(fv)) return refused(kNoKeyToConfirm);
  if (std::optional<long long> ahead = SecondsBetween(now, mdm_copy_updated);
      !ahead || *ahead > kEscrowSkew) {
    return refused("that is later than now (" + now + ") on this Mac's clock");
  }
  // The key is as new as the newest sign of it: the pending record, and
  // each file that holds a key. A copy not clearly later may be an older
  // key's.
  std::vector<std::pair<std::string, std::string>> signs;  // (time, what)
  if (fv.escrow_pending) {
    if (!fv.escrow_pending_since) {
      return refused(
          "the key is escrow-pending since an unrecorded time, so no copy can be "
          "told apart from an older key's");
    }
    signs.push_back({*fv.escrow_pending_since, "the key became escrow-pending"});
  }
  for (const std::string& t : key_files) signs.push_back({t, "a file holding a key was written"});
  for (const auto& [time, what] : signs) {
    std::optional<long long> after = SecondsBetween(time, mdm_copy_updated);
    if (!after || *after < kEscrowSkew) {
      return refused(what + " at " + time +
                     ", and the MDM's copy is not at least five minutes newer: it may be an "
                     "older key's");
    }
  }
  std::string said =
      fv.escrow_pending
          ? "the escrow-pending recovery key (since " + *fv.escrow_pending_since +
                ") is confirmed: the MDM's copy was updated " + mdm_copy_updated
          : "the MDM holds this Mac's recovery key (its copy updated " + mdm_copy_updated + ")";
  return Confirmed(std::move(record), std::move(state), mdm_copy_updated, std::move(said));
}

Result<EscrowConfirmed> ConfirmEscrowByKey(LocalState record, DeviceState state,
                                           const std::string& kept_in, const std::string& now) {
  if (NoKeyToConfirm(state.filevault)) {
    return SingleError("", {}, "",
                       std::string("--escrowed-key: ") + kNoKeyToConfirm + "; nothing was changed");
  }
  return Confirmed(std::move(record), std::move(state), now,
                   "the key the MDM returned is the key kept in " + kept_in);
}

}  // namespace accord
