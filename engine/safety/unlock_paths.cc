// SPDX-License-Identifier: Apache-2.0
// The reboot oracle over observed device state, on the one definition of an
// unlock path (safety/contributions).
#include "safety/unlock_paths.h"

#include "core/names.h"
#include "safety/contributions.h"

namespace accord {
UnlockReport AssessUnlock(const DeviceState& device) {
  UnlockReport report;
  const FileVaultState& fv = device.filevault;
  report.filevault = fv.status ? ToString(*fv.status) : "unknown";
  Tri needs = NeedsUnlock(fv);
  if (needs == Tri::kNo) {
    report.verdict = UnlockVerdict::kNotNeeded;
    return report;
  }
  bool unknown = needs == Tri::kMaybe;
  for (const ObservedUser& u : device.users) {
    switch (Contributes(Keep::kUnlock, u)) {
      case Tri::kYes:
        report.paths.push_back({u.name, "SecureToken holder, FileVault password in step"});
        break;
      case Tri::kMaybe:
        unknown = true;
        report.doubtful.push_back({u.name, (u.secure_token == true ? "SecureToken holder; " : "") +
                                               CannotTell(UnknownsOf(Keep::kUnlock, u))});
        break;
      case Tri::kNo:
        if (IsRoleAccount(u.name) && u.secure_token != false) {
          report.doubtful.push_back(
              {u.name,
               std::string(u.secure_token ? "SecureToken holder" : "may hold a SecureToken") +
                   ", but a role account: no person knows its password (its agent "
                   "holds it), so it cannot unlock FileVault at boot"});
        } else if (u.secure_token == true) {
          report.doubtful.push_back(
              {u.name,
               "SecureToken holder, but its FileVault password is out of step: it "
               "unlocks only with its OLD password"});
        } else if (!u.secure_token) {
          report.doubtful.push_back(
              {u.name,
               "cannot tell whether it still holds a SecureToken, and its FileVault password "
               "is out of step: it unlocks only with its OLD password, if at all"});
        }
        break;
    }
  }
  if (fv.escrow_pending && fv.recovery_key_escrowed != false) {
    unknown = true;
    report.doubtful.push_back(
        {"", "a new recovery key is escrow-pending" +
                 (fv.escrow_pending_since ? " since " + *fv.escrow_pending_since : std::string()) +
                 ": no unlock path until the MDM confirms it holds the key (Fleet: the host's "
                 "disk encryption status \"verified\"); then apply with --escrow-verified "
                 "TIME"});
  } else if (fv.recovery_key_escrowed == true) {
    report.paths.push_back({"", "the escrowed recovery key"});
  } else if (!fv.recovery_key_escrowed) {
    unknown = true;
    report.doubtful.push_back({"", "cannot tell whether a recovery key is escrowed"});
  } else if (fv.personal_recovery_key == true) {
    report.doubtful.push_back(
        {"",
         "a personal recovery key exists but is not escrowed: it works only if someone "
         "recorded it"});
  }
  if (fv.institutional_recovery_key == true) {
    report.paths.push_back({"", "the institutional recovery key"});
  } else if (!fv.institutional_recovery_key) {
    unknown = true;
    report.doubtful.push_back({"", "cannot tell whether an institutional recovery key is set"});
  }
  if (!report.paths.empty()) {
    report.verdict = UnlockVerdict::kUnlockable;
  } else {
    report.verdict = unknown ? UnlockVerdict::kUnknown : UnlockVerdict::kLockedOut;
  }
  return report;
}

const char* ToString(UnlockVerdict verdict) {
  switch (verdict) {
    case UnlockVerdict::kNotNeeded: return "not-needed";
    case UnlockVerdict::kUnlockable: return "unlockable";
    case UnlockVerdict::kLockedOut: return "locked-out";
    case UnlockVerdict::kUnknown: return "unknown";
  }
  return "?";
}

}  // namespace accord
