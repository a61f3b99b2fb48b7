// Render stage, JSON: the versioned, machine-readable plan document
// described by schemas/plan.schema.json, for pipelines and tools.
#pragma once

#include <ostream>
#include <string>

#include "model/plan.h"

namespace accord {

// Deterministic: fixed key order, two-space indent, trailing newline.
// Written to `out` one change at a time.
void WritePlanJson(const Plan& plan, std::ostream& out);
std::string RenderPlanJson(const Plan& plan);

}  // namespace accord
