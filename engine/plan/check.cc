// Reboot-safety check: graph, deterministic schedule, simulation, outcomes.
#include "plan/check.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "core/name_index.h"
#include "plan/effect.h"
#include "plan/step_graph.h"

namespace accord {
namespace {

// Steps that give the authority what it needs to act: it must exist and be a
// SecureToken admin whose password is known.
bool EnablesAuthority(Action a) {
  return a == Action::kCreateUser || a == Action::kMakeAdmin || a == Action::kGrantToken ||
         a == Action::kChangePassword;
}
bool DisablesAuthority(Action a) {
  return a == Action::kDeleteUser || a == Action::kMakeStandard || a == Action::kRevokeToken ||
         a == Action::kResetPassword;
}

// Add capabilities first, remove them last: the order that keeps a Mac safe
// whenever one exists; file order breaks ties.
int Phase(Action a) {
  switch (a) {
    case Action::kCreateUser:
    case Action::kMakeAdmin:
    case Action::kGrantToken:
    case Action::kChangePassword:
    case Action::kRotateRecoveryKey: return 0;
    case Action::kMakeStandard:
    case Action::kRevokeToken:
    case Action::kResetPassword:
    case Action::kDeleteUser:
    case Action::kDisableFileVault: return 2;
    default: return 1;
  }
}

bool NeedsUnlock(const FileVaultState& fv) {
  // Unknown counts as on: never assume the disk is open.
  return !fv.status || (*fv.status != FileVaultStatus::kOff);
}

// What one account contributes to the rules.
struct Counts {
  int admins = 0;
  int token_admins = 0;
  int unlock_users = 0;   // token holders whose FileVault password is in step
  int maybe_holders = 0;  // token holders, or unknown

  void Add(const std::optional<ObservedUser>& u, int sign) {
    if (!u) return;
    bool admin = u->admin == true;
    admins += sign * admin;
    token_admins += sign * (admin && u->secure_token == true);
    unlock_users += sign * (u->secure_token == true && u->filevault_password_in_sync == true);
    maybe_holders += sign * (u->secure_token != false);
  }
};

int UnlockPaths(const Counts& c, const FileVaultState& fv) {
  return c.unlock_users + (fv.recovery_key_escrowed == true) + (fv.institutional_recovery_key == true);
}

struct Violation {
  std::string rule;
  std::string why;
  std::string remedy;
};

class Checker {
 public:
  Checker(Plan plan, const DesiredState& d, const DeviceState& m)
      : plan_(std::move(plan)),
        d_(d),
        m_(m),
        declared_(d.users),
        observed_(m.users),
        graph_(plan_.changes.size()) {
    if (d.authority && !d.authority->user.empty()) authority_ = d.authority->user;
    for (const ObservedUser& u : m.users) {
      accounts_[u.name] = u;
      counts_.Add(u, 1);
    }
    fv_ = m.filevault;
    violations_.resize(plan_.changes.size());
    for (const Change& c : plan_.changes) reasons_.push_back(c.reason);
  }

  Result<Plan> Run() {
    Preconditions();
    Edges();
    if (auto cycle = graph_.FindCycle()) {
      std::string text;
      for (std::size_t i : *cycle) text += (text.empty() ? "" : " → ") + Step(i).Id();
      return SingleError(d_.file, {}, "", "the steps depend on each other in a cycle: " + text);
    }
    ExistingViolations();
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < plan_.changes.size(); ++i) {
      char key[32];
      std::snprintf(key, sizeof key, "%d/%08zu", Phase(Step(i).action), i);
      keys.push_back(key);
    }
    StepGraph::Schedule s = graph_.Run(keys, [this](std::size_t i) { return Decide(i); });
    Outcomes(s);
    FinalFindings();
    Reorder(s, keys);
    return std::move(plan_);
  }

 private:
  Change& Step(std::size_t i) { return plan_.changes[i]; }

  void Block(Change& c, std::string why, std::string remedy) {
    c.outcome = Outcome::kBlocked;
    c.reason += "; " + why;
    c.remedy = std::move(remedy);
  }

  // What a step needs before it can run at all: credentials, enrollment.
  void Preconditions() {
    for (Change& c : plan_.changes) {
      if (c.outcome != Outcome::kRun) continue;
      const DesiredUser* target = c.user.empty() ? nullptr : declared_.Find(c.user);
      bool is_new = !observed_.Find(c.user);
      if (std::find(m_.pending.begin(), m_.pending.end(), c.Id()) != m_.pending.end()) {
        c.outcome = Outcome::kDeferred;
        c.reason += "; pending since an earlier apply: it completes at " + c.user + "'s next login";
        continue;
      }
      bool bootstrap = m_.mdm.enrolled == true && m_.mdm.bootstrap_token_escrowed == true;
      if (c.action == Action::kGrantToken && bootstrap && (is_new || !target || !target->password)) {
        c.outcome = Outcome::kDeferred;
        c.reason += "; granted from the escrowed Bootstrap Token at " + c.user +
                    (is_new ? "'s first login" : "'s next login");
        continue;
      }
      if (c.action == Action::kEnableFileVault) {
        c.outcome = Outcome::kDeferred;
        c.reason += "; a first enablement completes when the enabling user logs out";
      }
      if (!NeedsAuthority(c.action)) continue;
      if (!authority_) {
        Block(c, "it needs a SecureToken admin to act as",
              "set authority.user and authority.password to a SecureToken admin");
      } else if (!d_.authority->password) {
        Block(c, "it needs the password of the authority " + *authority_,
              "set authority.password: {env: NAME} or {file: PATH}");
      } else if (c.user == *authority_ &&
                 (c.action == Action::kGrantToken || c.action == Action::kRevokeToken)) {
        Block(c, *authority_ + " is the authority and cannot change its own SecureToken",
              "make another SecureToken admin the authority");
      } else if ((c.action == Action::kGrantToken || c.action == Action::kRevokeToken) &&
                 (!target || !target->password)) {
        Block(c, "granting or revoking a SecureToken needs " + c.user + "'s password too",
              "set users." + c.user + ".password, or enroll the Mac in MDM with an escrowed "
              "Bootstrap Token so the token comes at first login");
      }
    }
  }

  void Edges() {
    std::map<std::string, std::vector<std::size_t>> by_user;
    for (std::size_t i = 0; i < plan_.changes.size(); ++i) {
      if (!Step(i).user.empty()) by_user[Step(i).user].push_back(i);
    }
    for (const auto& [user, steps] : by_user) {
      for (std::size_t a : steps) {
        for (std::size_t b : steps) {
          if (Step(a).action == Action::kCreateUser && a != b) {
            graph_.AddEdge(a, b, user + " must exist first");
          }
          bool password = Step(a).action == Action::kChangePassword ||
                          Step(a).action == Action::kResetPassword;
          if (password && Step(b).action == Action::kGrantToken) {
            graph_.AddEdge(a, b, "the grant uses " + user + "'s new password");
          }
        }
      }
    }
    if (!authority_) return;
    auto own = by_user.find(*authority_);
    if (own == by_user.end()) return;
    for (std::size_t i = 0; i < plan_.changes.size(); ++i) {
      if (!NeedsAuthority(Step(i).action) || Step(i).user == *authority_) continue;
      for (std::size_t a : own->second) {
        // A step that will never run enables nothing: whether the authority
        // can act is then decided when the dependent step is reached.
        bool never_runs = Step(a).outcome == Outcome::kRefused || Step(a).outcome == Outcome::kBlocked;
        if (EnablesAuthority(Step(a).action) && !never_runs) {
          graph_.AddEdge(a, i, "the authority " + *authority_ + " must be a SecureToken admin first");
        } else if (DisablesAuthority(Step(a).action)) {
          graph_.AddEdge(i, a, "the authority " + *authority_ + " stays until its last use");
        }
      }
    }
  }

  void Finding(std::string kind, std::string message) {
    plan_.findings.push_back({FindingLevel::kWarning, std::move(kind), "", std::move(message)});
  }

  // Violations on the Mac as observed: reported, never blocking other steps.
  void ExistingViolations() {
    if (counts_.admins == 0) Finding("last-admin", "this Mac has no admin account now");
    if (counts_.token_admins == 0) {
      Finding("last-token-admin", "no admin on this Mac holds a SecureToken now");
    }
    if (NeedsUnlock(fv_) && UnlockPaths(counts_, fv_) == 0) {
      Finding("filevault-unlock",
              "after a reboot now nobody could unlock this Mac (see `accord unlockers`)");
    }
  }

  std::optional<Violation> Violates(const Change& c, const std::optional<ObservedUser>& before,
                                    const Counts& after, const FileVaultState& fv_after) {
    const std::string& who = c.user;
    if (c.action == Action::kResetPassword && before && before->secure_token != false) {
      const DesiredUser* u = declared_.Find(who);
      if (!u || !u->allow_keychain_reset) {
        return Violation{"password-desync",
                         "a reset without the old password replaces " + who +
                             "'s login keychain and leaves FileVault on the OLD password",
                         "set allow_keychain_reset: true for " + who +
                             ", or use password_update: change with old_password"};
      }
      if (NeedsUnlock(fv_after) && UnlockPaths(after, fv_after) == 0) {
        return Violation{"password-desync",
                         "after resetting " + who + "'s password nobody could unlock FileVault",
                         "grant a SecureToken to a second admin with a known password, or "
                         "escrow a recovery key, first"};
      }
    }
    if (counts_.admins > 0 && after.admins == 0) {
      return Violation{"last-admin", who + " is the last admin; no admin would remain",
                       "make another account an admin first (role: admin)"};
    }
    if (counts_.token_admins > 0 && after.token_admins == 0) {
      return Violation{"last-token-admin",
                       who + " is the last admin holding a SecureToken; no one could grant tokens "
                             "or manage FileVault",
                       "grant a SecureToken to another admin first"};
    }
    // Broken by removing the last path, or by turning FileVault on without
    // one; a Mac that was already locked out is a finding, not a refusal.
    bool unlockable_before = !NeedsUnlock(fv_) || UnlockPaths(counts_, fv_) > 0;
    if (unlockable_before && NeedsUnlock(fv_after) && UnlockPaths(after, fv_after) == 0) {
      return Violation{"filevault-unlock",
                       "after this step nobody could unlock FileVault at boot",
                       "grant a SecureToken to another admin with a known password, or escrow a "
                       "recovery key, first"};
    }
    return std::nullopt;
  }

  // A grant, revoke, role or attribute step that earlier steps already
  // accomplished (creating the first account with a password gives it the
  // first SecureToken) is redundant: skipped, and it holds nobody up.
  bool Redundant(const Change& c) {
    bool state_change = c.action == Action::kGrantToken || c.action == Action::kRevokeToken ||
                        c.action == Action::kMakeAdmin || c.action == Action::kMakeStandard ||
                        c.action == Action::kSetAttribute;
    auto it = accounts_.find(c.user);
    if (!state_change || it == accounts_.end()) return false;
    Change as_run = c;
    as_run.outcome = Outcome::kRun;
    std::optional<ObservedUser> probe = it->second;
    ApplyToAccount(as_run, false, probe);
    return probe && *probe == it->second;
  }

  StepGraph::Decision Decide(std::size_t i) {
    Change& c = Step(i);
    if (Redundant(c)) {
      c.outcome = Outcome::kSkipped;
      c.rule.clear();
      c.remedy.clear();
      c.reason = reasons_[i] + "; already done by earlier steps of this plan";
      return StepGraph::Decision::kRan;
    }
    if (c.outcome == Outcome::kRefused || c.outcome == Outcome::kBlocked) {
      return StepGraph::Decision::kStop;
    }
    if (c.outcome == Outcome::kDeferred && c.action == Action::kGrantToken) {
      return StepGraph::Decision::kRan;  // happens later, at first login
    }
    if (NeedsAuthority(c.action)) {
      auto a = accounts_.find(*authority_);
      if (a == accounts_.end() || a->second.admin != true || a->second.secure_token != true) {
        violations_[i] = Violation{"", "the authority " + *authority_ +
                                           " is not a SecureToken admin on this Mac",
                                   "make " + *authority_ + " an admin with a SecureToken, or "
                                   "choose another authority"};
        return StepGraph::Decision::kWait;
      }
    }
    std::optional<ObservedUser> before;
    if (!c.user.empty()) {
      if (auto it = accounts_.find(c.user); it != accounts_.end()) before = it->second;
    }
    std::optional<ObservedUser> after = before;
    if (!c.user.empty()) ApplyToAccount(c, counts_.maybe_holders == 0, after);
    FileVaultState fv_after = fv_;
    ApplyToFileVault(c, m_.mdm, fv_after);
    Counts next = counts_;
    next.Add(before, -1);
    next.Add(after, 1);
    if (auto v = Violates(c, before, next, fv_after)) {
      bool hopeless = v->rule == "password-desync" && v->remedy.find("allow_keychain_reset") == 0;
      violations_[i] = std::move(v);
      if (hopeless) {
        Refuse(c, *violations_[i]);
        return StepGraph::Decision::kStop;
      }
      return StepGraph::Decision::kWait;
    }
    violations_[i].reset();
    counts_ = next;
    fv_ = fv_after;
    if (!c.user.empty()) {
      if (after) {
        accounts_[c.user] = *after;
      } else {
        accounts_.erase(c.user);
      }
    }
    return StepGraph::Decision::kRan;
  }

  static void Refuse(Change& c, const Violation& v) {
    c.outcome = Outcome::kRefused;
    c.rule = v.rule;
    c.reason += "; " + v.why;
    c.remedy = v.remedy;
  }

  void Outcomes(const StepGraph::Schedule& s) {
    for (const StepGraph::Edge& e : graph_.edges()) {
      Step(e.after).depends_on.push_back({Step(e.before).Id(), e.reason});
    }
    for (std::size_t i : s.waiting) {
      const Violation& v = *violations_[i];
      if (v.rule.empty()) {
        Block(Step(i), v.why, v.remedy);
      } else {
        Refuse(Step(i), v);
      }
    }
    std::vector<bool> runs(plan_.changes.size(), false);
    for (std::size_t i : s.ran) runs[i] = true;
    std::vector<std::vector<std::size_t>> before(plan_.changes.size());
    for (const StepGraph::Edge& e : graph_.edges()) before[e.after].push_back(e.before);
    for (std::size_t i : s.unreached) {
      Change& c = Step(i);
      std::string first_missing;
      bool authority_needed = false;
      for (std::size_t b : before[i]) {
        if (runs[b]) continue;
        if (first_missing.empty()) first_missing = Step(b).Id();
        authority_needed = authority_needed || NeedsAuthority(Step(b).action);
      }
      if (authority_ && c.user == *authority_ && DisablesAuthority(c.action) && authority_needed) {
        Refuse(c, {"protected-account",
                   *authority_ + " is the authority and " + first_missing + " still needs it",
                   "let " + first_missing + " run first, or choose another authority"});
      } else {
        c.outcome = Outcome::kSkipped;
        c.reason += "; skipped: it depends on " + first_missing + ", which will not run";
      }
    }
  }

  void FinalFindings() {
    if (counts_.token_admins < d_.policy.min_token_admins) {
      Finding("last-token-admin",
              "after this plan " + std::to_string(counts_.token_admins) +
                  " admin(s) hold a SecureToken; policy.min_token_admins is " +
                  std::to_string(d_.policy.min_token_admins) +
                  " (keep a second token admin, as the source document advises)");
    }
  }

  // Steps that run come first, in the order they run; the rest follow in
  // their stable order.
  void Reorder(const StepGraph::Schedule& s, const std::vector<std::string>& keys) {
    std::vector<std::size_t> order = s.ran;
    std::vector<std::size_t> rest;
    for (const auto* list : {&s.stopped, &s.waiting, &s.unreached}) {
      rest.insert(rest.end(), list->begin(), list->end());
    }
    std::sort(rest.begin(), rest.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
    order.insert(order.end(), rest.begin(), rest.end());
    std::vector<Change> sorted;
    sorted.reserve(order.size());
    for (std::size_t i : order) sorted.push_back(std::move(Step(i)));
    plan_.changes = std::move(sorted);
  }

  Plan plan_;
  const DesiredState& d_;
  const DeviceState& m_;
  NameIndex<DesiredUser> declared_;
  NameIndex<ObservedUser> observed_;
  StepGraph graph_;
  std::optional<std::string> authority_;
  std::unordered_map<std::string, ObservedUser> accounts_;
  Counts counts_;
  FileVaultState fv_;
  std::vector<std::optional<Violation>> violations_;
  std::vector<std::string> reasons_;  // each step's reason as the diff gave it
};

}  // namespace

Result<Plan> Check(Plan plan, const DesiredState& desired, const DeviceState& device) {
  return Checker(std::move(plan), desired, device).Run();
}

}  // namespace accord
