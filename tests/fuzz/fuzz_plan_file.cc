// SPDX-License-Identifier: Apache-2.0
// Fuzz target: saved plan files (`accord apply PLAN` reads them).
#include "apply/plan_file.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  accord::Result<accord::PlanFile> r =
      accord::ParsePlanFile(accord::fuzz::Text(data, size), "fuzz.plan");
  if (r.ok()) accord::SamePlanJson(r.value().plan_json, r.value().plan_json);
  return 0;
}
