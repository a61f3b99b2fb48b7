// SPDX-License-Identifier: Apache-2.0
// Local state: what Accord did to a real Mac that observing the Mac cannot
// show afterwards (DOMAIN §1: passwords and their sync cannot be read
// back). Kept in a root-only file on the Mac (state_store.h); the simulated
// Mac keeps the same facts in its snapshot instead.
//
// Only facts that make Accord more careful, or that only convergence
// depends on, are recorded: a password's secret reference (never a value),
// FileVault and keychain passwords known to be out of step after a reset, a
// token a reset may have cost,
// grants pending until a login, a deferred FileVault enablement, and an
// escrow that was seen to happen. Nothing here ever claims an unlock path
// that the Mac does not show.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/device_state.h"
#include "model/plan.h"

namespace accord {

inline constexpr int kLocalStateFormat = 1;

struct AccountRecord {
  std::string user;
  std::optional<std::string> guid;               // the account it belongs to
  std::optional<std::string> password_set_from;  // "env NAME", "file PATH", "keychain SERVICE"
  bool filevault_out_of_step = false;            // reset without the old password, token holder
  bool keychain_out_of_step = false;             // reset without the old password
  // Reset without the old password while it might hold a token: whether
  // the token still works is unknown, whatever the crypto-user list says
  // (DOMAIN §1). Ends when the Mac shows no token, or Accord grants one.
  bool token_unknown = false;
  // Accord granted the token with the account's current password, which
  // FileVault therefore knows, while dscl showed this passwordLastSetTime.
  // Believed only while the Mac still shows the same time: any later
  // change or reset of the password, by anyone, ends it.
  bool filevault_in_step = false;
  std::optional<std::string> password_last_set;
  std::string since;  // when last recorded (UTC, ISO 8601)
  bool operator==(const AccountRecord&) const = default;
};

struct DeferralRecord {
  std::string user;   // who enables FileVault at their logout
  std::string since;  // when Accord deferred it
  bool operator==(const DeferralRecord&) const = default;
};

struct LocalState {
  std::vector<AccountRecord> accounts;
  std::vector<std::string> pending;  // grant_token:NAME, completed at NAME's next login
  std::optional<DeferralRecord> filevault_deferral;
  std::optional<std::string> escrow_confirmed;  // when a new recovery key was seen escrowed
  bool operator==(const LocalState&) const = default;
};

// One decision of the merge, for `accord observe --explain`.
struct MergeNote {
  std::string subject;   // "alice", "grant_token:bob", "FileVault"
  std::string decision;  // "kept: …", "dropped: …"
  bool operator==(const MergeNote&) const = default;
};

struct Merged {
  DeviceState state;  // the observation, completed by the record
  LocalState kept;    // what of the record still holds
  std::vector<MergeNote> notes;
};

// Observation first: the record only fills in what the Mac cannot show, and
// a record the Mac contradicts (the account is gone or was re-created, the
// token arrived, FileVault finished enabling) is dropped.
Merged MergeLocalState(const DeviceState& observed, const LocalState& record);

// The record after `step` ran on a Mac that was `before`, as the device
// model (model/effect) says: one model for the simulator and the record.
// `observed_after` is the Mac as the executor saw it right after the step
// (nullopt where it did not look): a claim that FileVault knows a password
// is recorded only with the passwordLastSetTime seen there.
// `escrow_seen` says the executor saw the new recovery key escrowed.
LocalState RecordStep(LocalState record, const Change& step, const DeviceState& before,
                      const std::optional<DeviceState>& observed_after, bool escrow_seen,
                      const std::string& now);

}  // namespace accord
