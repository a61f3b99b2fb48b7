// SPDX-License-Identifier: Apache-2.0
// Pure parsers for the FileVault, enrollment, APFS and account tools:
// fdesetup, profiles, diskutil apfs, sysadminctl, sw_vers, and the listing
// of /Users. Each takes what a command printed and returns values.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/device_state.h"

namespace accord {

// sysadminctl logs to stderr as "2021-01-14 19:21:55.854 sysadminctl[1:2] msg";
// returns the messages without that prefix, one per line.
std::vector<std::string> SysadminctlMessages(const std::string& stderr_text);

// `sysadminctl -secureTokenStatus N`: ENABLED / DISABLED; unknown if the
// user does not exist or the line is missing.
Known<bool> ParseSecureTokenStatus(const std::string& stderr_text);

// `fdesetup status`: the FileVault status, and the user of a deferred
// enablement where the line names one. A deferral line ("Deferred
// enablement appears to be active for user 'NAME'.", or without "for user"
// as macOS 13 prints it: the corpus's fdesetup-status-deferred-no-user-1)
// beside "FileVault is Off." means deferred, not off. "FileVault master
// keychain appears to be installed." says only that
// /Library/Keychains/FileVaultMaster.keychain exists, which fdesetup(8)
// says "by itself, does not indicate whether or not FileVault has been set
// up with an institutional recovery key": it is read as nothing (see
// ParseTrueFalse for `fdesetup hasinstitutionalrecoverykey`).
struct FdeStatus {
  Known<FileVaultStatus> status;
  std::optional<std::string> deferred_user;
};
FdeStatus ParseFdesetupStatus(const std::string& text);

// `fdesetup list` ("name,GUID") or `fdesetup list -extended` (a table).
struct FdeUser {
  std::string name;  // empty for non-user entries
  std::string guid;
  std::string type;  // "OS User", "Personal Recovery Record", ... ("" for plain list)
};
std::vector<FdeUser> ParseFdesetupList(const std::string& text);

// `fdesetup haspersonalrecoverykey`: "true" / "false".
Known<bool> ParseTrueFalse(const std::string& text);

// `fdesetup showdeferralinfo` (an old-style plist): deferral active, users.
struct FdeDeferral {
  bool active = false;
  std::vector<std::string> users;
};
FdeDeferral ParseFdesetupDeferral(const std::string& text);

// `profiles status -type enrollment`: MDM-enrolled or not.
Known<bool> ParseProfilesEnrollment(const std::string& text);

// `profiles status -type bootstraptoken`.
struct BootstrapStatus {
  Known<bool> supported;
  Known<bool> escrowed;
};
BootstrapStatus ParseProfilesBootstrap(const std::string& text);

// `diskutil apfs listCryptoUsers -plist /` (or `listUsers -plist`):
// the GeneratedUIDs of local accounts that are cryptographic users. When
// the output is damaged, `complete` is false: accounts absent from the list
// may still hold a token.
struct CryptoUsers {
  std::vector<std::string> local_user_guids;
  // Local users marked VolumeOwner (Apple silicon); `owners_known` when the
  // listing says ownership at all (it has no such key on Intel Macs or
  // before macOS 11).
  std::vector<std::string> volume_owner_guids;
  bool owners_known = false;
  std::vector<std::pair<std::string, std::string>> others;  // guid, type
  bool complete = false;
};
CryptoUsers ParseCryptoUsersPlist(const std::string& xml);

// `stat -f %Su /dev/console`: the owner of the console device, which is
// the user logged in at the screen, and root at the login window (the
// console-user idiom of Mac admin scripts, e.g. Armin Briegel's "Get the
// current user in macOS shell scripts", scriptingosx.com; stat(1): %Su is
// the owner's name). "" for nobody: root, or _mbsetupuser during Setup
// Assistant. Anything but one name is unknown.
Known<std::string> ParseConsoleUser(const std::string& text);

// `sw_vers -productVersion`: "14.5".
Known<std::string> ParseSwVers(const std::string& text);

// `ioreg -rd1 -c IOPlatformExpertDevice`: the Mac's hardware UUID and
// serial, from the lines `"IOPlatformUUID" = "…"` and
// `"IOPlatformSerialNumber" = "…"` (Apple's ioreg.c prints each property
// as `"key" = value` on a line of its own, in no set order; the
// OpenTelemetry SDKs and gopsutil read the UUID from exactly this argv).
// A key missing, empty or printed twice is unknown.
struct PlatformIdentity {
  Known<std::string> hardware_uuid;
  Known<std::string> serial;
};
PlatformIdentity ParseIoregPlatform(const std::string& text);

// The payload type that escrows a FileVault recovery key (Apple's Device
// Management reference, FDERecoveryKeyEscrow).
inline constexpr const char* kRecoveryKeyEscrowPayload = "com.apple.security.FDERecoveryKeyEscrow";

// `profiles -C -o stdout-xml` (run as root, it lists the system-scoped
// configuration profiles with their payloads): whether one holds the
// recovery-key escrow payload. Unknown if the output is not such a plist,
// or a payload that could be it cannot be read.
Known<bool> ParseProfilesEscrowPayload(const std::string& xml);

// `ls -ln /Users`: folders and their owners' UIDs ("Shared" included).
std::vector<ObservedHome> ParseUsersListing(const std::string& text, const std::string& parent);

}  // namespace accord
