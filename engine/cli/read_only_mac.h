// SPDX-License-Identifier: Apache-2.0
// The Mac as every verb but apply sees it: its commands through a
// ReadOnlyRunner (a mutating command is refused), its passwords neither
// checked nor changed (a check counts as a login attempt). plan, graph,
// unlockers, observe, capture and the rest are read-only by construction,
// not by care: they are never handed the Mac that can change.
#pragma once

#include "cli/cli.h"
#include "macos/account_passwords.h"
#include "macos/command_runner.h"

namespace accord {

class ReadOnlyPasswords : public AccountPasswords {
 public:
  PasswordVerdict Verify(const std::string&, const Secret&) override {
    return {PasswordCheck::kCannotTell, "passwords are not checked by a read-only verb"};
  }
  Status Change(const std::string& user, const Secret&, const Secret&) override {
    return "refused to change " + user + "'s password: this verb is read-only";
  }
};

struct ReadOnlyMac {
  explicit ReadOnlyMac(const ThisMac& mac)
      : runner(mac.runner), view{runner, passwords, mac.state_dir, mac.now} {}
  ReadOnlyMac(const ReadOnlyMac&) = delete;
  ReadOnlyMac& operator=(const ReadOnlyMac&) = delete;

  ReadOnlyRunner runner;
  ReadOnlyPasswords passwords;
  ThisMac view;  // what the verb is given
};

}  // namespace accord
