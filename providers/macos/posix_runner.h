// SPDX-License-Identifier: Apache-2.0
// The real command runner: posix_spawn with pipes, no shell, a new session
// without a controlling terminal, LANG=C and LC_ALL=C (tools print
// parseable English), stdin fed from the command,
// stdout and stderr captured, and the process killed at its timeout. The
// process must ignore SIGPIPE (main does).
#pragma once

#include "macos/command_runner.h"

namespace accord {

class PosixRunner : public CommandRunner {
 public:
  Result<CommandResult> Run(const Command& command) override;
};

}  // namespace accord
