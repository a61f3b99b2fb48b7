// SPDX-License-Identifier: Apache-2.0
// Render stage, JSON: the versioned, machine-readable plan document
// described by schemas/plan.schema.json, for pipelines and tools.
#pragma once

#include <ostream>
#include <string>

#include "model/plan.h"
#include "model/prediction.h"

namespace accord {

// Deterministic: fixed key order, two-space indent, trailing newline.
// Written to `out` one change at a time.
void WritePlanJson(const Plan& plan, std::ostream& out);
std::string RenderPlanJson(const Plan& plan);
void WritePredictionJson(const Prediction& prediction, std::ostream& out);

}  // namespace accord
