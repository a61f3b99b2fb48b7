// SPDX-License-Identifier: Apache-2.0
// The reboot oracle: after a reboot now, who or what could unlock this
// Mac's disk at the FileVault screen? A pure function of the observed state,
// and the predicate behind the filevault-unlock rule (DOMAIN §4).
#pragma once

#include <string>
#include <vector>

#include "model/device_state.h"

namespace accord {

struct UnlockPath {
  std::string who;  // a short name, or "" for a recovery key
  std::string how;  // "SecureToken holder, FileVault password in step"
  bool operator==(const UnlockPath&) const = default;
};

enum class UnlockVerdict {
  kNotNeeded,   // FileVault is off: nothing to unlock at boot
  kUnlockable,  // at least one certain path
  kLockedOut,   // every value known, and no path
  kUnknown,     // no certain path, and something could not be observed
};

struct UnlockReport {
  UnlockVerdict verdict = UnlockVerdict::kUnknown;
  std::string filevault;             // the observed status, or "unknown"
  std::vector<UnlockPath> paths;     // certain ways in
  std::vector<UnlockPath> doubtful;  // ways that may or may not work, and why
  bool operator==(const UnlockReport&) const = default;
};

// Counts as a path: a SecureToken holder whose FileVault password is in step
// with its login password; an escrowed recovery key; an institutional key.
// A token holder out of step unlocks only with an old password, and a
// personal key nobody escrowed only if someone wrote it down: both doubtful.
UnlockReport AssessUnlock(const DeviceState& device);

const char* ToString(UnlockVerdict verdict);

}  // namespace accord
