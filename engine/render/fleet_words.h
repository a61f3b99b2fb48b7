// SPDX-License-Identifier: Apache-2.0
// The words the fleet reports share (fleet_render.cc, fleet_markdown.cc):
// how a Mac's layers, a stopped step and the fleet's totals are said, and
// text made safe for one line of Markdown.
#pragma once

#include <string>

#include "model/fleet_report.h"

namespace accord {

std::string Layers(const MacReport& m);       // "base,lab", or "-"
std::string StopLabel(const StoppedStep& c);  // "refused [unknown-state]"
std::string FirstError(const MacReport& m);
// "800 Macs: 612 to change, …": the line every fleet report starts from.
std::string Totals(const FleetSummary& s);
// Markdown's special characters escaped, and line breaks as spaces.
std::string MarkdownText(const std::string& s);
// A stopped step's line: "title: refused [rule]. why Fix: fix".
std::string Stopped(const StoppedStep& c, std::string (*escape)(const std::string&));

}  // namespace accord
