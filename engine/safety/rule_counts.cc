// SPDX-License-Identifier: Apache-2.0
// Incremental rule counters.
#include "safety/rule_counts.h"

namespace accord {

RuleCounts::RuleCounts(const DeviceState& device) {
  for (const ObservedUser& u : device.users) Add(u, 1);
  Add(device.filevault, 1);
}

void RuleCounts::Count(Keep keep, Tri t, int sign) {
  certain_[Index(keep)] += sign * (t == Tri::kYes);
  possible_[Index(keep)] += sign * (t != Tri::kNo);
}

void RuleCounts::Add(const ObservedUser& u, int sign) {
  for (Keep keep : kAllKeeps) {
    Count(keep, Contributes(keep, u), sign);
    unknowns_[Index(keep)] += sign * static_cast<std::ptrdiff_t>(CountUnknowns(keep, u));
  }
  possible_token_holders_ += sign * (u.secure_token != false);
  certain_token_holders_ += sign * (u.secure_token == true);
}

void RuleCounts::Add(const FileVaultState& fv, int sign) {
  Count(Keep::kUnlock, Contributes(Keep::kUnlock, fv), sign);
  unknowns_[Index(Keep::kUnlock)] +=
      sign * static_cast<std::ptrdiff_t>(UnknownsOf(Keep::kUnlock, fv).size());
}

Tri RuleCounts::Holds(Keep keep) const {
  if (Certain(keep) > 0) return Tri::kYes;
  return Possible(keep) > 0 ? Tri::kMaybe : Tri::kNo;
}

}  // namespace accord
