// SPDX-License-Identifier: Apache-2.0
// A read-only proof that the authority's password unlocks the Mac's Data
// volume as its APFS crypto user, run at most once per apply and never
// retried: every failed attempt counts against the Secure Enclave's limit
// (Apple Platform Security guide, "Passcode and password settings" and
// "Protecting keys in alternate boot modes": 30 attempts, then the volume's
// keys are erased).
//
// The command is `diskutil apfs unlockVolume VOLUME -user GUID -verify
// -stdinpassphrase`. Source: openwall-com-au/BootUnlock's configurator
// (update.sh) checks a volume password exactly so, `diskutil apfs unlock
// DEVICE -stdinpassphrase -verify -user UUID`, trusting the exit status
// alone, and skips the boot volume. No public source found says whether
// -verify works on the booted Data volume, which is already unlocked: if
// it does not, it exits non-zero and the fact stays unknown, as it was.
// Nothing is read as true without a zero exit.
#pragma once

#include <string>

#include "apply/apply_log.h"
#include "apply/secrets.h"
#include "macos/command_runner.h"
#include "model/device_state.h"

namespace accord {

inline constexpr const char* kDataVolume = "/System/Volumes/Data";

// Whether it is worth asking: the user holds a token and whether its
// FileVault password is in step is unknown. (Known either way: no need.)
bool WorthVerifying(const ObservedUser& user);

UnlockCheck VerifyUnlock(CommandRunner& runner, const ObservedUser& user, const Secret& password);

// The state to plan with after a successful check: the user's FileVault
// password is in step, for this apply only (it is never recorded as a fact
// beyond it: a later reset could change it).
DeviceState WithVerifiedUnlock(DeviceState state, const UnlockCheck& check);

}  // namespace accord
