// SPDX-License-Identifier: Apache-2.0
// Plan: the changes that would bring a Mac to the desired state, each with
// its reason and outcome, plus findings (warnings and notes) about the Mac.
// Explain is data: renderers only choose what to print.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/desired_state.h"
#include "model/device_state.h"
#include "model/rules.h"

namespace accord {

inline constexpr int kPlanFormat = 1;

enum class Action {
  kCreateUser,
  kSetAttribute,  // full_name, shell, hidden: every one that differs, in one change
  kRenumberUser,  // never run: exists to say why a UID is left alone
  kMakeAdmin,
  kMakeStandard,
  kGrantToken,
  kRevokeToken,
  kResetPassword,
  kChangePassword,
  kDeleteUser,
  kEnableFileVault,
  kDisableFileVault,
  kRotateRecoveryKey,
  // Never run: exists to say why a personal recovery key the file does not
  // want is left alone (the recovery-key-removal harm rule).
  kRemoveRecoveryKey,
  // Only in a Prediction's steps (model/prediction.h), never in a Plan: the
  // Mac joins an MDM, which may escrow a Bootstrap Token. It is an action so
  // that the device model (Effect) and the judges take it like any step;
  // the executors refuse it loudly.
  kEnrollMdm,
};

inline constexpr Action kAllActions[] = {
    Action::kCreateUser,        Action::kSetAttribute,      Action::kRenumberUser,
    Action::kMakeAdmin,         Action::kMakeStandard,      Action::kGrantToken,
    Action::kRevokeToken,       Action::kResetPassword,     Action::kChangePassword,
    Action::kDeleteUser,        Action::kEnableFileVault,   Action::kDisableFileVault,
    Action::kRotateRecoveryKey, Action::kRemoveRecoveryKey, Action::kEnrollMdm};

// What will happen to a change (DOMAIN §4).
enum class Outcome { kRun, kRefused, kBlocked, kDeferred, kSkipped };

// Refused or blocked: a step that will never run.
inline bool Stopped(Outcome o) { return o == Outcome::kRefused || o == Outcome::kBlocked; }

// An attribute value in a plan. A secret appears only as its reference.
using AttrValue = std::variant<std::monostate, bool, std::int64_t, std::string, SecretRef>;

// What a change sets. Named in plans as the desired-state key it comes
// from ("full_name"), or, for FileVault and MDM, as DOMAIN §2 names it.
enum class Attr {
  kUid,
  kFullName,
  kShell,
  kHome,
  kRole,
  kHidden,
  kPassword,
  kStatus,  // FileVault's
  kEnabledBy,
  kPersonalRecoveryKey,
  kRecoveryKeyEscrowPayload,
  kMdm,
  kBootstrapTokenSupported,
  kBootstrapTokenEscrowed,
  kGrantedBy,  // in predictions: who grants a token (the agent, the Bootstrap Token)
  // A password change that also updates the login keychain with the old
  // password (a directory agent's sync), so it stays in step.
  kKeychainUpdated,
};

inline constexpr Attr kAllAttrs[] = {Attr::kUid,
                                     Attr::kFullName,
                                     Attr::kShell,
                                     Attr::kHome,
                                     Attr::kRole,
                                     Attr::kHidden,
                                     Attr::kPassword,
                                     Attr::kStatus,
                                     Attr::kEnabledBy,
                                     Attr::kPersonalRecoveryKey,
                                     Attr::kRecoveryKeyEscrowPayload,
                                     Attr::kMdm,
                                     Attr::kBootstrapTokenSupported,
                                     Attr::kBootstrapTokenEscrowed,
                                     Attr::kGrantedBy,
                                     Attr::kKeychainUpdated};

const char* ToString(Attr attr);

struct Attribute {
  Attr name = Attr::kUid;
  std::optional<AttrValue> before;  // nullopt: not applicable; monostate: unknown
  AttrValue after;
  std::string note;  // e.g. how a UID was chosen, or "default"
  // Where a composed desired state set it ("layers/lab.yaml:7"); empty for
  // a plain desired-state file, whose every value is its own.
  std::string origin = {};
  bool operator==(const Attribute&) const = default;
};

// Why one step must come after another: data ("create before grant") or
// safety ("add a capability before removing it elsewhere").
struct Dependency {
  std::string id;  // the step that must come first
  std::string reason;
  bool operator==(const Dependency&) const = default;
};

// One change to the Mac, which is also one step of the plan.
struct Change {
  Action action = Action::kCreateUser;
  std::string user;  // empty for device-wide changes (FileVault)
  std::vector<Attribute> attributes;
  std::string reason;  // why the step exists
  Outcome outcome = Outcome::kRun;
  // What decided the outcome, when it is not a plain run: the refusal's or
  // block's why, what defers or skips it. Data of its own, never joined
  // into `reason` (Why() joins them for display).
  std::string outcome_why;
  std::optional<Rule> rule;  // the safety rule, when refused
  std::string remedy;        // what would make it possible, when refused or blocked
  // Notes on what the step leaves behind that is not a refusal (a reset
  // leaves FileVault on the old password); shown with the step.
  std::vector<std::string> notes;
  // Deferred and already recorded as pending by an earlier apply: it changes
  // nothing now.
  bool already_pending = false;
  bool erase_home = false;             // delete_user with remove_home: true
  std::vector<Dependency> depends_on;  // filled by Check
  std::string origin;                  // the layer that asked for it, when composed

  std::string Id() const;  // stable, e.g. "create_user:alice"
  // The reason and, after "; ", what decided the outcome: the one line
  // every renderer shows.
  std::string Why() const;
  // The new value of attribute `name`, or nullptr.
  const AttrValue* After(Attr name) const;
  // The new value of attribute `name` if it is a T.
  template <typename T>
  std::optional<T> AfterAs(Attr name) const {
    const AttrValue* v = After(name);
    if (!v || !std::holds_alternative<T>(*v)) return std::nullopt;
    return std::get<T>(*v);
  }
  bool operator==(const Change&) const = default;
};

enum class FindingLevel { kWarning, kNote };

// The note on a step that makes a new recovery key (model/effect): it is
// escrow-pending until the MDM confirms it holds it. The apply summary
// repeats it for a step that ran.
inline constexpr const char* kEscrowPendingNote =
    "the new key is escrow-pending until the MDM confirms it holds it (Fleet: the host's disk "
    "encryption status \"verified\"), and no unlock path until then; on the Mac Accord keeps "
    "it root-only until `accord apply --escrow-verified TIME`";

struct Finding {
  FindingLevel level = FindingLevel::kNote;
  std::string kind;  // "unmanaged-user", "home-immutable", a rule id, ...
  std::string user;
  std::string message;
  bool operator==(const Finding&) const = default;
};

struct Plan {
  std::string desired_file;
  std::string device_source;
  Known<std::string> device_name;
  // The Mac the plan is for, where known: a plan file made for one Mac
  // names it (the device-mismatch harm rule).
  Known<std::string> hardware_uuid;
  Known<std::string> os_version;
  std::vector<Change> changes;
  std::vector<Finding> findings;
  bool operator==(const Plan&) const = default;
};

struct PlanSummary {
  int create = 0;
  int change = 0;
  int destroy = 0;
  int refused = 0;
  int blocked = 0;
  int deferred = 0;
  int skipped = 0;
  int newly_deferred = 0;  // deferred steps not yet pending on the Mac
  // What cannot be got back, counted apart among the steps that run (the
  // harm table, safety/harms.h): homes erased (of the deletions),
  // FileVault turned off, recovery keys replaced, SecureTokens revoked.
  int homes_erased = 0;
  int filevault_off = 0;
  int keys_replaced = 0;
  int tokens_revoked = 0;
  bool HasRunnable() const { return create + change + destroy > 0; }
  // Would applying change the Mac? A deferred step that is not yet pending
  // does (a FileVault enablement waits for a logout, but is set up now).
  bool HasChanges() const { return HasRunnable() || newly_deferred > 0; }
  bool operator==(const PlanSummary&) const = default;
};

PlanSummary Summarize(const Plan& plan);
// Adds `b`'s counts to `a`'s (a fleet's totals).
void AddCounts(PlanSummary& a, const PlanSummary& b);
// The destructive steps counted apart, as a summary says them: "1 home
// erased", "FileVault off", "1 recovery key replaced", "1 SecureToken
// revoked"; the first list is of deletions, the second of changes.
std::vector<std::string> ErasedWords(const PlanSummary& s);
std::vector<std::string> IrreversibleChangeWords(const PlanSummary& s);
// All of them, after "2 accounts deleted": what an apply or a fleet says.
std::vector<std::string> IrreversibleWords(const PlanSummary& s);
// Counts `c` into `s` by its outcome and sign.
void Count(const Change& c, PlanSummary& s);

// Gives `c` `outcome`, adding `why` to what decided it.
void SetOutcome(Change& c, Outcome outcome, const std::string& why);
// Ends `c` with `outcome` (refused, blocked) because of `why`; the remedy
// says what would make it possible.
void Stop(Change& c, Outcome outcome, const std::string& why, std::string remedy);

// The credentials a step's macOS command needs (DOMAIN §5): the authority's
// password (sysadminctl -adminUser / fdesetup), and the account's own.
bool NeedsAuthority(Action action);
bool NeedsOwnPassword(Action action);
// Steps that make a new personal recovery key: a rotation, and an
// enablement (fdesetup enable makes one unless told -norecoverykey).
bool MakesRecoveryKey(Action action);

const char* ToString(Action action);
const char* ToString(Outcome outcome);
// '+' creates, '-' deletes, '~' changes in place.
char SignOf(Action action);

}  // namespace accord
