// Rule ids and the counting rules' names.
#include "safety/rules.h"

namespace accord {

const char* RuleId(Rule rule) {
  switch (rule) {
    case Rule::kLastAdmin: return "last-admin";
    case Rule::kLastTokenAdmin: return "last-token-admin";
    case Rule::kFileVaultUnlock: return "filevault-unlock";
    case Rule::kPasswordDesync: return "password-desync";
    case Rule::kUidImmutable: return "uid-immutable";
    case Rule::kUidReuse: return "uid-reuse";
    case Rule::kUidRangeFull: return "uid-range-full";
    case Rule::kHomeKept: return "home-kept";
    case Rule::kProtectedAccount: return "protected-account";
    case Rule::kUnknownState: return "unknown-state";
    case Rule::kEscrowBeforeEnable: return "escrow-before-enable";
  }
  return "?";
}

Rule RuleOf(Keep keep) {
  switch (keep) {
    case Keep::kAdmin: return Rule::kLastAdmin;
    case Keep::kTokenAdmin: return Rule::kLastTokenAdmin;
    case Keep::kUnlock: return Rule::kFileVaultUnlock;
  }
  return Rule::kFileVaultUnlock;
}

const char* Describe(Keep keep) {
  switch (keep) {
    case Keep::kAdmin: return "an admin";
    case Keep::kTokenAdmin: return "a SecureToken admin";
    case Keep::kUnlock: return "a way to unlock the disk";
  }
  return "?";
}

}  // namespace accord
