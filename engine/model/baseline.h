// SPDX-License-Identifier: Apache-2.0
// A baseline: the known gaps a team has reviewed and accepted, by Mac and
// rule (a lab whose osquery has no SecureToken table refuses token steps as
// unknown-state until it has one). An accepted refusal is still shown, with
// its reason; it no longer fails the check (model/fleet_report.h,
// FleetGate). An entry that accepts nothing is said, so that the file does
// not outlive its gaps unseen.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "model/fleet_report.h"

namespace accord {

inline constexpr int kBaselineFormat = 1;

struct Acceptance {
  std::string mac;     // a name glob (fnmatch(3)) or a hardware UUID
  std::string rule;    // a rule id
  std::string step;    // a step id ("grant_token:itadmin"), or "" for any
  std::string reason;  // why the gap is accepted: said wherever it applies
  SourcePos at;        // where the entry is
  bool operator==(const Acceptance&) const = default;
};

struct Baseline {
  std::string file;
  std::vector<Acceptance> accept;
  bool operator==(const Baseline&) const = default;
};

// Marks each refused or blocked step of `report` that an entry accepts
// (the first that does); returns a warning for each entry that accepted
// nothing ("baseline.yaml:7: accepts nothing: ...").
std::vector<std::string> ApplyBaseline(const Baseline& baseline, FleetReport& report);

}  // namespace accord
