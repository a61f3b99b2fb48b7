// SPDX-License-Identifier: Apache-2.0
// Fuzz target: device snapshots (JSON). A snapshot that parses must come
// back the same through the canonical writer.
#include "fuzz_input.h"
#include "model/snapshot_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  accord::Result<accord::DeviceState> r =
      accord::ParseSnapshot(accord::fuzz::Text(data, size), "fuzz.json");
  if (!r.ok()) return 0;
  accord::Result<accord::DeviceState> again =
      accord::ParseSnapshot(accord::SerializeSnapshot(r.value()), "again.json");
  if (!again.ok() || !(again.value() == r.value())) __builtin_trap();
  return 0;
}
