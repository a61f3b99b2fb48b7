// SPDX-License-Identifier: Apache-2.0
// Fuzz target: device snapshots (JSON). A snapshot that parses must come
// back the same through the canonical writer, and wherever the fast reader
// (no JSON tree) answers, the strict one must read the same state.
#include "fuzz_input.h"
#include "model/snapshot_codec.h"
#include "model/snapshot_fast.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = accord::fuzz::Text(data, size);
  std::optional<accord::DeviceState> fast = accord::ReadWellFormedSnapshot(text);
  accord::Result<accord::DeviceState> r = accord::ParseSnapshotStrictly(text, "fuzz.json");
  if (fast && (!r.ok() || !(r.value() == *fast))) __builtin_trap();
  if (!r.ok()) return 0;
  accord::Result<accord::DeviceState> again =
      accord::ParseSnapshot(accord::SerializeSnapshot(r.value()), "again.json");
  if (!again.ok() || !(again.value() == r.value())) __builtin_trap();
  return 0;
}
