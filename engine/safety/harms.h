// SPDX-License-Identifier: Apache-2.0
// The harm table: every step that destroys what nobody can get back (an
// account, a home, the disk's encryption, a recovery key, a SecureToken,
// anything on a Mac the input is not for), with the rule that guards it,
// the statement of intent in the file that allows it (where anything may),
// and the fix its refusal gives. The lockout rules keep a Mac bootable;
// these keep a plan from erasing what it was never asked to. Refusals, the
// summaries' counts, the manual and the README's table are all made from
// this one table, so a harm cannot be added without its guard.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/desired_state.h"
#include "model/device_state.h"
#include "model/plan.h"
#include "model/rules.h"
#include "safety/change_rules.h"

namespace accord {

enum class Harm {
  kDeleteAccount,
  kEraseHome,
  kEraseHomeInUse,
  kEraseNonPersonHome,
  kEraseSystemHome,
  kSystemAccount,
  kFileVaultOff,
  kReplaceRecoveryKey,
  kRemoveRecoveryKey,
  kRevokeToken,
  kOtherMac,
};

inline constexpr Harm kAllHarms[] = {Harm::kDeleteAccount,     Harm::kEraseHome,
                                     Harm::kEraseHomeInUse,    Harm::kEraseNonPersonHome,
                                     Harm::kEraseSystemHome,   Harm::kSystemAccount,
                                     Harm::kFileVaultOff,      Harm::kReplaceRecoveryKey,
                                     Harm::kRemoveRecoveryKey, Harm::kRevokeToken,
                                     Harm::kOtherMac};

struct HarmSpec {
  const char* what;  // "erase a home another account has"
  Rule rule;         // the guard: its id is what a refusal shows
  // The statement that allows it, where it stands ("users.NAME.remove_home:
  // true"); nullptr where nothing does and a person must do it by hand.
  const char* intent;
  // The fix a refusal of it gives; "NAME" stands for the account.
  const char* fix;
};

// Compiler-checked: every harm has its row.
HarmSpec SpecOf(Harm harm);

// The refusal of `harm`: its rule, `why`, and its fix for `user`.
Refusal HarmRefusal(Harm harm, const std::string& why, const std::string& user = "");

// The table as Markdown, for the README (a test holds the README to it).
std::string HarmsMarkdown();

// A home path as the Mac's volume compares it: normal ("/Users/a/../b/"
// is "/Users/b"), and without case unless the volume is observed to be
// case-sensitive (APFS's default is not). Two paths are one folder where
// their keys are equal.
std::string HomeKey(const std::string& path, const DeviceState& mac);

// A folder directly in /Users that is a person's (not /Users itself, not
// /Users/Shared, no "." or ".." on the way).
bool IsPersonHome(const std::string& path);

// Who has which home, on the Mac and in the file, built once per plan so
// that each creation or erase is one lookup (a Mac of 10,000 accounts
// creating 5,000 is planned in linear time). Paths are keyed as the volume
// compares them (HomeKey); an account whose home is unknown, or a /Users
// that could not be listed, stands for every home it could be.
class HomeIndex {
 public:
  HomeIndex(const DesiredState& desired, const DeviceState& mac);

  // Why `home`, given to the new account `name`, is (or could be) another
  // account's: an observed account's, a kept home's, or another new
  // account's of the file. nullopt when it is certainly nobody else's.
  std::optional<Refusal> NewHomeInUse(const std::string& name, const std::string& home) const;

  // Why erasing the home of `account` (deleted with remove_home: true) is
  // refused: a system account's home, a folder that is not a person's home
  // in /Users, a home another account has or could have, a folder of
  // another or an unknown owner, a home not observed.
  std::optional<Refusal> EraseHomeRefusal(const ObservedUser& account) const;

 private:
  struct Holder {
    enum class Kind { kAccount, kKeptHome, kNewAccount } kind;
    std::string name;         // the account's (kAccount, kNewAccount)
    Known<std::int64_t> uid;  // the folder's owner (kKeptHome)
  };
  std::vector<const Holder*> At(const std::string& path) const;

  const DeviceState& mac_;
  std::unordered_multimap<std::string, Holder> holders_;  // by key
  std::vector<std::string> unknown_homes_;  // accounts whose home is unknown (the first two)
  bool unlisted_ = false;                   // /Users could not be listed
};

// Deleting or demoting a system account the file declares needs
// allow_system_account: true in its entry.
std::optional<Refusal> SystemAccountRefusal(const DesiredUser& declared, const ObservedUser& seen,
                                            Action action);

// Turning FileVault off needs filevault.allow_decrypt: true.
std::optional<Refusal> FileVaultOffRefusal(const FileVaultSpec& spec);

// Whether the Mac is the one `label` (a file's device:) names: its name,
// serial or hardware UUID, without case. nullopt when it is; otherwise
// why not, or why it cannot be told (the Mac's identity not observed).
std::optional<std::string> DeviceMismatch(const std::string& label, const DeviceState& mac);

}  // namespace accord
