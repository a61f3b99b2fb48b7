// The executor seam: the only way a step reaches a Mac. `plan` never
// constructs one, so a dry run cannot change anything by construction.
#pragma once

#include <optional>
#include <string>

#include "apply/secrets.h"
#include "plan/plan.h"

namespace accord {

// The secrets one step needs, resolved just before it runs.
struct StepSecrets {
  std::optional<Secret> authority_password;
  std::optional<Secret> password;      // the account's (new) password
  std::optional<Secret> old_password;  // for password_update: change
};

class StepExecutor {
 public:
  virtual ~StepExecutor() = default;
  // Performs `step` and verifies it took; nullopt on success, else why not.
  virtual std::optional<std::string> Execute(const Change& step, const StepSecrets& secrets) = 0;
  // Records a step that completes later (at a login or logout).
  virtual std::optional<std::string> RecordPending(const Change& step) = 0;
};

}  // namespace accord
