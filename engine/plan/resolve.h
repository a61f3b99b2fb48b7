// SPDX-License-Identifier: Apache-2.0
// Resolve stage: match desired accounts to the Mac's and choose the UID of
// every account to be created. Errors are conflicts the admin must fix in
// the file (a name that differs only in case, an exhausted range, a UID that
// belongs to someone else); refusals are left to the plan.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/result.h"
#include "model/desired_state.h"
#include "model/device_state.h"
#include "safety/change_rules.h"

namespace accord {

struct UidChoice {
  std::optional<std::int64_t> uid;  // unset when refused
  std::string how;                  // "explicit", "next free UID in range people (501-599)"
  std::optional<Refusal> refusal;   // uid-reuse, uid-range-full or unknown-state
  bool operator==(const UidChoice&) const = default;
};

struct Resolution {
  // For each desired account that does not exist yet, keyed by short name.
  std::map<std::string, UidChoice> new_uids;
  bool operator==(const Resolution&) const = default;
};

// Deterministic: the same inputs always give the same UIDs. New accounts
// draw UIDs in file order; explicit UIDs of the file count as taken.
Result<Resolution> Resolve(const DesiredState& desired, const DeviceState& device);

}  // namespace accord
