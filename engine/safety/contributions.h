// SPDX-License-Identifier: Apache-2.0
// What one account, or the FileVault state, contributes to each counting
// rule: the one definition of "admin", "SecureToken admin" and "unlock
// path", used by the checker and the reboot oracle alike. Each is true,
// false or cannot tell, and a "cannot tell" names the unknowns behind it.
#pragma once

#include <string>
#include <vector>

#include "model/device_state.h"
#include "model/rules.h"

namespace accord {

// Does `u` count for `keep`? An admin is a member of group admin; a
// SecureToken admin is an admin holding a SecureToken; an account is an
// unlock path when it holds a SecureToken and its FileVault password is in
// step with its login password (after a reset it unlocks only with the old
// one), and is not a role account, whose password no person knows.
Tri Contributes(Keep keep, const ObservedUser& u);

// The FileVault state keeps the unlock rule by itself when nothing needs
// unlocking at boot (FileVault off), or when a recovery key that works is
// held elsewhere (escrowed, or an institutional key). It never counts as an
// admin. A personal key nobody escrowed is not a path: it works only if
// someone wrote it down.
Tri Contributes(Keep keep, const FileVaultState& fv);

// Whether a reboot stops at the FileVault unlock screen (or will, once a
// deferred enablement completes at logout; decryption still needs it).
Tri NeedsUnlock(const FileVaultState& fv);

// A fact Accord could not observe, and how an admin can make it known.
struct Unknown {
  std::string what;  // "whether olduser's FileVault password is in step"
  std::string how;
  bool operator==(const Unknown&) const = default;
};

// How the Mac's own tools make a fact known, as the fixes say it. A
// provider that reads a Mac another way (osquery) says its own way
// instead (model/fleet.h, InventoryMac::fixes).
inline constexpr const char* kHowAdminsAreRead =
    "Accord reads it from `dscl . -read /Groups/admin`; fix what keeps that from being read, then "
    "plan again";
inline constexpr const char* kHowTokensAreRead =
    "Accord reads tokens from `diskutil apfs listCryptoUsers /` and `fdesetup list`; fix what "
    "keeps them from being read (`accord observe` shows the account), then plan again";

// The single unknowns, by account name.
Unknown UnknownAdmin(const std::string& name);
Unknown UnknownToken(const std::string& name);
Unknown UnknownSync(const std::string& name);

// How many unknowns a message names; the rest are counted.
inline constexpr std::size_t kUnknownsShown = 3;

// "cannot tell A; cannot tell B; cannot tell C; and 4 more unknowns": the
// first kUnknownsShown of `unknowns` named, the rest (and `more`) counted.
std::string CannotTell(const std::vector<Unknown>& unknowns, std::size_t more = 0);

// "make known A and B: how; make known C: how": every unknown with how to
// make it known, those sharing a how said together (the first
// kUnknownsShown of each named, the rest counted).
std::string MakeKnown(const std::vector<Unknown>& unknowns);

// The unknowns that make a contribution "cannot tell" (empty when known).
std::vector<Unknown> UnknownsOf(Keep keep, const ObservedUser& u);
// How many there are, without saying them (cheap, for counts).
std::size_t CountUnknowns(Keep keep, const ObservedUser& u);
std::vector<Unknown> UnknownsOf(Keep keep, const FileVaultState& fv);

}  // namespace accord
