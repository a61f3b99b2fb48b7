// SPDX-License-Identifier: Apache-2.0
// Rendering a fleet plan: a summary table for a terminal or CI log, a
// Markdown summary fit for a pull-request comment (refusals first, each
// with its rule and fix), JUnit XML (a Mac is a test case; refused or
// blocked is a failure, an error is an error) that CI systems show
// natively, and one JSON document that reads back into the same report
// (so shards merge: model/fleet_report.h).
#pragma once

#include <cstddef>
#include <string>

#include "fleet/fleet_plan.h"
#include "model/fleet_report.h"

namespace accord {

// What the reports say of one planned Mac, and of a fleet plan. Each Mac's
// own MacPlan::report, where it was made as planned, moves into the fleet's.
MacReport ReportRowOf(const MacPlan& m);
FleetReport ReportOf(FleetPlan& plan, const std::string& fleet_file);

std::string RenderFleetTable(const FleetReport& report);
// GitHub's comments hold 65,536 characters; the workflow adds its marker.
inline constexpr std::size_t kCommentLimit = 65000;
// At most `limit` characters, by the rule in fleet_markdown.cc.
std::string RenderFleetMarkdown(const FleetReport& report, std::size_t limit = kCommentLimit);
std::string RenderFleetJunit(const FleetReport& report);
// One JSON document (schemas/fleet-plan.schema.json), for scripts.
std::string RenderFleetJson(const FleetReport& report);
// The JSON document read back; errors name the key path.
Result<FleetReport> ReadFleetJson(const std::string& text, const std::string& file);

}  // namespace accord
