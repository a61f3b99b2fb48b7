// Recovery key files. The one a deferred FileVault enablement writes (`fdesetup enable -defer
// PATH`): fdesetup(8) says the recovery key and related information are
// written to it when the enablement completes, at the user's logout. It is
// a secret, so Accord keeps it in its own root-only folder, makes it 0600
// whenever it sees it, never reads or logs it, and removes it once the
// MDM's escrowed copy (/var/db/FileVaultPRK.dat, see macos_executor.cc) is
// newer than it.
#pragma once

#include <optional>
#include <string>

#include "macos/command_runner.h"
#include "model/device_state.h"

namespace accord {

inline constexpr const char* kDeferralPlistName = "filevault-deferral.plist";

struct DeferralTidy {
  bool escrowed = false;               // the MDM's copy is newer: remove the file
  std::optional<std::string> warning;  // it holds a key nobody escrowed
};

// The escrowed recovery key's local copy: with an MDM's
// FDERecoveryKeyEscrow payload installed, macOS encrypts each new personal
// recovery key to the MDM's certificate and writes it to
// /var/db/FileVaultPRK.dat for the MDM to collect (Apple's Device
// Management reference for FDERecoveryKeyEscrow; Jamf's and Kandji's escrow
// troubleshooting read the same file). Its modification time in seconds,
// as BSD stat(1) prints it with -f %m; nothing if there is none.
std::optional<long long> EscrowFileTime(CommandRunner& runner);

// Makes the file 0600 if it exists. Returns an error if it cannot.
std::optional<std::string> ProtectDeferralPlist(const std::string& path);

// Read-only, at each apply on the Mac, before planning: what to do with the
// file once the apply goes ahead (TidyDeferralPlist).
DeferralTidy AssessDeferralPlist(CommandRunner& runner, const std::string& path,
                                 const FileVaultState& filevault);

// Makes the file 0600 and, where `escrowed`, removes it. An error says why not.
std::optional<std::string> TidyDeferralPlist(const std::string& path, bool escrowed);

}  // namespace accord
