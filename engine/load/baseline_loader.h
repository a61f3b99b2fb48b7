// SPDX-License-Identifier: Apache-2.0
// The baseline file (schemas/baseline.schema.json):
//
//   accord_baseline: 1
//   accept:
//     - mac: "lab-*"              # a name glob, or a hardware UUID
//       rule: unknown-state       # a rule id
//       step: grant_token:itadmin # optional: one step
//       reason: lab Macs have no SecureToken table until fleetd ships it
//
// Errors at file:line:column, as for every YAML file Accord reads.
#pragma once

#include <string>

#include "core/result.h"
#include "model/baseline.h"

namespace accord {

Result<Baseline> ParseBaseline(const std::string& text, const std::string& file);
Result<Baseline> LoadBaseline(const std::string& path);
// Does `text` start as a baseline does (accord_baseline:)?
bool LooksLikeBaseline(const std::string& text);

}  // namespace accord
