// SPDX-License-Identifier: Apache-2.0
// Support bundles: `accord capture DIR` saves the raw output of every
// observe command; a ReplayRunner answers those same commands from the
// bundle, so any machine (CI on Linux, a support engineer) can observe and
// plan against a captured Mac.
#pragma once

#include <string>

#include "core/result.h"
#include "macos/command_runner.h"

namespace accord {

// Runs every observe command through `runner` (read-only) and writes
// DIR/<key>.stdout, .stderr and .status, plus DIR/commands.txt. Returns the
// number of commands captured.
Result<std::size_t> CaptureBundle(CommandRunner& runner, const std::string& dir);

// Answers the observe commands from a bundle; any other command is an error
// (a bundle cannot change anything).
class ReplayRunner : public CommandRunner {
 public:
  explicit ReplayRunner(std::string dir) : dir_(std::move(dir)) {}
  Result<CommandResult> Run(const Command& command) override;

 private:
  std::string dir_;
};

}  // namespace accord
