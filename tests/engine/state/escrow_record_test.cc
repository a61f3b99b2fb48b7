// SPDX-License-Identifier: Apache-2.0
// The recovery key's escrow in the local record: a new key is pending from
// the step that made it; only the MDM's copy, no older than the key,
// confirms it; records of older Accords are never believed.
#include "state/local_state.h"
#include "support/catch.h"

namespace accord {
namespace {

// FileVault on with a personal key; the escrow payload installed.
DeviceState OnWithPayload() {
  DeviceState s;
  s.filevault.status = FileVaultStatus::kOn;
  s.filevault.personal_recovery_key = true;
  s.mdm.recovery_key_escrow_payload = true;
  return s;
}

Change Rotation() {
  Change c;
  c.action = Action::kRotateRecoveryKey;
  c.outcome = Outcome::kRun;
  return c;
}

}  // namespace

TEST_CASE("a rotated key is pending from the step that made it, the latest one",
          "[local-state][escrow]") {
  LocalState record;
  record.escrow_verified = "2026-11-01T00:00:00Z";  // an older key's
  record = RecordStep(record, Rotation(), OnWithPayload(), std::nullopt, "2026-11-28T09:00:00Z");
  CHECK(record.escrow_pending == "2026-11-28T09:00:00Z");
  CHECK_FALSE(record.escrow_verified);
  // A second rotation while the first key is pending: the pending key is
  // the newer one, so a copy of the first is no confirmation.
  DeviceState pending = OnWithPayload();
  pending.filevault.escrow_pending = true;
  record = RecordStep(record, Rotation(), pending, std::nullopt, "2026-11-28T12:00:00Z");
  CHECK(record.escrow_pending == "2026-11-28T12:00:00Z");
  // Without the payload the key is escrowed nowhere: nothing pending.
  DeviceState bare = OnWithPayload();
  bare.mdm.recovery_key_escrow_payload = false;
  CHECK_FALSE(
      RecordStep({}, Rotation(), bare, std::nullopt, "2026-11-28T09:00:00Z").escrow_pending);
}

TEST_CASE("the MDM's copy confirms a pending key only if clearly newer than the key",
          "[local-state][escrow]") {
  const std::string now = "2026-11-29T09:00:00Z";
  LocalState record;
  record.escrow_pending = "2026-11-28T09:00:00Z";
  Merged merged = MergeLocalState(OnWithPayload(), record);
  REQUIRE(merged.state.filevault.escrow_pending);
  CHECK_FALSE(KeyEscrowed(merged.state.filevault).has_value());
  auto confirm = [&](const std::string& time, const std::vector<std::string>& files = {}) {
    return ConfirmEscrow(merged.kept, merged.state, time, files, now);
  };
  // Older than the key, or within five minutes of it (two clocks): refused.
  CHECK_FALSE(confirm("2026-11-28T08:59:59Z").ok());
  CHECK_FALSE(confirm("2026-11-28T09:00:00Z").ok());
  CHECK_FALSE(confirm("2026-11-28T09:04:59Z").ok());
  // Not exactly a timestamp, or an impossible one, or later than now.
  for (const char* bad : {"2026-11-28", "", "2026-13-45T09:00:00Z", "2026-11-28T10:00:00Zjunk",
                          "2026-11-28T10:00:00+00:00", "2026-11-30T09:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(confirm(bad).ok());
  }
  // A key pasted in place of the time is refused without being repeated.
  Result<EscrowConfirmed> pasted = confirm("ABCD-EFGH-IJKL-MNOP-QRST-UVWX");
  REQUIRE_FALSE(pasted.ok());
  CHECK(pasted.errors().front().message.find("ABCD") == std::string::npos);
  // A file holding a key written after the pending time (the deferral's
  // logout) is a newer sign of the key: the copy must be newer than it.
  CHECK_FALSE(confirm("2026-11-28T10:00:00Z", {"2026-11-28T09:58:00Z"}).ok());
  Result<EscrowConfirmed> ok = confirm("2026-11-28T10:00:00Z", {"2026-11-28T09:30:00Z"});
  REQUIRE(ok.ok());
  CHECK(ok.value().state.filevault.recovery_key_escrowed == true);
  CHECK_FALSE(ok.value().state.filevault.escrow_pending);
  CHECK_FALSE(ok.value().record.escrow_pending);
  CHECK(ok.value().record.escrow_verified == "2026-11-28T10:00:00Z");

  // No pending record, but a key file: the file is the bound.
  CHECK_FALSE(
      ConfirmEscrow({}, OnWithPayload(), "2026-11-28T10:00:00Z", {"2026-11-28T09:58:00Z"}, now)
          .ok());
  // Pending with no recorded time (a hand-written snapshot): nothing tells
  // the key from an older one, so it stays pending.
  DeviceState untimed = OnWithPayload();
  untimed.filevault.escrow_pending = true;
  CHECK_FALSE(ConfirmEscrow({}, untimed, "2026-11-28T09:00:00Z", {}, now).ok());
  // No personal key the MDM could hold: FileVault off, or still deferred.
  DeviceState off = OnWithPayload();
  off.filevault.status = FileVaultStatus::kOff;
  CHECK_FALSE(ConfirmEscrow({}, off, "2026-11-28T09:00:00Z", {}, now).ok());
  DeviceState deferred = OnWithPayload();
  deferred.filevault.status = FileVaultStatus::kDeferred;
  CHECK_FALSE(ConfirmEscrow({}, deferred, "2026-11-28T09:00:00Z", {}, now).ok());
  DeviceState unknown = OnWithPayload();
  unknown.filevault.status.reset();
  CHECK_FALSE(ConfirmEscrow({}, unknown, "2026-11-28T09:00:00Z", {}, now).ok());
}

TEST_CASE("escrow records: a confirmation is believed, an older Accord's sighting is pending",
          "[local-state][escrow]") {
  // An older Accord took FileVaultPRK.dat changing for escrow: the key it
  // made then is pending from then, never escrowed.
  LocalState legacy;
  legacy.legacy_escrow_seen = "2026-11-01T09:00:00Z";
  Merged from_legacy = MergeLocalState(OnWithPayload(), legacy);
  CHECK_FALSE(from_legacy.state.filevault.recovery_key_escrowed.has_value());
  CHECK(from_legacy.state.filevault.escrow_pending);
  CHECK(from_legacy.kept.escrow_pending == "2026-11-01T09:00:00Z");
  CHECK_FALSE(from_legacy.kept.legacy_escrow_seen);
  REQUIRE_FALSE(from_legacy.notes.empty());
  CHECK(from_legacy.notes[0].decision.find("never proves") != std::string::npos);

  LocalState verified;
  verified.escrow_verified = "2026-11-28T11:00:00Z";
  Merged believed = MergeLocalState(OnWithPayload(), verified);
  CHECK(believed.state.filevault.recovery_key_escrowed == true);
  CHECK(believed.kept.escrow_verified == "2026-11-28T11:00:00Z");
  // FileVault was turned off since: the record ends.
  DeviceState off = OnWithPayload();
  off.filevault.status = FileVaultStatus::kOff;
  CHECK_FALSE(MergeLocalState(off, verified).kept.escrow_verified);
}

}  // namespace accord
