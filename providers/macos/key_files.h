// SPDX-License-Identifier: Apache-2.0
// The files that hold a FileVault recovery key on the Mac, in Accord's
// root-only folder (/var/db/accord, 0700), kept until the MDM confirms that
// it holds the key:
// - the deferral plist a deferred enablement writes (`fdesetup enable
//   -defer PATH`: fdesetup(8) says the recovery key and related information
//   are written to it when the enablement completes, at the user's logout);
// - the key a rotation prints (`fdesetup changerecovery -personal` prints
//   the new key once and the old one stops working, DOMAIN §1): Accord
//   writes it to a file before anything else, so no failure after the
//   rotation can lose it.
// Both are secrets: 0600 whenever Accord sees them, never read back, logged
// or printed. /var/db/FileVaultPRK.dat changing proves nothing: macOS
// writes it for the MDM, which collects it later, at a check-in it chooses
// (Apple's FDERecoveryKeyEscrow payload reference: "made available to the
// MDM server as part of the SecurityInfo command"). So a file is removed
// only on the MDM's own word (local_state.h, ConfirmEscrow), and only where
// the MDM's copy is no older than the file.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "apply/secrets.h"
#include "core/result.h"
#include "model/device_state.h"

namespace accord {

inline constexpr const char* kDeferralPlistName = "filevault-deferral-key.plist";
inline constexpr const char* kRotatedKeyName = "pending-recovery-key.txt";
// The names Accords before the escrow-pending rule used: those removed a
// key file as soon as /var/db/FileVaultPRK.dat was newer, so the files are
// named anew (an older Accord run again never touches these), and files of
// the old names are found, kept and confirmed like the new.
inline constexpr std::array<const char*, 2> kLegacyKeyFileNames = {"filevault-deferral.plist",
                                                                   "rotated-recovery-key.txt"};

// Every name a key file may have, and whether it is a deferral's plist
// (which holds a key only once FileVault is on).
struct KeyFileName {
  const char* name;
  bool deferral;
};
inline constexpr std::array<KeyFileName, 4> kKeyFileNames = {{{kDeferralPlistName, true},
                                                              {kRotatedKeyName, false},
                                                              {kLegacyKeyFileNames[0], true},
                                                              {kLegacyKeyFileNames[1], false}}};

// A file of the state folder that holds a recovery key.
struct KeyFile {
  std::string path;
  std::string modified;  // its modification time (UTC, ISO 8601)
};

// The key files in `dir`. The deferral plist holds no key while its
// enablement is pending, so it counts only once FileVault is on or
// encrypting. Read-only.
std::vector<KeyFile> FindKeyFiles(const std::string& dir, const FileVaultState& filevault);

// Whether the key `file` holds is `key`, the MDM's copy as the MDM returned
// it (Fleet: GET /api/v1/fleet/hosts/:id/encryption_key, which answers only
// once the host's disk encryption is "verified"): read from the plist's
// RecoveryKey (a deferral's file) or the kept file's one line, compared in
// constant time, wiped, never printed. Unknown where the file cannot be
// read, or holds nothing Accord can tell for a key.
Known<bool> HoldsKey(const KeyFile& file, const Secret& key);

// Makes the file 0600 if it exists.
Status ProtectKeyFile(const std::string& path);

// Removes the file; an absent file is no error.
Status RemoveKeyFile(const std::string& path);

// Keeps what `fdesetup changerecovery -personal -outputplist` printed in
// `path`, mode 0600, replaced atomically: the key alone, read from the
// plist's RecoveryKey (fdesetup(8), -outputplist: "Outputs the recovery key
// and additional system information to stdout in a plist dictionary";
// grahamgilbert/crypt's key rotation reads the same key from the same
// command). Where the output is not such a plist it was read and not
// understood, and everything printed is kept (it may hold the key in a
// form not foreseen): the result says which. Nothing printed, nothing
// written (false).
Result<bool> KeepRotatedKey(const std::string& path, const std::string& printed);

}  // namespace accord
