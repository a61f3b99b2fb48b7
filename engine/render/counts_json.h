// SPDX-License-Identifier: Apache-2.0
// The JSON shapes Accord's plan documents share: a plan's counts (a plan's
// "summary" and each Mac's counts in a fleet plan), and an attribute value
// (a plan's and a review's; a secret only as its reference).
#pragma once

#include <nlohmann/json.hpp>

#include "model/plan.h"

namespace accord {

nlohmann::ordered_json CountsJson(const PlanSummary& s);
nlohmann::ordered_json ValueJson(const AttrValue& value);

}  // namespace accord
