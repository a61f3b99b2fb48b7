// SPDX-License-Identifier: Apache-2.0
// Fuzz target: desired-state YAML. Any input must load or give positioned
// errors: no crash, no hang, no exception out of the loader.
#include "fuzz_input.h"
#include "load/desired_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  accord::Result<accord::DesiredState> r =
      accord::LoadDesiredState(accord::fuzz::Text(data, size), "fuzz.yaml");
  if (!r.ok() && r.errors().empty()) __builtin_trap();
  return 0;
}
