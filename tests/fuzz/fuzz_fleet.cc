// SPDX-License-Identifier: Apache-2.0
// Fuzz target: fleet files (YAML). Whatever parses selects and composes
// without crashing against a Mac of unknown name (the layers it names do
// not exist here, so each is a layer that does not load).
#include "fleet/compose.h"
#include "fuzz_input.h"
#include "load/fleet_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  accord::Result<accord::Fleet> fleet =
      accord::ParseFleet(accord::fuzz::Text(data, size), "fuzz-fleet.yaml");
  if (!fleet.ok()) return 0;
  accord::MacIdentity mac{"4740D59F-699E-5B29-960B-979AAF9BBEEB", std::nullopt, "C02X", {"lab"}};
  accord::Result<std::vector<std::size_t>> chosen = accord::ChooseLayers(fleet.value(), mac);
  if (!chosen.ok()) return 0;
  accord::FleetLayers layers;
  layers.fleet = fleet.value();
  for (const accord::FleetLayer& layer : layers.fleet.layers) {
    // A layer that did not load is its errors (never none).
    layers.layers.push_back(accord::Diagnostics{
        {accord::Severity::kError, layer.file, {}, "", "not loaded by this fuzz target"}});
  }
  if (Compose(layers, chosen.value()).ok() && !chosen.value().empty()) __builtin_trap();
  return 0;
}
