// SPDX-License-Identifier: Apache-2.0
// The pipeline the planning verbs share (load, observe, plan; show, ask,
// apply, report), and what every verb that plans or predicts prints the
// same way (a plan, a prediction, an inventory's ignored results).
#pragma once

#include <spdlog/logger.h>

#include <optional>
#include <string>

#include "apply/apply.h"
#include "apply/apply_log.h"
#include "apply/executor.h"
#include "cli/verbs.h"
#include "core/text_file.h"
#include "inventory/inventory.h"
#include "model/desired_state.h"
#include "model/plan.h"
#include "model/prediction.h"
#include "render/text_render.h"

namespace accord {

struct Planned {
  DesiredState desired;
  Plan plan;
};

// The fingerprint of what the desired state means (apply/plan_file.h),
// made only where a plan is saved or applied.
std::string MeaningFingerprint(const DesiredState& desired);

// The desired state first: its errors are the ones an admin fixes. `-` is
// standard input (io.in).
Result<Planned> LoadDesired(const std::string& path, Io& io, spdlog::logger& log);

// A file named on the command line, whole; `-` is standard input.
Result<std::string> ReadInput(const std::string& path, Io& io,
                              std::size_t max_bytes = kMaxInputBytes);

// Plans `planned.desired` for `device`: an error (and no plan) where the
// file's device: names another Mac, unless `options` allow it.
Status PlanInto(Planned& planned, const DeviceState& device, const std::string& device_source,
                const PlanOptions& options, spdlog::logger& log);

// 3 if anything is refused or blocked, else 2 with --detailed-exitcode if
// something would change, else 0.
int PlanExitCode(const PlanSummary& summary, bool detailed);

// Prints a plan or a prediction as --json, --no-color and --explain ask.
void ShowPlan(const Plan& plan, const Display& display, Io& io);
void ShowPrediction(const Prediction& prediction, const Display& display, Io& io);
TextStyle StyleOf(const Display& display, const Io& io);

// "accord: warning: Ignored the results of …" when an inventory holds
// results of queries that are not Accord's.
void ReportIgnored(const Inventory& inventory, std::ostream& err);

// The shared tail of apply: show the plan (unless it was saved, or --json),
// ask, run it step by step through `executor`, and report. `record` gets
// the apply's record for the apply log; with --json it is the only output.
// What apply says at the end: the steps done, deferred, refused, blocked
// (and skipped), then each refused or blocked step with why and its fix.
std::string ApplySummary(const Plan& plan, const ApplyReport& report);

int RunApply(const Planned& loaded, StepExecutor& executor, bool saved, const ApplyOptions& opt,
             Io& io, const SecretSources& sources, ApplyLogEntry& record);

}  // namespace accord
