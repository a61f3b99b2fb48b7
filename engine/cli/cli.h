// The command line: validate, plan, graph, apply, unlockers. RunCli
// takes its streams and environment as values so tests run it in-process;
// only main touches the real process.
#pragma once

#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace accord {

enum ExitCode : int {
  kExitOk = 0,       // success, or nothing to do
  kExitError = 1,    // bad input or a failure
  kExitChanges = 2,  // changes present (plan --detailed-exitcode only)
  kExitRefused = 3,  // something refused or blocked
};

struct Io {
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::istream* in = nullptr;  // answers to prompts; none means "no"
};

int RunCli(const std::vector<std::string>& args, Io& io);

}  // namespace accord
