// SPDX-License-Identifier: Apache-2.0
// Root, version and Full Disk Access checks.
#include "macos/preflight.h"

#include <charconv>

#include "macos/parse_dscl.h"
#include "macos/parse_tools.h"

namespace accord {
namespace {

void Fail(Diagnostics& out, std::string message) {
  out.push_back({Severity::kError, "", {}, "", std::move(message)});
}

}  // namespace

Status Preflight(CommandRunner& runner) {
  Diagnostics out;
  Result<CommandResult> id = runner.Run(Command::Reading({"/usr/bin/id", "-u"}));
  if (!id.ok() || id.value().out != "0\n") {
    Fail(out, "accord apply changes accounts and must run as root: run it with sudo");
  }
  Result<CommandResult> version =
      runner.Run(Command::Reading({"/usr/bin/sw_vers", "-productVersion"}));
  Known<std::string> v = version.ok() ? ParseSwVers(version.value().out) : std::nullopt;
  int major = 0;
  if (v) std::from_chars(v->data(), v->data() + v->size(), major);  // 0 if out of range
  if (!v || major < 11) {
    Fail(out, "Accord needs macOS 11 or later (this is " + v.value_or("an unknown version") + ")");
  }
  Result<CommandResult> name =
      runner.Run(Command::Reading({"/usr/bin/dscl", ".", "-read", "/Users/nobody", "RealName"}));
  std::vector<std::string> current =
      name.ok() ? ParseDsclRecord(name.value().out)["RealName"] : std::vector<std::string>{};
  // A write, though it changes nothing.
  Command probe = Command::Changing({"/usr/bin/dscl", ".", "-create", "/Users/nobody", "RealName",
                                     current.empty() ? "Unprivileged User" : current.front()});
  Result<CommandResult> wrote = runner.Run(probe);
  if (!wrote.ok() || wrote.value().exit_code != 0) {
    std::string said = wrote.ok() ? wrote.value().err : wrote.errors().front().message;
    Fail(out, "cannot write user records (" + said.substr(0, said.find('\n')) +
                  "): grant Full Disk Access to the app that runs accord (Terminal, or your "
                  "management agent) in System Settings > Privacy & Security > Full Disk Access");
  }
  if (out.empty()) return OkStatus();
  return out;
}

}  // namespace accord
