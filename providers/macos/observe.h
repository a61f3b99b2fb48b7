// SPDX-License-Identifier: Apache-2.0
// Observing a real Mac: a fixed list of read-only commands (whatever the
// number of accounts), each output read by its pure parser, combined into a
// DeviceState. What cannot be told for sure is left unknown.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "macos/command_runner.h"
#include "model/device_state.h"

namespace accord {

struct ObserveCommand {
  std::string key;  // names the output in a capture bundle: "dscl-users"
  Command command;
};

// Who is at the console (parse_tools.h's ParseConsoleUser reads it):
// observed, and read again just before a deletion.
Command ConsoleUserCommand();

// The commands observe runs, in order; none is mutating.
std::vector<ObserveCommand> ObserveCommands();

// `dscl -plist . -readall /Users` naming the attributes Accord reads:
// without names, root is given every readable attribute, password hashes
// (ShadowHashData) included, which would land in captures and support
// bundles (dscl(1): "-readall [path [key ...]]").
Command DsclUsersCommand();

// The attributes no output Accord keeps may hold: password hashes and
// keys of an account (ShadowHashData, HeimdalSRPKey, KerberosKeys) and the
// _writers_* attributes that guard them. The first one `text` names, or "".
std::string SecretAttributeIn(const std::string& text);

// Runs every observe command through `runner` (wrapped in a ReadOnlyRunner,
// so a mutating command can never slip in) and combines the outputs.
// SecureTokens: APFS crypto users and `fdesetup list` decide, the
// AuthenticationAuthority tag corroborates; any disagreement is unknown.
// FileVault/keychain password sync cannot be observed without passwords and
// is reported unknown.
Result<DeviceState> ObserveMac(CommandRunner& runner);

// The same, and what was read and not understood: a tool that answered
// (exit 0, text printed) in words no parser knows leaves its fact unknown,
// and the note says what it printed ("`fdesetup status` printed "…", which
// Accord read and did not understand: FileVault's status is unknown"),
// apart from a fact that could not be observed at all.
struct MacObservation {
  DeviceState state;
  std::vector<std::string> not_understood;
};
Result<MacObservation> ObserveMacExplained(CommandRunner& runner);

}  // namespace accord
