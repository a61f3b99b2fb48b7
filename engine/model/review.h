// SPDX-License-Identifier: Apache-2.0
// A review: the steps a person approved for one Mac, bound to its hardware
// UUID. `plan --fleet --out-dir` writes one per Mac beside its desired
// file; `apply --reviewed` plans afresh on the Mac and runs only the steps
// found in it (the not-reviewed rule). A step refused in review that now
// looks safe, or a deletion nobody saw, is reported and not run.
#pragma once

#include <string>
#include <vector>

#include "model/plan.h"

namespace accord {

inline constexpr int kReviewFormat = 1;

struct Review {
  std::string hardware_uuid;  // the Mac it is for
  std::string fleet_file;     // what it was planned from, as the fleet plan named it
  // The steps that were to run or be deferred, in plan order: their action,
  // subject and the values they set (what SameStep compares).
  std::vector<Change> steps;
};

// The review of `plan` for the Mac `hardware_uuid`: its steps that run or
// are deferred (a refused, blocked or skipped step was not approved).
Review ReviewOf(const Plan& plan, const std::string& hardware_uuid, const std::string& fleet_file);

// The same step: the same action on the same subject setting the same
// values (and erasing the home, or not). What the step was planned from
// (before values, reasons, notes, origins) does not count: the Mac's own
// observation knows more than the fleet's inventory did.
bool SameStep(const Change& a, const Change& b);

// Whether `c` is among the review's steps.
bool Reviewed(const Change& c, const Review& review);

}  // namespace accord
