// SPDX-License-Identifier: Apache-2.0
// The authority's unlock check.
#include "macos/unlock_check.h"

namespace accord {

bool WorthVerifying(const ObservedUser& user) {
  return user.secure_token == true && user.guid && !user.filevault_password_in_sync;
}

UnlockCheck VerifyUnlock(CommandRunner& runner, const ObservedUser& user, const Secret& password) {
  UnlockCheck check{user.name, false, ""};
  // Reading: -verify changes nothing; the password travels on stdin.
  Command c = Command::Reading({"/usr/sbin/diskutil", "apfs", "unlockVolume", kDataVolume, "-user",
                                user.guid.value_or(""), "-verify", "-stdinpassphrase"});
  c.stdin_data = password.Reveal() + "\n";
  Result<CommandResult> r = runner.Run(c);
  if (!r.ok()) {
    check.detail = r.errors().front().message;
    return check;
  }
  const CommandResult& out = r.value();
  check.verified = out.exit_code == 0;
  std::string said = out.err.empty() ? out.out : out.err;
  said = said.substr(0, said.find('\n'));
  check.detail = c.Display() + (check.verified ? " succeeded"
                                               : " exited " + std::to_string(out.exit_code) +
                                                     (said.empty() ? "" : ": " + said));
  return check;
}

DeviceState WithVerifiedUnlock(DeviceState state, const UnlockCheck& check) {
  if (!check.verified) return state;
  for (ObservedUser& u : state.users) {
    if (u.name == check.user && u.secure_token == true) u.filevault_password_in_sync = true;
  }
  return state;
}

}  // namespace accord
