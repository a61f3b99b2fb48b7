// SPDX-License-Identifier: Apache-2.0
// Apply stage: runs a checked plan's steps in order through an executor.
// Refused, blocked and skipped steps never run; deferred ones are recorded
// as pending. The first failure stops the apply: what ran stays done, and
// the next plan continues from there.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "apply/executor.h"
#include "apply/secrets.h"
#include "model/desired_state.h"
#include "model/plan.h"

namespace accord {

// One step's line in the apply log.
struct StepRecord {
  std::string id;
  std::string result;  // done, pending, failed
  std::string detail;  // how it was verified, or why it failed (never a secret)
};

struct ApplyReport {
  std::vector<StepRecord> steps;     // every step attempted, in order
  std::vector<std::string> done;     // ids of steps that ran
  std::vector<std::string> pending;  // ids of deferred steps recorded
  std::string failed_step;           // id of the step that failed, if any
  std::string error;                 // why it failed (never a secret)
  bool before_any_step = false;      // it failed checking secrets: nothing ran
  // Every secret that could not be used, each once ("STEP: why"), all found
  // before the first step; `error` says the first.
  std::vector<std::string> secret_errors;
  bool ok() const { return failed_step.empty(); }
};

// `progress` is told about each step as it starts (for the CLI to print).
ApplyReport ApplyPlan(const Plan& plan, const DesiredState& desired, StepExecutor& executor,
                      const SecretSources& sources,
                      const std::function<void(const Change&)>& progress);

}  // namespace accord
