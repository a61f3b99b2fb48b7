// SPDX-License-Identifier: Apache-2.0
// The files that hold a FileVault recovery key on the Mac, in Accord's
// root-only folder (/var/db/accord, 0700), until the MDM's escrowed copy is
// seen:
// - the deferral plist a deferred enablement writes (`fdesetup enable
//   -defer PATH`: fdesetup(8) says the recovery key and related information
//   are written to it when the enablement completes, at the user's logout);
// - the key a rotation prints (`fdesetup changerecovery -personal` prints
//   the new key once on stdout and the old one stops working, DOMAIN §1):
//   Accord writes it to a file before anything else, so no failure after
//   the rotation can lose it.
// Both are secrets: 0600 whenever Accord sees them, never read back, logged
// or printed, and removed once /var/db/FileVaultPRK.dat is newer than they
// are. An unconfirmed escrow leaves the file where it is and says so.
#pragma once

#include <optional>
#include <string>

#include "macos/command_runner.h"
#include "model/device_state.h"

namespace accord {

inline constexpr const char* kDeferralPlistName = "filevault-deferral.plist";
inline constexpr const char* kRotatedKeyName = "rotated-recovery-key.txt";

// The escrowed recovery key's local copy: with an MDM's
// FDERecoveryKeyEscrow payload installed, macOS encrypts each new personal
// recovery key to the MDM's certificate and writes it to
// /var/db/FileVaultPRK.dat for the MDM to collect (Apple's Device
// Management reference for FDERecoveryKeyEscrow; Jamf's and Kandji's escrow
// troubleshooting read the same file). Its modification time in seconds,
// as BSD stat(1) prints it with -f %m; nothing if there is none.
std::optional<long long> EscrowFileTime(CommandRunner& runner);

struct KeyFileTidy {
  bool escrowed = false;               // the MDM's copy is newer: remove the file
  std::optional<std::string> warning;  // it holds a key nobody was seen escrowing
};

// Read-only, at each apply on the Mac, before planning: what to do with a
// key file once the apply goes ahead (TidyKeyFile). The deferral plist holds
// no key while its enablement is pending, so it is judged by `filevault`.
KeyFileTidy AssessDeferralPlist(CommandRunner& runner, const std::string& path,
                                const FileVaultState& filevault);
KeyFileTidy AssessRotatedKey(CommandRunner& runner, const std::string& path);

// Makes the file 0600 if it exists.
Status ProtectKeyFile(const std::string& path);

// Makes the file 0600 and, where `escrowed`, removes it.
Status TidyKeyFile(const std::string& path, bool escrowed);

// Keeps what a rotation printed in `path`, mode 0600, replaced atomically:
// the key alone where its line is found ("New personal recovery key =
// 'XXXX-…'", the line key-rotation scripts in production parse, e.g. the
// reissue scripts of jamf/FileVault2_Scripts), else everything printed (it
// may hold the key in a form not foreseen). Nothing printed, nothing written.
Status KeepRotatedKey(const std::string& path, const std::string& printed);

}  // namespace accord
