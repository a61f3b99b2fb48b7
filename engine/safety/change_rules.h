// SPDX-License-Identifier: Apache-2.0
// The rules decided on one change by itself, before any ordering (DOMAIN
// §4): nothing observed as unknown is changed (unknown-state); root, role
// accounts and undeclared system accounts are protected (protected-account);
// a UID is never changed or reused (uid-immutable, uid-reuse, and the
// uid-range-full extension); FileVault is enabled and keys rotated only
// where escrow is possible (escrow-before-enable). Each refusal is data: the
// rule, why, and what would make the change possible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/desired_state.h"
#include "model/device_state.h"
#include "model/plan.h"
#include "model/rules.h"

namespace accord {

struct Refusal {
  Rule rule = Rule::kUnknownState;
  std::string why;
  std::string remedy;
  bool operator==(const Refusal&) const = default;
};

// The fix of a fact the Mac's own tools could not read.
inline constexpr const char* kFixUnobserved =
    "fix what keeps the provider from reading it, then plan again";

// Ends `c` as refused by `r`: its rule, why, and remedy.
void Refuse(Change& c, const Refusal& r);

// `what` ("SecureToken of bob") could not be observed, so it is not changed.
// `how`: how the fact is made known (kFixUnobserved when no one way is).
Refusal UnknownState(const std::string& what, const char* how = kFixUnobserved);

// Root, by name or UID 0: never deleted or demoted.
bool IsRoot(const std::string& name, const Known<std::int64_t>& uid);
std::optional<Refusal> ProtectRootDeletion(const std::string& name, const Known<std::int64_t>& uid);
std::optional<Refusal> ProtectRootDemotion(const std::string& name, const Known<std::int64_t>& uid);

// The one definition of a system account (DOMAIN §1, §4): root, a role
// account ("_name"), or a UID below 500, negative ones included however the
// source printed them (osquery's 4294967294 is nobody's -2). No person
// logs in to one, and nothing the file does not declare by name deletes,
// demotes or binds it (protected-account). An unknown UID is not a system
// account by this test: whatever would change such an account refuses it
// as unknown-state first.
bool IsSystemAccount(const std::string& name, const Known<std::int64_t>& uid);

// The authority is deleted or demoted only after its last use.
Refusal AuthorityStillNeeded(const std::string& authority, const std::string& step);

// An existing account keeps its UID; `why` says what asked for another.
Refusal UidImmutable(const std::string& name, std::int64_t uid, const std::string& why);

// A new account must not take a UID that owns a kept home.
Refusal UidReuse(std::int64_t uid, const std::string& home);

// A new account whose range has no free UID left.
Refusal UidRangeFull(const std::string& name, const UidRange& range,
                     const std::optional<std::string>& range_key);

// A free UID cannot be chosen, nor an explicit `uid` shown to be free,
// while an account's UID or a home's owner is unknown.
Refusal UidUnknown(const std::string& what, std::optional<std::int64_t> uid = std::nullopt);

// A key is rotated only where a recovery-key escrow payload is certainly
// installed, whatever `escrow` says: `fdesetup changerecovery -personal`
// prints the new key once and the old one stops working (DOMAIN §1); a key
// kept only on the Mac's own disk opens nothing when that disk is locked.
std::optional<Refusal> EscrowBeforeRotate(const MdmState& mdm);

// With escrow: required, a key is created only where the payload is
// certainly installed (enrollment alone escrows nothing).
std::optional<Refusal> EscrowBeforeEnable(const FileVaultSpec& spec, const MdmState& mdm);

}  // namespace accord
