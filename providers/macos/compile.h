// SPDX-License-Identifier: Apache-2.0
// Compiling a step into the macOS commands that perform it (DOMAIN §5).
// Pure. Secrets go only into a command's stdin, never into argv, where
// `ps` would show them to every user of the Mac.
#pragma once

#include <string>
#include <vector>

#include "apply/executor.h"
#include "core/result.h"
#include "macos/command_runner.h"
#include "model/plan.h"

namespace accord {

// Where fdesetup leaves a deferred enablement's details (root-only; see
// macos/key_files.h), in Accord's state folder on a Mac.
inline constexpr const char* kFileVaultDeferralPlist =
    "/var/db/accord/filevault-deferral-key.plist";

// The commands of `step`, in order, all marked mutating. `authority` is the
// SecureToken admin's short name. An error names a missing secret.
Result<std::vector<Command>> CompileStep(
    const Change& step, const std::string& authority, const StepSecrets& secrets,
    const std::string& deferral_plist = kFileVaultDeferralPlist);

}  // namespace accord
