// SPDX-License-Identifier: Apache-2.0
// Fuzz target: every macOS tool output Accord parses, through observation
// itself. The input is split at NUL bytes; the n-th part is what the n-th
// observe command printed (dscl plists, diskutil, fdesetup, profiles,
// sw_vers, ls), as a damaged or hostile Mac might print it. What is
// observed is then written as a snapshot, and planned against and printed
// as a plan that takes over every account it saw.
#include "fuzz_input.h"
#include "macos/observe.h"
#include "model/snapshot_codec.h"
#include "plan/planner.h"
#include "render/json_render.h"
#include "render/text_render.h"
#include "safety/unlock_paths.h"

namespace {

class Replay : public accord::CommandRunner {
 public:
  explicit Replay(std::vector<std::string> parts) : parts_(std::move(parts)) {}
  accord::Result<accord::CommandResult> Run(const accord::Command&) override {
    std::string out = next_ < parts_.size() ? parts_[next_] : "";
    ++next_;
    return accord::CommandResult{out.empty() ? 1 : 0, out, ""};
  }

 private:
  std::vector<std::string> parts_;
  std::size_t next_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Replay mac(accord::fuzz::Parts(accord::fuzz::Text(data, size)));
  accord::Result<accord::DeviceState> seen = accord::ObserveMac(mac);
  if (!seen.ok()) return 0;
  accord::SerializeSnapshot(seen.value());
  accord::AssessUnlock(seen.value());
  accord::DesiredState desired;
  desired.file = "fuzz.yaml";
  desired.policy.unmanaged_users = accord::UnmanagedUsers::kRemove;
  accord::Result<accord::Plan> plan = accord::MakePlan(desired, seen.value());
  if (plan.ok()) {
    accord::RenderPlanText(plan.value(), {});
    accord::RenderPlanJson(plan.value());
  }
  return 0;
}
