// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the whole planning pipeline. The input is a desired state
// (YAML) or an enrollment file (one that starts "accord_enrollment:"), a
// NUL byte, and a snapshot (JSON); when both load, the plan (or the
// enrollment's prediction) is made and rendered as text and JSON (and a
// plan as DOT). A bad enrollment must give positioned errors.
#include <sstream>

#include "enroll/predict.h"
#include "fuzz_input.h"
#include "load/desired_loader.h"
#include "load/enrollment_loader.h"
#include "model/snapshot_codec.h"
#include "plan/planner.h"
#include "render/dot_render.h"
#include "render/json_render.h"
#include "render/text_render.h"

namespace {

void Predict(const std::string& enrollment, const accord::Result<accord::DeviceState>& device) {
  accord::Result<accord::Enrollment> e = accord::ParseEnrollment(enrollment, "fuzz.yaml");
  if (!e.ok() && e.errors().empty()) __builtin_trap();
  if (!e.ok() || !device.ok()) return;
  accord::Prediction p = accord::PredictEnrollment(e.value(), device.value(), "fuzz.json");
  accord::RenderPredictionText(p, {});
  std::ostringstream json;
  accord::WritePredictionJson(p, json);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> parts = accord::fuzz::Parts(accord::fuzz::Text(data, size));
  if (parts.size() < 2) return 0;
  accord::Result<accord::DeviceState> device = accord::ParseSnapshot(parts[1], "fuzz.json");
  if (accord::LooksLikeEnrollmentFile(parts[0])) {
    Predict(parts[0], device);
    return 0;
  }
  accord::Result<accord::DesiredState> desired = accord::LoadDesiredState(parts[0], "fuzz.yaml");
  if (!desired.ok() || !device.ok()) return 0;
  accord::Result<accord::Plan> plan = accord::MakePlan(desired.value(), device.value());
  if (!plan.ok()) return 0;
  accord::RenderPlanText(plan.value(), {});
  accord::RenderPlanJson(plan.value());
  accord::RenderPlanDot(plan.value());
  return 0;
}
