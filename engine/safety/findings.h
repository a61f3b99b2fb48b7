// SPDX-License-Identifier: Apache-2.0
// Findings about the rules on a Mac as it stands: rules already broken, or
// that cannot be shown to hold, are reported (never blocking steps that
// cannot make them worse), and the SecureToken-admin policy is checked on
// the Mac a plan leaves. Unknowns are said as unknowns, never as facts.
#pragma once

#include <vector>

#include "model/device_state.h"
#include "model/plan.h"
#include "safety/rule_counts.h"

namespace accord {

// What is wrong with the Mac before any step: a rule it already breaks, or
// cannot be shown to keep; a recovery key that is escrow-pending.
std::vector<Finding> ExistingViolations(const DeviceState& device);

// The words for an escrow-pending key: what it is not, and what confirms it.
std::string EscrowPendingWords(const FileVaultState& fv);

// A warning when fewer than `min_token_admins` admins certainly hold a
// SecureToken after the plan (DOMAIN §4, the seed's "second administrator").
std::optional<Finding> TokenAdminPolicy(const RuleCounts& after, int min_token_admins);

// A warning when, on a Mac that reports volume ownership (Apple silicon), no
// admin would certainly be a volume owner after the plan: macOS updates and
// startup security changes could then not be authorized.
std::optional<Finding> VolumeOwnerPolicy(const std::vector<const ObservedUser*>& after);

}  // namespace accord
