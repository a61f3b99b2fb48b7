// SPDX-License-Identifier: Apache-2.0
// DeviceState: what a provider observed on a Mac (snapshot contract v1,
// DOMAIN §3). Every observed value is a Known<T>: nullopt means the provider
// could not see it, and the planner never changes what it cannot see.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace accord {

inline constexpr int kDeviceSnapshotFormat = 1;

template <typename T>
using Known = std::optional<T>;

struct ObservedUser {
  std::string name;
  Known<std::int64_t> uid;
  Known<std::int64_t> gid;
  Known<std::string> full_name;
  Known<std::string> shell;
  Known<std::string> home;
  Known<std::string> guid;
  Known<bool> hidden;
  Known<bool> admin;
  Known<bool> secure_token;
  Known<bool> filevault_password_in_sync;
  Known<bool> keychain_in_sync;
  // The secret reference ("env NAME", "file PATH") Accord last set this
  // password from: never a value. A password update runs once per reference.
  Known<std::string> password_set_from;
  // When the password was last set, as the Mac reports it (dscl's
  // accountPolicyData passwordLastSetTime, seconds since 1970 as printed):
  // a marker that changes with every password change or reset, by anyone.
  Known<std::string> password_last_set;
  // An owner of the APFS Data volume (Apple silicon: only owners authorize
  // macOS updates and startup security changes). Unknown where the Mac does
  // not say (Intel Macs, older macOS).
  Known<bool> volume_owner;
  bool operator==(const ObservedUser&) const = default;
};

// A folder under /Users and the UID that owns it; a kept home outlives its
// account, and its UID must never be handed to a new one.
struct ObservedHome {
  std::string path;
  Known<std::int64_t> uid;
  bool operator==(const ObservedHome&) const = default;
};

struct MdmState {
  Known<bool> enrolled;
  Known<bool> bootstrap_token_supported;
  Known<bool> bootstrap_token_escrowed;
  // Whether a profile with a com.apple.security.FDERecoveryKeyEscrow payload
  // is installed (DOMAIN §1, §3): the only thing that escrows a recovery key.
  // Enrollment alone never does.
  Known<bool> recovery_key_escrow_payload;
  bool operator==(const MdmState&) const = default;
};

enum class FileVaultStatus { kOff, kOn, kEncrypting, kDecrypting, kDeferred };

struct FileVaultState {
  Known<FileVaultStatus> status;
  std::optional<std::string> deferred_user;   // meaningful while deferred
  std::optional<std::string> deferred_since;  // when Accord deferred it (UTC), if it did
  Known<bool> personal_recovery_key;
  Known<bool> recovery_key_escrowed;
  Known<bool> institutional_recovery_key;
  // A new personal recovery key the MDM has not yet confirmed holding
  // (DOMAIN §1: macOS writes it to /var/db/FileVaultPRK.dat, and the MDM
  // collects it later, at a check-in it chooses). While pending it is no
  // unlock path, and its only plaintext copy is kept. `escrow_pending_since`:
  // when it became pending (UTC), where Accord recorded it.
  bool escrow_pending = false;
  std::optional<std::string> escrow_pending_since;
  bool operator==(const FileVaultState&) const = default;
};

struct DeviceState {
  Known<std::string> name;
  // Who the Mac is, beyond its (changeable) name: the serial number and the
  // hardware UUID (IOPlatformUUID) a `device:` label may name instead.
  Known<std::string> serial;
  Known<std::string> hardware_uuid;
  Known<std::string> os_version;
  MdmState mdm;
  std::vector<ObservedUser> users;
  std::vector<ObservedHome> homes;
  FileVaultState filevault;
  // Whether the boot volume tells names apart by case (APFS's default is
  // not: "/Users/JDoe" and "/Users/jdoe" are one folder); unknown where it
  // was not observed.
  Known<bool> volume_case_sensitive;
  // Who is logged in at the console: a short name, "" for nobody (the
  // login window), unknown where it could not be observed.
  Known<std::string> console_user;
  // Steps that complete later (a token from the Bootstrap Token at a user's
  // next login), by step id, as recorded by apply.
  std::vector<std::string> pending;

  const ObservedUser* FindUser(const std::string& name) const;
  bool operator==(const DeviceState&) const = default;
};

// A UID as every source must be read (DOMAIN §1): dscl prints nobody as -2,
// osquery as the unsigned 32-bit 4294967294. A value of 2^31 up to 2^32 - 1
// is the negative UID its 32 bits encode; anything else is itself. Every
// reader (snapshot, dscl, `ls -ln`, osquery) passes UIDs through this one
// function, so a Mac reads the same whatever reported it.
constexpr std::int64_t NormalizeUid(std::int64_t raw) {
  constexpr std::int64_t kTwo31 = std::int64_t{1} << 31;
  constexpr std::int64_t kTwo32 = std::int64_t{1} << 32;
  return raw >= kTwo31 && raw < kTwo32 ? raw - kTwo32 : raw;
}
inline Known<std::int64_t> NormalizeUid(const Known<std::int64_t>& raw) {
  return raw ? Known<std::int64_t>(NormalizeUid(*raw)) : std::nullopt;
}

// How every output names the Mac: its name, or "this Mac" when unknown.
std::string MacName(const Known<std::string>& name);

// Whether the current personal recovery key is escrowed, as an unlock path
// may count on it: never certainly while the MDM has not confirmed a new
// key (escrow_pending).
inline Known<bool> KeyEscrowed(const FileVaultState& fv) {
  if (fv.escrow_pending && fv.recovery_key_escrowed != false) return std::nullopt;
  return fv.recovery_key_escrowed;
}

const char* ToString(FileVaultStatus status);
std::optional<FileVaultStatus> ParseFileVaultStatus(const std::string& text);

}  // namespace accord
