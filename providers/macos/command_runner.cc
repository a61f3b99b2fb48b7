// SPDX-License-Identifier: Apache-2.0
// Command display and the read-only guard.
#include "macos/command_runner.h"

namespace accord {

std::string Command::Display() const {
  std::string out;
  for (const std::string& a : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`") == std::string::npos;
    out += plain ? a : "'" + a + "'";
  }
  return out;
}

void Wipe(std::string& output) {
  volatile char* p = output.data();
  for (std::size_t i = 0; i < output.size(); ++i) p[i] = '\0';
  output.clear();
}

Command Command::Reading(std::vector<std::string> argv) {
  Command c;
  c.argv = std::move(argv);
  return c;
}

Command Command::Changing(std::vector<std::string> argv, std::string stdin_data) {
  Command c = Reading(std::move(argv));
  c.stdin_data = std::move(stdin_data);
  c.mutating = true;
  return c;
}

Result<CommandResult> ReadOnlyRunner::Run(const Command& command) {
  if (command.mutating) {
    return SingleError("", {}, "",
                       "refused to run a mutating command while observing: " + command.Display());
  }
  return inner_.Run(command);
}

}  // namespace accord
