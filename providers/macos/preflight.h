// SPDX-License-Identifier: Apache-2.0
// Preflight before applying to a real Mac: running as root, a macOS that
// Accord's model covers (11 or later: the first password sets the first
// SecureToken), and Full Disk Access, probed as nix-darwin does with a
// no-op change (nobody's RealName rewritten to its current value). Each
// failure says how to fix it.
#pragma once

#include "core/diagnostic.h"
#include "macos/command_runner.h"

namespace accord {

Status Preflight(CommandRunner& runner);

}  // namespace accord
