// SPDX-License-Identifier: Apache-2.0
// Rendering a fleet plan: a summary table for a terminal or CI log, a
// Markdown summary fit for a pull-request comment (refusals first, each
// with its rule and fix), and JUnit XML (a Mac is a test case; refused or
// blocked is a failure, an error is an error) that CI systems show natively.
#pragma once

#include <string>

#include "fleet/fleet_plan.h"

namespace accord {

std::string RenderFleetTable(const FleetPlan& plan, const std::string& fleet_file);
std::string RenderFleetMarkdown(const FleetPlan& plan, const std::string& fleet_file);
std::string RenderFleetJunit(const FleetPlan& plan, const std::string& fleet_file);
// One JSON document (schemas/fleet-plan.schema.json), for scripts.
std::string RenderFleetJson(const FleetPlan& plan, const std::string& fleet_file);

}  // namespace accord
