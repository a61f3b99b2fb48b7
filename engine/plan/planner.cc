// Composition of the planning stages.
#include "plan/planner.h"

#include "plan/check.h"
#include "plan/diff.h"
#include "plan/resolve.h"

namespace accord {
namespace {

// Provenance: which layer asked for each change and value. Only a composed
// desired state records layer files, so plain files' plans are unchanged.
void NoteOrigins(Plan& plan, const DesiredState& desired) {
  const SourceMap& source = desired.source;
  for (Change& c : plan.changes) {
    std::string base = c.user.empty() ? "filevault" : "users." + c.user;
    for (const char* key : {".ensure", ".enabled", ".recovery_key.personal", ""}) {
      if (c.origin.empty()) c.origin = source.Origin(base + key);
    }
    for (Attribute& a : c.attributes) a.origin = source.Origin(base + "." + a.name);
  }
}

}  // namespace

Result<Plan> MakePlan(const DesiredState& desired, const DeviceState& device) {
  Result<Resolution> resolution = Resolve(desired, device);
  if (!resolution.ok()) return resolution.errors();
  Result<Plan> checked = Check(Diff(desired, device, resolution.value()), desired, device);
  if (!checked.ok()) return checked;
  Plan plan = std::move(checked).value();
  NoteOrigins(plan, desired);
  return plan;
}

}  // namespace accord
