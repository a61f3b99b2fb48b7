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

Result<CommandResult> ReadOnlyRunner::Run(const Command& command) {
  if (command.mutating) {
    return SingleError("", {}, "",
                       "refused to run a mutating command while observing: " + command.Display());
  }
  return inner_.Run(command);
}

}  // namespace accord
