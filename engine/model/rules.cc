// SPDX-License-Identifier: Apache-2.0
// Rule ids and the counting rules' names.
#include "model/rules.h"

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
    case Rule::kHomeInUse: return "home-in-use";
    case Rule::kHomeOutsideUsers: return "home-outside-users";
    case Rule::kSystemHome: return "system-home";
    case Rule::kSystemAccount: return "system-account";
    case Rule::kFileVaultOff: return "filevault-off";
    case Rule::kRecoveryKeyRemoval: return "recovery-key-removal";
    case Rule::kDeviceMismatch: return "device-mismatch";
    case Rule::kNotReviewed: return "not-reviewed";
  }
  return "?";
}

const char* RuleSummary(Rule rule) {
  switch (rule) {
    case Rule::kLastAdmin: return "at least one admin account always remains";
    case Rule::kLastTokenAdmin:
      return "at least one admin holding a SecureToken always remains (fewer than "
             "min_token_admins is a warning)";
    case Rule::kFileVaultUnlock:
      return "while FileVault is on, encrypting or deferred, a working unlock path remains: a "
             "person holding a SecureToken whose FileVault password is in step, or an escrowed "
             "recovery key";
    case Rule::kPasswordDesync:
      return "a reset without the old password of a token holder runs only if another unlock "
             "path remains and the user has allow_keychain_reset: true";
    case Rule::kUidImmutable: return "an existing account is never renumbered";
    case Rule::kUidReuse: return "no new account gets a UID that owns a kept home";
    case Rule::kUidRangeFull: return "a new account needs a free UID in its range";
    case Rule::kHomeKept: return "deleting keeps the home unless remove_home: true";
    case Rule::kProtectedAccount:
      return "root and the system accounts the file does not declare (UID below 500, negative "
             "UIDs such as nobody's -2 however a source prints them, '_' role accounts), and the "
             "authority while a later step needs it, are never deleted or demoted";
    case Rule::kUnknownState: return "what was observed as unknown is never changed";
    case Rule::kEscrowBeforeEnable:
      return "with escrow: required, FileVault is enabled, and keys are rotated, only where a "
             "recovery-key escrow payload (com.apple.security.FDERecoveryKeyEscrow) is observed "
             "installed; enrollment alone is not escrow, and an unknown payload is refused";
    case Rule::kHomeInUse:
      return "no home is erased, and no new account is given a home, that another account "
             "has or could have (declared or observed; compared without case where the volume "
             "ignores case or may)";
    case Rule::kHomeOutsideUsers:
      return "a home is erased only where it is a person's folder directly in /Users";
    case Rule::kSystemHome:
      return "a system account's home (such as root's /var/root) is never erased";
    case Rule::kSystemAccount:
      return "a system account the file declares is deleted or demoted only where its entry "
             "says allow_system_account: true";
    case Rule::kFileVaultOff:
      return "FileVault is turned off (the disk decrypted) only where the file says "
             "filevault.allow_decrypt: true";
    case Rule::kRecoveryKeyRemoval:
      return "Accord never removes a recovery key: a removal is planned, refused, and left to a "
             "person";
    case Rule::kDeviceMismatch:
      return "no step runs on a Mac the file or plan is not for (its device label is not the "
             "Mac's name, serial or hardware UUID, or cannot be shown to be) unless "
             "--allow-device-mismatch is given";
    case Rule::kNotReviewed:
      return "given the steps a person reviewed for this Mac (apply --reviewed), Accord runs "
             "only those: a step planned afresh that is not among them (a step refused in review "
             "that now looks safe, a deletion nobody saw) is reported and not run";
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
