// Composition of the planning stages.
#include "plan/planner.h"

#include "plan/check.h"
#include "plan/diff.h"
#include "plan/resolve.h"

namespace accord {

Result<Plan> MakePlan(const DesiredState& desired, const DeviceState& device) {
  Result<Resolution> resolution = Resolve(desired, device);
  if (!resolution.ok()) return resolution.errors();
  return Check(Diff(desired, device, resolution.value()), desired, device);
}

}  // namespace accord
