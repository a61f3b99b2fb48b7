// The reboot oracle over observed device state.
#include "safety/unlock_paths.h"

namespace accord {
namespace {

// FileVault states in which a reboot stops at the unlock screen, or (when
// deferred) will as soon as the enabling user logs out.
bool NeedsUnlock(FileVaultStatus status) { return status != FileVaultStatus::kOff; }

}  // namespace

UnlockReport AssessUnlock(const DeviceState& device) {
  UnlockReport report;
  const FileVaultState& fv = device.filevault;
  report.filevault = fv.status ? ToString(*fv.status) : "unknown";
  if (fv.status && !NeedsUnlock(*fv.status)) {
    report.verdict = UnlockVerdict::kNotNeeded;
    return report;
  }
  bool unknown = !fv.status;
  for (const ObservedUser& u : device.users) {
    if (u.secure_token == false) continue;
    if (!u.secure_token) {
      unknown = true;
      report.doubtful.push_back({u.name, "whether it holds a SecureToken is unknown"});
    } else if (u.filevault_password_in_sync == true) {
      report.paths.push_back({u.name, "SecureToken holder, FileVault password in step"});
    } else if (u.filevault_password_in_sync == false) {
      report.doubtful.push_back(
          {u.name, "SecureToken holder, but its FileVault password is out of step: it unlocks "
                   "only with its OLD password"});
    } else {
      unknown = true;
      report.doubtful.push_back(
          {u.name, "SecureToken holder; whether its FileVault password is in step is unknown"});
    }
  }
  if (fv.recovery_key_escrowed == true) {
    report.paths.push_back({"", "the escrowed recovery key"});
  } else if (fv.personal_recovery_key == true) {
    report.doubtful.push_back(
        {"", "a personal recovery key exists but is not escrowed: it works only if someone "
             "recorded it"});
  } else if (!fv.recovery_key_escrowed) {
    unknown = true;
    report.doubtful.push_back({"", "whether a recovery key is escrowed is unknown"});
  }
  if (fv.institutional_recovery_key == true) {
    report.paths.push_back({"", "the institutional recovery key"});
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
