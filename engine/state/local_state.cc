// SPDX-License-Identifier: Apache-2.0
// Merging the local record into an observation, and recording steps.
#include "state/local_state.h"

#include <algorithm>

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

}  // namespace

Merged MergeLocalState(const DeviceState& observed, const LocalState& record) {
  Merged out;
  out.state = observed;
  for (const AccountRecord& r : record.accounts) MergeAccount(r, out.state, out);
  for (const std::string& id : record.pending) MergePending(id, out.state, out);
  if (record.filevault_deferral) MergeDeferral(*record.filevault_deferral, out.state, out);
  if (record.escrow_confirmed) {
    FileVaultState& fv = out.state.filevault;
    if (fv.status == FileVaultStatus::kOff || fv.personal_recovery_key == false) {
      out.notes.push_back({"FileVault", "escrow record dropped: there is no personal key now"});
    } else {
      out.kept.escrow_confirmed = record.escrow_confirmed;
      if (!fv.recovery_key_escrowed) fv.recovery_key_escrowed = true;
      out.notes.push_back(
          {"FileVault", "recovery key seen escrowed (recorded " + *record.escrow_confirmed + ")"});
    }
  }
  return out;
}

LocalState RecordStep(LocalState record, const Change& step, const DeviceState& before,
                      const std::optional<DeviceState>& observed_after, bool escrow_seen,
                      const std::string& now) {
  DeviceState after = Effect(step, before);
  record.pending = after.pending;
  if (step.action == Action::kEnableFileVault &&
      after.filevault.status == FileVaultStatus::kDeferred && after.filevault.deferred_user) {
    record.filevault_deferral = DeferralRecord{*after.filevault.deferred_user, now};
  }
  if (step.action == Action::kDisableFileVault) {
    record.filevault_deferral.reset();
    record.escrow_confirmed.reset();
  }
  if (escrow_seen) record.escrow_confirmed = now;
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

}  // namespace accord
