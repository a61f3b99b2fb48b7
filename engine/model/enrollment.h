// SPDX-License-Identifier: Apache-2.0
// Enrollment: what enrolling a Mac will do to its accounts (enrollment
// contract v1, schemas/enrollment.schema.json). A management agent with a
// hidden service account, MDM enrollment with or without a Bootstrap Token,
// directory users bound to the Mac, a FileVault policy, or the agent's
// removal. Plain values; `accord plan --enroll` predicts their events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/desired_state.h"
#include "model/source_map.h"

namespace accord {

inline constexpr int kEnrollmentFormat = 1;

// The agent and its service account (the source document's
// _jumpcloudserviceaccount): created hidden at install and granted a
// SecureToken with a token admin's credentials; deleted when the agent is
// removed (ensure: absent).
struct AgentSpec {
  std::string name;  // how plans call it: "JumpCloud agent"
  std::string service_account;
  std::optional<std::int64_t> uid;  // default: the highest free UID below 500
  // The SecureToken admin whose credentials the installer is given; none:
  // the service account gets no token.
  std::optional<Authority> token_admin;
  Ensure ensure = Ensure::kPresent;
  // How long the random password the agent generates for its service
  // account is, where the admin knows it: checked against an MDM password
  // policy.
  std::optional<std::int64_t> password_length = {};
  bool operator==(const AgentSpec&) const = default;
};

// An MDM's password policy (a configuration profile's passcode payload),
// as far as the agent's generated password must meet it.
struct PasswordPolicy {
  std::int64_t min_length = 0;
  bool complex = false;  // requires characters beyond letters and digits
  bool operator==(const PasswordPolicy&) const = default;
};

enum class EnrollmentKind { kAutomated, kUserApproved };

struct MdmSpec {
  std::string name;  // "Generic MDM"
  // The MDM supports the Bootstrap Token and escrows it at enrollment.
  bool escrows_bootstrap_token = false;
  // Automated (Apple's ADE, in Setup Assistant) or user-approved; unset
  // when the file does not say.
  std::optional<EnrollmentKind> enrollment = {};
  // ADE only: Setup Assistant creates no local account, and then no
  // Bootstrap Token is created (the source document; DOMAIN §1).
  bool skip_account_creation = false;
  // Applied to local accounts, including an agent's service account.
  std::optional<PasswordPolicy> password_policy = {};
  bool operator==(const MdmSpec&) const = default;
};

// A directory user bound to the Mac, by its local account name: an
// existing account of exactly that name is taken over, otherwise one is
// created (its password comes from the directory).
enum class PasswordSync { kReset, kPreviousPassword };

struct BoundUser {
  std::string name;
  bool take_over = false;  // the admin expects an existing account of this name
  std::optional<std::string> full_name;
  std::optional<Role> role;           // unset: a takeover keeps the role, a new account is standard
  bool secure_token = true;           // the agent (or the Bootstrap Token) grants one
  bool allow_keychain_reset = false;  // the takeover's keychain reset is accepted
  // How a takeover's password becomes the directory's: a reset without the
  // old one (the worst case, and the default), or the agent's sync that
  // asks the person for the previous password and updates FileVault and
  // the login keychain with it (JumpCloud's menu bar app).
  PasswordSync password_sync = PasswordSync::kReset;
  bool operator==(const BoundUser&) const = default;
};

// A FileVault policy: enabled as `enabled_by`, completing at that user's
// logout the first time; the new personal recovery key escrowed to the MDM.
struct FileVaultPolicy {
  std::string enabled_by;
  bool escrow_recovery_key = true;
  bool operator==(const FileVaultPolicy&) const = default;
};

struct Enrollment {
  std::string file;
  std::optional<AgentSpec> agent;
  std::optional<MdmSpec> mdm;
  std::vector<BoundUser> users;  // in binding order
  std::optional<FileVaultPolicy> filevault;
  // Nobody logs in at this Mac's login window (a build runner, a kiosk
  // reached over SSH): what waits for a login or logout never happens.
  bool headless = false;
  SourceMap source;
  bool operator==(const Enrollment&) const = default;
};

}  // namespace accord
