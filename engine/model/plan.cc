// SPDX-License-Identifier: Apache-2.0
// Names, ids and counts for plans.
#include "model/plan.h"

#include "core/names.h"

namespace accord {

std::string Change::Id() const {
  std::string id = ToString(action);
  if (!user.empty()) id += ":" + user;
  // An account's update names every attribute it sets: full_name+shell.
  for (std::size_t i = 0; action == Action::kSetAttribute && i < attributes.size(); ++i) {
    id += (i == 0 ? ":" : "+") + std::string(ToString(attributes[i].name));
  }
  return id;
}

const AttrValue* Change::After(Attr name) const {
  for (const Attribute& a : attributes) {
    if (a.name == name) return &a.after;
  }
  return nullptr;
}

void Count(const Change& c, PlanSummary& s) {
  switch (c.outcome) {
    case Outcome::kRefused: ++s.refused; return;
    case Outcome::kBlocked: ++s.blocked; return;
    case Outcome::kDeferred:
      ++s.deferred;
      s.newly_deferred += !c.already_pending;
      return;
    case Outcome::kSkipped: ++s.skipped; return;
    case Outcome::kRun: break;
  }
  s.homes_erased += c.action == Action::kDeleteUser && c.erase_home;
  s.filevault_off += c.action == Action::kDisableFileVault;
  s.keys_replaced += c.action == Action::kRotateRecoveryKey;
  s.tokens_revoked += c.action == Action::kRevokeToken;
  switch (SignOf(c.action)) {
    case '+': ++s.create; break;
    case '-': ++s.destroy; break;
    default: ++s.change; break;
  }
}

PlanSummary Summarize(const Plan& plan) {
  PlanSummary s;
  for (const Change& c : plan.changes) Count(c, s);
  return s;
}

void AddCounts(PlanSummary& a, const PlanSummary& b) {
  a.create += b.create;
  a.change += b.change;
  a.destroy += b.destroy;
  a.refused += b.refused;
  a.blocked += b.blocked;
  a.deferred += b.deferred;
  a.skipped += b.skipped;
  a.newly_deferred += b.newly_deferred;
  a.homes_erased += b.homes_erased;
  a.filevault_off += b.filevault_off;
  a.keys_replaced += b.keys_replaced;
  a.tokens_revoked += b.tokens_revoked;
}

std::vector<std::string> ErasedWords(const PlanSummary& s) {
  if (!s.homes_erased) return {};
  return {CountOf(s.homes_erased, "home erased", "homes erased")};
}

std::vector<std::string> IrreversibleWords(const PlanSummary& s) {
  std::vector<std::string> out;
  if (s.destroy) out.push_back(CountOf(s.destroy, "account deleted", "accounts deleted"));
  for (std::string& w : ErasedWords(s)) out.push_back(std::move(w));
  for (std::string& w : IrreversibleChangeWords(s)) out.push_back(std::move(w));
  return out;
}

std::vector<std::string> IrreversibleChangeWords(const PlanSummary& s) {
  std::vector<std::string> out;
  if (s.filevault_off == 1) out.push_back("FileVault off");
  if (s.filevault_off > 1)
    out.push_back("FileVault off on " + CountOf(s.filevault_off, "Mac", "Macs"));
  if (s.keys_replaced) {
    out.push_back(CountOf(s.keys_replaced, "recovery key replaced", "recovery keys replaced"));
  }
  if (s.tokens_revoked) {
    out.push_back(CountOf(s.tokens_revoked, "SecureToken revoked", "SecureTokens revoked"));
  }
  return out;
}

std::string Change::Why() const {
  return outcome_why.empty() ? reason : reason + "; " + outcome_why;
}

void SetOutcome(Change& c, Outcome outcome, const std::string& why) {
  c.outcome = outcome;
  c.outcome_why += (c.outcome_why.empty() ? "" : "; ") + why;
}

void Stop(Change& c, Outcome outcome, const std::string& why, std::string remedy) {
  SetOutcome(c, outcome, why);
  c.remedy = std::move(remedy);
}

bool NeedsAuthority(Action a) {
  return a == Action::kGrantToken || a == Action::kRevokeToken || a == Action::kResetPassword ||
         a == Action::kEnableFileVault || a == Action::kDisableFileVault ||
         a == Action::kRotateRecoveryKey;
}

bool NeedsOwnPassword(Action a) {
  return a == Action::kCreateUser || a == Action::kGrantToken || a == Action::kRevokeToken ||
         a == Action::kResetPassword || a == Action::kChangePassword;
}

bool MakesRecoveryKey(Action a) {
  return a == Action::kRotateRecoveryKey || a == Action::kEnableFileVault;
}

const char* ToString(Attr attr) {
  switch (attr) {
    case Attr::kUid: return "uid";
    case Attr::kFullName: return "full_name";
    case Attr::kShell: return "shell";
    case Attr::kHome: return "home";
    case Attr::kRole: return "role";
    case Attr::kHidden: return "hidden";
    case Attr::kPassword: return "password";
    case Attr::kStatus: return "status";
    case Attr::kEnabledBy: return "enabled_by";
    case Attr::kPersonalRecoveryKey: return "personal_recovery_key";
    case Attr::kRecoveryKeyEscrowPayload: return "recovery_key_escrow_payload";
    case Attr::kMdm: return "mdm";
    case Attr::kBootstrapTokenSupported: return "bootstrap_token_supported";
    case Attr::kBootstrapTokenEscrowed: return "bootstrap_token_escrowed";
    case Attr::kGrantedBy: return "granted_by";
    case Attr::kKeychainUpdated: return "keychain_updated";
  }
  return "?";
}

const char* ToString(Action action) {
  switch (action) {
    case Action::kCreateUser: return "create_user";
    case Action::kSetAttribute: return "set_attribute";
    case Action::kRenumberUser: return "renumber_user";
    case Action::kMakeAdmin: return "make_admin";
    case Action::kMakeStandard: return "make_standard";
    case Action::kGrantToken: return "grant_token";
    case Action::kRevokeToken: return "revoke_token";
    case Action::kResetPassword: return "reset_password";
    case Action::kChangePassword: return "change_password";
    case Action::kDeleteUser: return "delete_user";
    case Action::kEnableFileVault: return "enable_filevault";
    case Action::kDisableFileVault: return "disable_filevault";
    case Action::kRotateRecoveryKey: return "rotate_recovery_key";
    case Action::kRemoveRecoveryKey: return "remove_recovery_key";
    case Action::kEnrollMdm: return "enroll_mdm";
  }
  return "?";
}

const char* ToString(Outcome outcome) {
  switch (outcome) {
    case Outcome::kRun: return "run";
    case Outcome::kRefused: return "refused";
    case Outcome::kBlocked: return "blocked";
    case Outcome::kDeferred: return "deferred";
    case Outcome::kSkipped: return "skipped";
  }
  return "?";
}

}  // namespace accord
