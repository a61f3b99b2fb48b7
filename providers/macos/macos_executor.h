// Applying steps to a real Mac: each step's commands run through the
// runner (secrets on stdin), a transient DS error is retried, and the step
// succeeds only if observing the Mac again shows the change: sysadminctl
// often exits 0 when it failed.
#pragma once

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
  MacosExecutor(CommandRunner& runner, AccountPasswords& passwords, std::string authority,
                std::string deferral_plist = kFileVaultDeferralPlist)
      : runner_(runner),
        passwords_(passwords),
        authority_(std::move(authority)),
        deferral_plist_(std::move(deferral_plist)) {}

  // Each credential is verified once per apply through OpenDirectory: one
  // authentication, never retried (a wrong password is a failed login).
  std::optional<std::string> CheckCredentials(const std::vector<Credential>& credentials) override;
  StepResult Execute(const Change& step, const StepSecrets& secrets) override;
  // The token arrives at the user's next login; the next observation sees it.
  StepResult RecordPending(const Change&) override { return std::nullopt; }

 private:
  std::optional<std::string> RunOne(const Command& command);
  StepResult Verify(const Change& step, const StepSecrets& secrets);
  std::optional<std::string> VerifyNewPassword(const Change& step, const StepSecrets& secrets);
  std::optional<std::string> ConsoleBusy(const std::string& user);

  CommandRunner& runner_;
  AccountPasswords& passwords_;
  std::string authority_;
  std::string deferral_plist_;
  std::set<std::pair<std::string, std::string>> accepted_;  // (user, what) checked this apply
};

}  // namespace accord
