// SPDX-License-Identifier: Apache-2.0
// The command-runner seam: the only way the macOS provider reaches the
// system. Commands are argv vectors (never a shell line); secrets travel on
// stdin, never in argv where `ps` would show them. Tests substitute a fake
// Mac that plays the tools, so the provider's whole suite runs on Linux.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace accord {

struct Command {
  std::vector<std::string> argv;  // argv[0] is an absolute program path
  std::string stdin_data;         // secrets go here, never in argv
  bool mutating = false;          // changes the Mac (refused while observing)
  // Its stdout is a secret (fdesetup changerecovery prints the new key):
  // never quoted in a message, and wiped as soon as the step has read it.
  bool secret_output = false;
  std::chrono::milliseconds timeout{60000};

  std::string Display() const;  // argv joined for logs; never stdin_data

  static Command Reading(std::vector<std::string> argv);
  static Command Changing(std::vector<std::string> argv, std::string stdin_data = "");
};

// The most a command may print (stdout and stderr together) before it is
// stopped: `dscl -readall` of a Mac with thousands of accounts fits well
// within it; a tool that prints without end does not fill memory.
inline constexpr std::size_t kMaxCommandOutput = 64 * 1024 * 1024;

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  bool operator==(const CommandResult&) const = default;
};

// Overwrites a command's output in place and empties it, so that a
// recovery key printed on stdout does not linger in freed memory.
void Wipe(std::string& output);

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // The result of running `command`, or an error if it could not run at
  // all (missing program, timeout, refused by a guard).
  virtual Result<CommandResult> Run(const Command& command) = 0;
};

// Wraps a runner for observe and plan: any command marked mutating is
// refused before it reaches the system, so a dry run cannot change a Mac.
class ReadOnlyRunner : public CommandRunner {
 public:
  explicit ReadOnlyRunner(CommandRunner& inner) : inner_(inner) {}
  Result<CommandResult> Run(const Command& command) override;

 private:
  CommandRunner& inner_;
};

}  // namespace accord
