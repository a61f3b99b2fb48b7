// Refusals of single changes.
#include "safety/change_rules.h"

#include "core/names.h"

namespace accord {

Refusal UnknownState(const std::string& what) {
  return {Rule::kUnknownState, what + " could not be observed",
          "fix what keeps the provider from reading it, then plan again"};
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

bool ProtectedFromUnmanagedPolicy(const ObservedUser& u) {
  bool role_account = IsRoleAccount(u.name);
  bool system = u.uid && *u.uid < kSystemUidLimit;
  return role_account || system || IsRoot(u.name, u.uid);
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

Refusal UidUnknown(const std::string& what) {
  return {Rule::kUnknownState, "cannot choose a free UID while " + what + " is unknown",
          "make every account's UID and every home's owner observable"};
}

std::optional<Refusal> EscrowBeforeEnable(const FileVaultSpec& spec, const MdmState& mdm) {
  if (spec.escrow != Escrow::kRequired || mdm.enrolled == true) return std::nullopt;
  return Refusal{Rule::kEscrowBeforeEnable,
                 mdm.enrolled ? "escrow: required, but the Mac is not MDM-enrolled, so the "
                                "recovery key could not be escrowed"
                              : "escrow: required, but MDM enrollment could not be observed",
                 "enroll the Mac in MDM with a FileVault escrow payload first, or set "
                 "recovery_key.escrow: optional"};
}

std::optional<Refusal> EscrowBeforeRotate(const MdmState& mdm) {
  if (mdm.enrolled == true) return std::nullopt;
  return Refusal{
      Rule::kEscrowBeforeEnable,
      std::string("a rotation prints the new recovery key once and the old key stops "
                  "working; Accord never shows or keeps a key, so it rotates only "
                  "where the MDM escrows the new one, and ") +
          (mdm.enrolled ? "the Mac is not MDM-enrolled" : "MDM enrollment could not be observed"),
      "enroll the Mac in MDM with a FileVault escrow payload first, or rotate the key "
      "by hand (fdesetup changerecovery -personal) and keep it safe"};
}

}  // namespace accord
