// SPDX-License-Identifier: Apache-2.0
// The password seam: checking and changing a local account's password as
// the account itself would, with the old password, through the
// OpenDirectory API. Command-line tools cannot do this safely: run as root,
// `dscl . -passwd /Users/N` takes ONE value, the new password, and resets
// (DSTools PathRecord.m asks for the old password only when root is
// refused), and a reset costs a token holder its FileVault sync and maybe
// its token. The real implementation is macOS-only (open_directory.cc);
// tests use the fake Mac. Passwords travel as Secrets, never through argv.
#pragma once

#include <optional>
#include <string>

#include "apply/secrets.h"
#include "core/result.h"

namespace accord {

enum class PasswordCheck {
  kAccepted,    // the password is the account's
  kRejected,    // the directory said the credentials are wrong
  kCannotTell,  // anything else: no record, no directory, another error
};

struct PasswordVerdict {
  PasswordCheck check = PasswordCheck::kCannotTell;
  std::string detail;  // the directory's words; never the password
};

class AccountPasswords {
 public:
  virtual ~AccountPasswords() = default;
  // Authenticates `user` with `password` on the local node, changing
  // nothing (a wrong password counts as one failed login attempt).
  virtual PasswordVerdict Verify(const std::string& user, const Secret& password) = 0;
  // Changes `user`'s password from `old_password` to `new_password`, as the
  // user would.
  virtual Status Change(const std::string& user, const Secret& old_password,
                        const Secret& new_password) = 0;
};

}  // namespace accord
