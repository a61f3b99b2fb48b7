// SPDX-License-Identifier: Apache-2.0
// Reviews: which steps were approved, and whether a fresh step is one.
#include "model/review.h"

#include <algorithm>

namespace accord {

Review ReviewOf(const Plan& plan, const std::string& hardware_uuid, const std::string& fleet_file) {
  Review review{hardware_uuid, fleet_file, {}};
  for (const Change& c : plan.changes) {
    if (c.outcome == Outcome::kRun || c.outcome == Outcome::kDeferred) review.steps.push_back(c);
  }
  return review;
}

bool SameStep(const Change& a, const Change& b) {
  auto same_value = [](const Attribute& x, const Attribute& y) {
    return x.name == y.name && x.after == y.after;
  };
  return a.action == b.action && a.user == b.user && a.erase_home == b.erase_home &&
         std::equal(a.attributes.begin(), a.attributes.end(), b.attributes.begin(),
                    b.attributes.end(), same_value);
}

bool Reviewed(const Change& c, const Review& review) {
  return std::any_of(review.steps.begin(), review.steps.end(),
                     [&](const Change& r) { return SameStep(c, r); });
}

}  // namespace accord
