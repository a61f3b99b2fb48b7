// SPDX-License-Identifier: Apache-2.0
// A plan's counts as JSON, the one shape a plan's "summary" and each Mac's
// counts in a fleet plan share (schemas/plan.schema.json, fleet-plan).
#pragma once

#include <nlohmann/json.hpp>

#include "model/plan.h"

namespace accord {

nlohmann::ordered_json CountsJson(const PlanSummary& s);

}  // namespace accord
