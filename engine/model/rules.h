// SPDX-License-Identifier: Apache-2.0
// The safety rules by their stable ids: the lockout rules, then the harm
// rules that guard what cannot be got back (the harm table, safety/harms.h,
// says which statement of intent allows each). And the three-valued
// logic every rule is judged in: a value observed as unknown (null in a
// snapshot) is each value it could have, so a fact about the Mac is true,
// false, or "cannot tell" — never guessed.
#pragma once

#include <optional>
#include <string>

#include "model/device_state.h"

namespace accord {

enum class Rule {
  kLastAdmin,
  kLastTokenAdmin,
  kFileVaultUnlock,
  kPasswordDesync,
  kUidImmutable,
  kUidReuse,
  kUidRangeFull,  // an extension of DOMAIN §4: no free UID is left for a new account
  kHomeKept,
  kProtectedAccount,
  kUnknownState,
  kEscrowBeforeEnable,
  // Harms beyond lockouts (safety/harms.h).
  kHomeInUse,
  kHomeOutsideUsers,
  kSystemHome,
  kSystemAccount,
  kFileVaultOff,
  kRecoveryKeyRemoval,
  kDeviceMismatch,
  // A gate, not a harm: on a Mac given the steps a person reviewed
  // (apply --reviewed), a step not among them is not run (model/review.h).
  kNotReviewed,
};

// The id shown in refusals and plans: "last-admin", "filevault-unlock", ...
const char* RuleId(Rule rule);
// The rule in one sentence, for the manual and the README.
const char* RuleSummary(Rule rule);
// Every rule: the lockout rules in the order of their table, then the harm rules.
inline constexpr Rule kAllRules[] = {
    Rule::kLastAdmin,        Rule::kLastTokenAdmin,     Rule::kFileVaultUnlock,
    Rule::kPasswordDesync,   Rule::kUidImmutable,       Rule::kUidReuse,
    Rule::kUidRangeFull,     Rule::kHomeKept,           Rule::kProtectedAccount,
    Rule::kUnknownState,     Rule::kEscrowBeforeEnable, Rule::kHomeInUse,
    Rule::kHomeOutsideUsers, Rule::kSystemHome,         Rule::kSystemAccount,
    Rule::kFileVaultOff,     Rule::kRecoveryKeyRemoval, Rule::kDeviceMismatch,
    Rule::kNotReviewed};

// True, false, or cannot tell.
enum class Tri { kNo, kMaybe, kYes };

inline Tri ToTri(const Known<bool>& value) {
  return !value ? Tri::kMaybe : *value ? Tri::kYes : Tri::kNo;
}
inline Tri Not(Tri a) {
  return a == Tri::kYes ? Tri::kNo : a == Tri::kNo ? Tri::kYes : Tri::kMaybe;
}
inline Tri And(Tri a, Tri b) {
  if (a == Tri::kNo || b == Tri::kNo) return Tri::kNo;
  return a == Tri::kYes && b == Tri::kYes ? Tri::kYes : Tri::kMaybe;
}
inline Tri Or(Tri a, Tri b) { return Not(And(Not(a), Not(b))); }

// The rules that count something on the Mac and must keep at least one of
// it: an admin, a SecureToken admin, a way to unlock the disk at boot.
enum class Keep { kAdmin, kTokenAdmin, kUnlock };
inline constexpr Keep kAllKeeps[] = {Keep::kAdmin, Keep::kTokenAdmin, Keep::kUnlock};

Rule RuleOf(Keep keep);
// "an admin", "a SecureToken admin", "a way to unlock the disk"
const char* Describe(Keep keep);

}  // namespace accord
