// Fuzz target: the whole planning pipeline. The input is a desired state
// (YAML), a NUL byte, and a snapshot (JSON); when both load, the plan is
// made and rendered as text, JSON and DOT.
#include "fuzz_input.h"
#include "load/desired_loader.h"
#include "model/snapshot_codec.h"
#include "plan/planner.h"
#include "render/dot_render.h"
#include "render/json_render.h"
#include "render/text_render.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> parts = accord::fuzz::Parts(accord::fuzz::Text(data, size));
  if (parts.size() < 2) return 0;
  accord::Result<accord::DesiredState> desired = accord::LoadDesiredState(parts[0], "fuzz.yaml");
  accord::Result<accord::DeviceState> device = accord::ParseSnapshot(parts[1], "fuzz.json");
  if (!desired.ok() || !device.ok()) return 0;
  accord::Result<accord::Plan> plan = accord::MakePlan(desired.value(), device.value());
  if (!plan.ok()) return 0;
  accord::RenderPlanText(plan.value(), {});
  accord::RenderPlanJson(plan.value());
  accord::RenderPlanDot(plan.value());
  return 0;
}
