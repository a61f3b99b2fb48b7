// SPDX-License-Identifier: Apache-2.0
// Plan files: `accord plan --out PLAN` saves a plan with what it was made
// from, so that `accord apply PLAN` applies exactly that plan, or refuses
// when the Mac or the desired state changed since (a stale plan).
#pragma once

#include <string>

#include "core/result.h"
#include "model/device_state.h"
#include "model/plan.h"

namespace accord {

inline constexpr int kPlanFileFormat = 1;

struct PlanFile {
  std::string desired_file;
  std::string device_file;
  std::string fingerprint;
  std::string plan_json;  // the plan document, as `plan --json` prints it
};

// Identifies the inputs of a plan: the desired-state text and the observed
// state in canonical form. It detects change; it is not a signature.
std::string Fingerprint(const std::string& desired_text, const DeviceState& device);

// Identifies a desired-state text (for the apply log).
std::string DesiredFingerprint(const std::string& desired_text);

std::string RenderPlanFile(const PlanFile& file);
Result<PlanFile> ParsePlanFile(const std::string& text, const std::string& path);

// True when two plan documents say the same thing (JSON equality).
bool SamePlanJson(const std::string& a, const std::string& b);

}  // namespace accord
