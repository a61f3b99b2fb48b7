// SPDX-License-Identifier: Apache-2.0
// AccountPasswords on a real Mac, through the CFOpenDirectory C API.
// macOS only: built where __APPLE__ is defined, chosen in main.
#pragma once

#include "macos/account_passwords.h"

namespace accord {

class OpenDirectoryPasswords : public AccountPasswords {
 public:
  PasswordVerdict Verify(const std::string& user, const Secret& password) override;
  Status Change(const std::string& user, const Secret& old_password,
                const Secret& new_password) override;
};

}  // namespace accord
