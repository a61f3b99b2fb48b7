// SPDX-License-Identifier: Apache-2.0
// Reading a generic password from the System keychain.
#include "macos/keychain.h"

namespace accord {

Result<std::string> ReadKeychainSecret(CommandRunner& runner, const std::string& service) {
  Command c = Command::Reading(
      {"/usr/bin/security", "find-generic-password", "-s", service, "-w", kSystemKeychain});
  Result<CommandResult> r = runner.Run(c);
  if (!r.ok()) {
    return SingleError("", {}, "",
                       "the secret from keychain " + service +
                           " could not be read: " + r.errors().front().message);
  }
  const CommandResult& out = r.value();
  if (out.exit_code != 0) {
    // stderr names the failure (never the value: there is none to print).
    std::string said = out.err.substr(0, out.err.find('\n'));
    return SingleError("", {}, "",
                       "the secret from keychain " + service +
                           " is not in the System keychain (security exited " +
                           std::to_string(out.exit_code) + (said.empty() ? "" : ": " + said) + ")");
  }
  std::string value = out.out;
  if (!value.empty() && value.back() == '\n') value.pop_back();
  return value;
}

}  // namespace accord
