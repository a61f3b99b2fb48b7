// SPDX-License-Identifier: Apache-2.0
// Rendering `plan --enroll --inventory`: every Mac's enrollment verdict
// with all of its reasons (none cut off), as text for a terminal or CI log,
// or as one JSON document (schemas/enrollment-readiness.schema.json).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/fleet.h"
#include "model/prediction.h"

namespace accord {

struct MacReadiness {
  const InventoryMac* mac = nullptr;
  std::optional<Prediction> prediction;  // none when the Mac's data did not load
};

std::string RenderReadinessText(const std::vector<MacReadiness>& macs);
std::string RenderReadinessJson(const std::vector<MacReadiness>& macs,
                                const std::string& enrollment_file,
                                const std::vector<std::string>& ignored_results);

}  // namespace accord
