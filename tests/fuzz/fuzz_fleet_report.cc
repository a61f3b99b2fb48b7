// SPDX-License-Identifier: Apache-2.0
// Fuzz target: fleet plans' JSON as `accord report` reads them, rendered in
// every format and merged.
#include "fuzz_input.h"
#include "render/fleet_render.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  accord::Result<accord::FleetReport> r =
      accord::ReadFleetJson(accord::fuzz::Text(data, size), "fuzz.json");
  if (!r.ok()) return 0;
  const accord::FleetReport& report = r.value();
  accord::RenderFleetTable(report);
  accord::RenderFleetMarkdown(report);
  accord::RenderFleetJunit(report);
  accord::Result<accord::FleetReport> again =
      accord::ReadFleetJson(accord::RenderFleetJson(report), "again.json");
  if (!again.ok()) __builtin_trap();  // what Accord writes, it reads
  accord::MergeFleetReports({report, again.value()});
  return 0;
}
