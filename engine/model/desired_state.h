// SPDX-License-Identifier: Apache-2.0
// DesiredState: what the admin asked for, as loaded from YAML (contract v1,
// DOMAIN §2). An unset optional means "not managed": the Mac keeps whatever
// it has. Plain values, no YAML types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "model/source_map.h"

namespace accord {

inline constexpr int kDesiredStateFormat = 1;
// UIDs Accord will write: above root, within what every macOS tool prints
// as a positive number.
inline constexpr std::int64_t kMinUid = 1;
inline constexpr std::int64_t kMaxUid = 2147483647;
// The first UID Setup Assistant gives; below it are hidden/system accounts.
inline constexpr std::int64_t kFirstPersonUid = 501;
inline constexpr std::int64_t kSystemUidLimit = 500;

// Where a secret comes from. The value itself is read only at apply time and
// never stored in a plan.
struct SecretRef {
  enum class Source { kEnv, kFile, kKeychain };
  Source source = Source::kEnv;
  // An environment variable's name, a file's path, or the service name of a
  // generic password in the System keychain.
  std::string name;
  bool operator==(const SecretRef&) const = default;
};

std::string Describe(const SecretRef& secret);    // "env ALICE_PASSWORD"
const char* SourceKey(SecretRef::Source source);  // "env", "file", "keychain"

struct UidRange {
  std::string name;
  std::int64_t first = 0;
  std::int64_t last = 0;
  bool Contains(std::int64_t uid) const { return uid >= first && uid <= last; }
  bool operator==(const UidRange&) const = default;
};

enum class Ensure { kPresent, kAbsent };
enum class Role { kAdmin, kStandard };
enum class PasswordUpdate { kOnCreate, kReset, kChange };

struct DesiredUser {
  std::string name;
  Ensure ensure = Ensure::kPresent;
  std::optional<std::string> full_name;
  std::optional<std::int64_t> uid;
  std::optional<std::string> uid_range;
  std::optional<Role> role;
  std::optional<std::string> shell;
  std::optional<std::string> home;
  std::optional<bool> hidden;
  std::optional<bool> secure_token;
  std::optional<SecretRef> password;
  PasswordUpdate password_update = PasswordUpdate::kOnCreate;
  std::optional<SecretRef> old_password;
  bool allow_keychain_reset = false;
  bool remove_home = false;
  // The file means to delete or demote this system account (UID below 500,
  // a '_' role account): the statement of intent the system-account harm
  // rule asks for (safety/harms.h). Never allows erasing its home.
  bool allow_system_account = false;
  bool operator==(const DesiredUser&) const = default;
};

struct Authority {
  std::string user;
  std::optional<SecretRef> password;
  bool operator==(const Authority&) const = default;
};

enum class Escrow { kRequired, kOptional };

struct FileVaultSpec {
  std::optional<bool> enabled;
  std::optional<bool> personal_recovery_key;
  Escrow escrow = Escrow::kOptional;
  // Who enables it: FileVault shares this account's password, and a first
  // enablement completes at its logout (DOMAIN §1). Unset: the authority.
  std::optional<std::string> enabled_by;
  // The file means to turn FileVault off and decrypt the disk: the statement
  // of intent the filevault-off harm rule asks for (safety/harms.h);
  // `enabled: false` alone never decrypts a disk.
  bool allow_decrypt = false;
  bool operator==(const FileVaultSpec&) const = default;
};

enum class UnmanagedUsers { kIgnore, kReport, kRemove };

struct Policy {
  UnmanagedUsers unmanaged_users = UnmanagedUsers::kIgnore;
  int min_token_admins = 1;
  bool operator==(const Policy&) const = default;
};

struct DesiredState {
  std::string file;  // where it was loaded from, for messages
  std::optional<std::string> device;
  std::vector<UidRange> uid_ranges;  // file order
  std::optional<Authority> authority;
  std::vector<DesiredUser> users;  // file order
  std::optional<FileVaultSpec> filevault;
  Policy policy;
  SourceMap source;
  Diagnostics warnings;  // from validation: reported, not fatal

  const DesiredUser* FindUser(const std::string& name) const;
  const UidRange* FindRange(const std::string& name) const;
  // Who would enable FileVault: filevault.enabled_by, else the authority;
  // "" when the file names neither.
  std::string FileVaultEnabler() const;
  bool operator==(const DesiredState&) const = default;
};

const char* ToString(Role role);
const char* ToString(PasswordUpdate update);
const char* ToString(UnmanagedUsers policy);

}  // namespace accord
