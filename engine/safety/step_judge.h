// SPDX-License-Identifier: Apache-2.0
// The criterion of DOMAIN §4, "no possible world made worse": a step may run
// only if, in every completion of the Mac's unknowns, no rule that holds
// before the step breaks after it. A step touches one account or the
// FileVault state and leaves the rest of the Mac as it is, so a counting
// rule can break only where nothing else certainly keeps it, and then only
// if some completion of what the step touches counts before the step and
// not (certainly) after it. That is exact, and it costs a few completions of
// one account per step, whatever the size of the Mac.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/desired_state.h"
#include "model/plan.h"
#include "safety/contributions.h"
#include "safety/rule_counts.h"

namespace accord {

// Why a step may not run: the rule it breaks in some world, and the facts
// that could not be observed behind it.
struct Breach {
  Rule rule = Rule::kFileVaultUnlock;
  Keep keep = Keep::kUnlock;
  // No order of other steps can make it safe (a reset without
  // allow_keychain_reset): refused at once instead of waiting.
  bool no_order_helps = false;
  // Breaks in every world where the rule holds, not only in some.
  bool certain = true;
  std::string why;                // stated as fact when certain, as a possibility when not
  std::string remedy;             // what would make it safe
  std::vector<Unknown> unknowns;  // unobserved facts that decided it
  bool operator==(const Breach&) const = default;
};

struct Judgement {
  std::optional<Breach> breach;
  // Rules the step would break if nothing else kept them: it may run only
  // because other accounts (or a key) keep them. Check turns these into
  // ordering reasons when a step of the plan provided that keeper.
  std::vector<Keep> relies_on;
};

// A step on one account. `before` is the account now (null: absent),
// `declared` its desired entry if any, `counts` the whole Mac now.
Judgement JudgeAccountStep(const Change& step, const ObservedUser* before,
                           const DesiredUser* declared, const RuleCounts& counts);

// A device-wide step: enable or disable FileVault, rotate the recovery key.
Judgement JudgeFileVaultStep(const Change& step, const FileVaultState& before, const MdmState& mdm,
                             const RuleCounts& counts);

// Adds the unknowns of the rest of the Mac (accounts that may keep the rule
// but cannot be shown to: at most kUnknownsShown of them, and how many more
// there are) to a breach, and names them in its why and fix: "cannot tell
// whether …", "or make known …".
void NameUnknowns(Breach& breach, const std::vector<Unknown>& others, std::size_t more_others);

}  // namespace accord
