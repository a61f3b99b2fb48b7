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

// A saved plan names its inputs relative to its own folder (or absolutely),
// so it applies from any directory and from a CI artifact.
struct PlanFile {
  std::string desired_file;  // as stored in the file
  std::string device_file;
  std::string desired_fingerprint;  // DesiredFingerprint of what the file means
  std::string device_fingerprint;   // DeviceFingerprint of the observed state
  std::string plan_json;            // the plan document, as `plan --json` prints it
};

// SHA-256 of a desired state's meaning: `meaning` is its canonical
// rendering (render/desired_yaml), so comments, key order within a map,
// quoting and blank lines do not count, and any change of value does. It
// detects change; it is not a signature.
std::string DesiredFingerprint(const std::string& meaning);
// SHA-256 of the observed state in canonical form (the snapshot codec).
std::string DeviceFingerprint(const DeviceState& device);

// How a plan saved at `plan_path` names `input`: relative to the plan's
// folder, or absolute where no relative path leads there.
std::string NameFromPlan(const std::string& input, const std::string& plan_path);
// The path, from here, of an input a plan at `plan_path` names `stored`.
std::string InputOfPlan(const std::string& stored, const std::string& plan_path);

std::string RenderPlanFile(const PlanFile& file);
Result<PlanFile> ParsePlanFile(const std::string& text, const std::string& path);

// True when two plan documents say the same thing (JSON equality), where
// they were made from aside (the paths naming their inputs).
bool SamePlanJson(const std::string& a, const std::string& b);

}  // namespace accord
