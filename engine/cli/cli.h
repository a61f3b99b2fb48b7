// SPDX-License-Identifier: Apache-2.0
// The command line: validate, plan (one Mac, a fleet, an enrollment), graph,
// apply, unlockers, observe, capture, compose, completion and the manual.
// RunCli takes its streams and environment as values so tests run it
// in-process; only main touches the real process.
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
  kExitMacData = 4,  // plan --fleet, report: a Mac's own data could not be planned
};

class AccountPasswords;
class CommandRunner;

// The Mac Accord runs on, chosen once, in main: the real tools and
// /var/db/accord on macOS; a fake Mac and a temporary folder in tests.
// Elsewhere there is none, and only snapshots and captured bundles are read.
struct ThisMac {
  CommandRunner& runner;
  AccountPasswords& passwords;       // OpenDirectory on macOS
  std::string state_dir;             // the apply lock, state.json, apply.log
  std::function<std::string()> now;  // UTC, ISO 8601, for the records
};

struct Io {
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::istream* in = nullptr;    // answers to prompts; none means "no"
  ThisMac* mac = nullptr;        // the Mac this runs on, if it runs on one
  bool err_is_terminal = false;  // progress bars go to a terminal only
};

int RunCli(const std::vector<std::string>& args, Io& io);

}  // namespace accord
