// SPDX-License-Identifier: Apache-2.0
// Refusals of single changes.
#include "safety/change_rules.h"

#include "core/names.h"

namespace accord {

Refusal UnknownState(const std::string& what, const char* how) {
  return {Rule::kUnknownState, what + " could not be observed", how};
}

bool IsRoot(const std::string& name, const Known<std::int64_t>& uid) {
  return name == "root" || uid == 0;
}

std::optional<Refusal> ProtectRootDeletion(const std::string& name,
                                           const Known<std::int64_t>& uid) {
  if (!IsRoot(name, uid)) return std::nullopt;
  return Refusal{Rule::kProtectedAccount, "root is never deleted", "remove root from the file"};
}

std::optional<Refusal> ProtectRootDemotion(const std::string& name,
                                           const Known<std::int64_t>& uid) {
  if (!IsRoot(name, uid)) return std::nullopt;
  return Refusal{Rule::kProtectedAccount, "root is never demoted", "remove role from root"};
}

bool IsSystemAccount(const std::string& name, const Known<std::int64_t>& uid) {
  Known<std::int64_t> id = NormalizeUid(uid);
  return IsRoot(name, id) || IsRoleAccount(name) || (id && *id < kSystemUidLimit);
}

Refusal AuthorityStillNeeded(const std::string& authority, const std::string& step) {
  return {Rule::kProtectedAccount, authority + " is the authority and " + step + " still needs it",
          "let " + step + " run first, or choose another authority"};
}

Refusal UidImmutable(const std::string& name, std::int64_t uid, const std::string& why) {
  return {Rule::kUidImmutable,
          why +
              "; an existing account is never renumbered (its files and TCC grants belong to "
              "the old UID)",
          "set uid: " + std::to_string(uid) + " for " + name + ", or drop uid and uid_range"};
}

Refusal UidReuse(std::int64_t uid, const std::string& home) {
  return {Rule::kUidReuse,
          "UID " + std::to_string(uid) + " owns a kept home (" + home +
              "); a new account with it would own those files",
          "give the user another uid, or remove the old home first"};
}

Refusal UidRangeFull(const std::string& name, const UidRange& range,
                     const std::optional<std::string>& range_key) {
  return {Rule::kUidRangeFull,
          "UID range " + range.name + " (" + std::to_string(range.first) + "-" +
              std::to_string(range.last) + ") has no free UID: " + std::to_string(range.last) +
              " is in use",
          range_key ? "widen uid_ranges." + *range_key + ", or give " + name + " an explicit uid"
                    : "give " + name + " an explicit uid or a uid_range"};
}

void Refuse(Change& c, const Refusal& r) {
  Stop(c, Outcome::kRefused, r.why, r.remedy);
  c.rule = r.rule;
}

Refusal UidUnknown(const std::string& what, std::optional<std::int64_t> uid) {
  return {Rule::kUnknownState,
          (uid ? "cannot tell whether uid " + std::to_string(*uid) + " is free while "
               : std::string("cannot choose a free UID while ")) +
              what + " is unknown: it could be any UID",
          "make every account's UID and every home's owner observable"};
}

namespace {

// Where the payload comes from, and how to see it (DOMAIN §1: Apple's
// FDERecoveryKeyEscrow reference; the managed-preferences file is what
// production scripts check with `defaults read`).
constexpr const char* kInstallEscrowPayload =
    "install a configuration profile with a FileVault Recovery Key Escrow payload "
    "(com.apple.security.FDERecoveryKeyEscrow) from the MDM, system-scoped; check it with "
    "`sudo profiles -C -o stdout-xml | grep FDERecoveryKeyEscrow` or the file "
    "'/Library/Managed Preferences/com.apple.security.FDERecoveryKeyEscrow.plist'; then plan "
    "again";

// Why the payload is not certainly installed; nullopt when it is.
std::optional<std::string> NoEscrowPayload(const MdmState& mdm) {
  if (mdm.recovery_key_escrow_payload == true) return std::nullopt;
  if (!mdm.recovery_key_escrow_payload) {
    return std::string(
        "whether a recovery-key escrow payload (com.apple.security.FDERecoveryKeyEscrow) is "
        "installed could not be observed");
  }
  return std::string(
             "no profile with a recovery-key escrow payload "
             "(com.apple.security.FDERecoveryKeyEscrow) is installed") +
         (mdm.enrolled == true ? ", and MDM enrollment alone escrows nothing" : "");
}

}  // namespace

std::optional<Refusal> EscrowBeforeEnable(const FileVaultSpec& spec, const MdmState& mdm) {
  if (spec.escrow != Escrow::kRequired) return std::nullopt;
  std::optional<std::string> missing = NoEscrowPayload(mdm);
  if (!missing) return std::nullopt;
  return Refusal{Rule::kEscrowBeforeEnable,
                 "recovery_key.escrow: required, but " + *missing +
                     ", so the new recovery key would not be escrowed",
                 std::string(kInstallEscrowPayload) + ", or set recovery_key.escrow: optional"};
}

std::optional<Refusal> EscrowBeforeRotate(const MdmState& mdm) {
  std::optional<std::string> missing = NoEscrowPayload(mdm);
  if (!missing) return std::nullopt;
  return Refusal{Rule::kEscrowBeforeEnable,
                 "a rotation prints the new recovery key once and the old key stops working; "
                 "Accord rotates only where the new key is escrowed, and " +
                     *missing,
                 std::string(kInstallEscrowPayload) +
                     "; or rotate the key by hand (fdesetup changerecovery -personal) and keep "
                     "it safe"};
}

}  // namespace accord
