// SPDX-License-Identifier: Apache-2.0
// Render stage, Graphviz: the plan's step graph as DOT, one node per step
// coloured by its outcome, one edge per dependency labelled with its reason.
#pragma once

#include <string>

#include "model/plan.h"

namespace accord {

std::string RenderPlanDot(const Plan& plan);

}  // namespace accord
