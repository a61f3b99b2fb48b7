// SPDX-License-Identifier: Apache-2.0
// The counting rules' contributions, in three-valued logic.
#include "safety/contributions.h"

#include <algorithm>

#include "core/names.h"

namespace accord {

// How each kind of unknown can be made known. macOS shows tokens, admin
// membership and FileVault status (DOMAIN §5); it never shows whether a
// FileVault password is in step or whether a key was escrowed.
Unknown UnknownAdmin(const std::string& name) {
  return {"whether " + name + " is an admin", kHowAdminsAreRead};
}
Unknown UnknownToken(const std::string& name) {
  return {"whether " + name + " holds a SecureToken", kHowTokensAreRead};
}
Unknown UnknownSync(const std::string& name) {
  return {"whether " + name + "'s FileVault password is in step with its login password",
          "no macOS tool shows it (it is in step unless the password was reset without the old "
          "one); Accord knows it only for a SecureToken it granted itself, and records that on "
          "the Mac until the password is next set; in a device snapshot, set "
          "filevault_password_in_sync"};
}

Tri Contributes(Keep keep, const ObservedUser& u) {
  switch (keep) {
    case Keep::kAdmin: return ToTri(u.admin);
    case Keep::kTokenAdmin: return And(ToTri(u.admin), ToTri(u.secure_token));
    case Keep::kUnlock:
      // No person knows a role account's password (JumpCloud's service
      // account "doesn't have an accessible password": jumpcloud.com/support/
      // troubleshooting-service-account), so at the FileVault unlock screen,
      // before any agent runs, it opens nothing.
      if (IsRoleAccount(u.name)) return Tri::kNo;
      return And(ToTri(u.secure_token), ToTri(u.filevault_password_in_sync));
  }
  return Tri::kNo;
}

Tri NeedsUnlock(const FileVaultState& fv) {
  if (!fv.status) return Tri::kMaybe;
  return *fv.status == FileVaultStatus::kOff ? Tri::kNo : Tri::kYes;
}

Tri Contributes(Keep keep, const FileVaultState& fv) {
  if (keep != Keep::kUnlock) return Tri::kNo;
  return Or(Not(NeedsUnlock(fv)), Or(ToTri(KeyEscrowed(fv)), ToTri(fv.institutional_recovery_key)));
}

namespace {

// Calls `each` with the maker of every unknown behind a "cannot tell".
template <typename F>
void ForEachUnknown(Keep keep, const ObservedUser& u, F each) {
  if (Contributes(keep, u) != Tri::kMaybe) return;
  if (keep != Keep::kUnlock && !u.admin) each(&UnknownAdmin);
  if (keep != Keep::kAdmin && !u.secure_token) each(&UnknownToken);
  if (keep == Keep::kUnlock && !u.filevault_password_in_sync) each(&UnknownSync);
}

}  // namespace

std::vector<Unknown> UnknownsOf(Keep keep, const ObservedUser& u) {
  std::vector<Unknown> out;
  ForEachUnknown(keep, u,
                 [&](Unknown (*make)(const std::string&)) { out.push_back(make(u.name)); });
  return out;
}

std::size_t CountUnknowns(Keep keep, const ObservedUser& u) {
  std::size_t n = 0;
  ForEachUnknown(keep, u, [&](Unknown (*)(const std::string&)) { ++n; });
  return n;
}

std::string CannotTell(const std::vector<Unknown>& unknowns, std::size_t more) {
  std::string out;
  for (std::size_t i = 0; i < unknowns.size() && i < kUnknownsShown; ++i) {
    out += (i ? "; cannot tell " : "cannot tell ") + unknowns[i].what;
  }
  if (unknowns.size() > kUnknownsShown) more += unknowns.size() - kUnknownsShown;
  if (more > 0) {
    out += "; and " + std::to_string(more) + (more == 1 ? " more unknown" : " more unknowns");
  }
  return out;
}

std::string MakeKnown(const std::vector<Unknown>& unknowns) {
  std::vector<std::pair<std::string, std::vector<std::string>>> by_how;
  for (const Unknown& u : unknowns) {
    auto it = std::find_if(by_how.begin(), by_how.end(),
                           [&](const auto& group) { return group.first == u.how; });
    if (it == by_how.end()) it = by_how.insert(by_how.end(), {u.how, {}});
    if (std::find(it->second.begin(), it->second.end(), u.what) == it->second.end()) {
      it->second.push_back(u.what);
    }
  }
  std::string out;
  for (auto& [how, whats] : by_how) {
    std::size_t more = whats.size() > kUnknownsShown ? whats.size() - kUnknownsShown : 0;
    whats.resize(whats.size() - more);
    if (more > 0) whats.push_back(std::to_string(more) + " more");
    out += (out.empty() ? "make known " : "; make known ") + JoinWords(whats) + ": " + how;
  }
  return out;
}

std::vector<Unknown> UnknownsOf(Keep keep, const FileVaultState& fv) {
  std::vector<Unknown> out;
  if (Contributes(keep, fv) != Tri::kMaybe) return out;
  if (!fv.status) {
    out.push_back({"whether FileVault is on",
                   "Accord reads it from `fdesetup status`; fix what keeps it from being read"});
  }
  if (fv.escrow_pending && !KeyEscrowed(fv)) {
    out.push_back({"whether the MDM holds the escrow-pending recovery key",
                   "wait until the MDM confirms it holds the new key (Fleet: the host's disk "
                   "encryption status \"verified\"), then apply with --escrow-verified TIME"});
  } else if (!KeyEscrowed(fv)) {
    out.push_back({"whether a recovery key is escrowed",
                   "escrow is kept by the MDM, and no Mac shows it: once the MDM confirms it "
                   "holds the current key (Fleet: the host's disk encryption status "
                   "\"verified\"), apply with --escrow-verified TIME; in a device snapshot, set "
                   "recovery_key_escrowed"});
  }
  if (!fv.institutional_recovery_key) {
    out.push_back({"whether an institutional recovery key is set",
                   "Accord reads it from `fdesetup status`; fix what keeps it from being read"});
  }
  return out;
}

}  // namespace accord
