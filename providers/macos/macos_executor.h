// Applying steps to a real Mac: each step's commands run through the
// runner (secrets on stdin), a transient DS error is retried, and the step
// succeeds only if observing the Mac again shows the change: sysadminctl
// often exits 0 when it failed.
#pragma once

#include <string>

#include "apply/executor.h"
#include "macos/command_runner.h"

namespace accord {

class MacosExecutor : public StepExecutor {
 public:
  MacosExecutor(CommandRunner& runner, std::string authority)
      : runner_(runner), authority_(std::move(authority)) {}

  StepResult Execute(const Change& step, const StepSecrets& secrets) override;
  // The token arrives at the user's next login; the next observation sees it.
  StepResult RecordPending(const Change&) override { return std::nullopt; }

 private:
  std::optional<std::string> RunOne(const Command& command);
  StepResult Verify(const Change& step);
  std::optional<std::string> EscrowFileTime();

  CommandRunner& runner_;
  std::string authority_;
};

}  // namespace accord
