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
// grants pending until a login, a deferred FileVault enablement, a new
// recovery key the MDM has not yet confirmed holding (escrow-pending), and
// the MDM's confirmation of one. Nothing here ever claims an unlock path
// that the Mac does not show, or that the MDM did not confirm.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
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
  // Since when the current recovery key has been escrow-pending: made by
  // a rotation or an enablement, not yet confirmed by the MDM.
  std::optional<std::string> escrow_pending;
  // The MDM's confirmation that it holds the current key: the time its
  // copy was last updated, as the MDM said (Fleet: encryption_key.updated_at
  // once the host's disk encryption status is "verified").
  std::optional<std::string> escrow_verified;
  // Read from files of Accords that took /var/db/FileVaultPRK.dat changing
  // for escrow (it never proves the MDM holds the key): never believed,
  // dropped at the next merge, never written.
  std::optional<std::string> legacy_escrow_seen;
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
// is recorded only with the passwordLastSetTime seen there. A new recovery
// key the model says is escrow-pending is recorded as pending from `now`.
LocalState RecordStep(LocalState record, const Change& step, const DeviceState& before,
                      const std::optional<DeviceState>& observed_after, const std::string& now);

// The MDM's word that it holds this Mac's current recovery key, its copy
// last updated at `mdm_copy_updated` (UTC, ISO 8601: Fleet's
// encryption_key.updated_at, returned only once the host's disk encryption
// status is "verified"). The key is as new as the newest of: the time it
// became pending, and `key_files` (the modification times of the files
// that hold a key, key_files.h). The copy confirms it only if it was
// updated at least kEscrowSkew seconds after that (the MDM's clock and the
// Mac's are two clocks), and not after `now` plus as much. Otherwise, or
// where the time is not exactly such a timestamp, or FileVault has no
// personal key to confirm: an error, and nothing is recorded.
inline constexpr long long kEscrowSkew = 300;
struct EscrowConfirmed {
  LocalState record;
  DeviceState state;
  std::string said;  // what was confirmed, for the apply's output
};
Result<EscrowConfirmed> ConfirmEscrow(LocalState record, DeviceState state,
                                      const std::string& mdm_copy_updated,
                                      const std::vector<std::string>& key_files,
                                      const std::string& now);

// The MDM's word as the key itself: the key it returned is the Mac's
// current key (the caller compared it with the newest kept key file,
// `kept_in`). Recorded at `now`; an error where FileVault has no personal
// key the MDM could hold.
Result<EscrowConfirmed> ConfirmEscrowByKey(LocalState record, DeviceState state,
                                           const std::string& kept_in, const std::string& now);

}  // namespace accord
