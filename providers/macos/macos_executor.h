// SPDX-License-Identifier: Apache-2.0
// Applying steps to a real Mac: each step's commands run through the
// runner (secrets on stdin), a transient DS error is retried, and the step
// succeeds only if observing the Mac again shows the change: sysadminctl
// often exits 0 when it failed. A new recovery key is kept in a root-only
// file, escrow-pending, until the MDM confirms it holds it (key_files.h).
#pragma once

#include <functional>
#include <set>
#include <string>
#include <utility>

#include "apply/executor.h"
#include "macos/account_passwords.h"
#include "macos/command_runner.h"
#include "macos/compile.h"

namespace accord {

class MacosExecutor : public StepExecutor {
 public:
  // `key_dir` is Accord's root-only folder (/var/db/accord on a Mac): the
  // deferral plist and a rotated key are kept there (key_files.h).
  MacosExecutor(CommandRunner& runner, AccountPasswords& passwords, std::string authority,
                std::string key_dir);

  // Each credential is verified once per apply through OpenDirectory: one
  // authentication, never retried (a wrong password is a failed login).
  Status CheckCredentials(const std::vector<Credential>& credentials) override;
  StepResult Execute(const Change& step, const StepSecrets& secrets) override;
  // The token arrives at the user's next login; the next observation sees it.
  StepResult RecordPending(const Change&) override { return std::nullopt; }
  // The observation commands again (macos/observe.h); none if they fail.
  std::optional<DeviceState> ObserveNow() override;

 private:
  // What a command with secret output printed, to keep before it is wiped.
  using KeepOutput = std::function<Status(const std::string& printed)>;
  Status RunOne(const Command& command, const KeepOutput& keep = nullptr);
  StepResult Rotate(const Change& step, const StepSecrets& secrets);
  StepResult Verify(const Change& step, const StepSecrets& secrets);
  Status VerifyNewPassword(const Change& step, const StepSecrets& secrets);
  Status ConsoleFree(const std::string& user);
  bool TokenConfirmed(const std::string& user, bool want);
  Status FileVaultTook(Action action, const FileVaultState& filevault);

  CommandRunner& runner_;
  AccountPasswords& passwords_;
  std::string authority_;
  std::string key_dir_;
  std::string deferral_plist_;
  std::string rotated_key_;
  std::set<std::pair<std::string, std::string>> accepted_;  // (user, what) checked this apply
};

}  // namespace accord
