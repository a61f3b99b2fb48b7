// SPDX-License-Identifier: Apache-2.0
// Reboot-safety check: graph, deterministic schedule, simulation, outcomes.
// What the rules say about one step is decided in engine/safety; this file
// only orders steps, simulates them, and turns judgements into outcomes.
#include "plan/check.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>

#include "core/name_index.h"
#include "model/effect.h"
#include "model/macos_release.h"
#include "plan/step_edges.h"
#include "plan/step_graph.h"
#include "safety/change_rules.h"
#include "safety/findings.h"
#include "safety/step_judge.h"

namespace accord {
namespace {

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

// Why a step waits: a rule it would break now, or a missing authority.
struct Wait {
  std::optional<Breach> breach;
  std::string blocked_why;
  std::string blocked_remedy;
};

// The key under which the FileVault state keeps rules; no account is "".
constexpr const char* kFileVault = "";

class Checker {
 public:
  Checker(Plan plan, const DesiredState& d, const DeviceState& m)
      : plan_(std::move(plan)),
        d_(d),
        m_(m),
        declared_(d.users),
        observed_(m.users),
        graph_(plan_.changes.size()),
        counts_(m) {
    if (d.authority && !d.authority->user.empty()) authority_ = d.authority->user;
    // In name order, each account goes in at the end: no search per account.
    std::vector<const ObservedUser*> by_name;
    by_name.reserve(m.users.size());
    for (const ObservedUser& u : m.users) by_name.push_back(&u);
    std::stable_sort(
        by_name.begin(), by_name.end(),
        [](const ObservedUser* a, const ObservedUser* b) { return a->name < b->name; });
    for (const ObservedUser* u : by_name) accounts_.insert_or_assign(accounts_.end(), u->name, *u);
    fv_ = m.filevault;
    waits_.resize(plan_.changes.size());
    run_order_.resize(plan_.changes.size());
  }

  Result<Plan> Run() {
    Preconditions();
    AddDependencyEdges(plan_.changes, authority_, d_.FileVaultEnabler(), graph_);
    if (auto cycle = graph_.FindCycle()) {
      std::string text;
      for (std::size_t i : *cycle) text += (text.empty() ? "" : " → ") + Step(i).Id();
      return SingleError(d_.file, {}, "", "the steps depend on each other in a cycle: " + text);
    }
    for (Finding& f : ExistingViolations(m_)) plan_.findings.push_back(std::move(f));
    // Phase, then file order.
    std::vector<std::uint64_t> keys;
    keys.reserve(plan_.changes.size());
    for (std::size_t i = 0; i < plan_.changes.size(); ++i) {
      keys.push_back(static_cast<std::uint64_t>(Phase(Step(i).action)) << 32 | i);
    }
    StepGraph::Schedule s = graph_.Run(keys, [this](std::size_t i) { return Decide(i); });
    for (const StepGraph::Edge& e : safety_edges_) graph_.AddEdge(e.before, e.after, e.reason);
    Outcomes(s);
    if (auto f = TokenAdminPolicy(counts_, d_.policy.min_token_admins)) {
      plan_.findings.push_back(std::move(*f));
    }
    std::vector<const ObservedUser*> after;
    after.reserve(accounts_.size());
    for (const auto& [name, account] : accounts_) after.push_back(&account);
    if (auto f = VolumeOwnerPolicy(after)) plan_.findings.push_back(std::move(*f));
    Reorder(s, keys);
    return std::move(plan_);
  }

 private:
  Change& Step(std::size_t i) { return plan_.changes[i]; }

  // What a step needs before it can run at all: credentials, enrollment.
  void Preconditions() {
    for (Change& c : plan_.changes) {
      if (c.outcome != Outcome::kRun) continue;
      const DesiredUser* target = c.user.empty() ? nullptr : declared_.Find(c.user);
      bool is_new = !observed_.Find(c.user);
      if (!m_.pending.empty() &&
          std::find(m_.pending.begin(), m_.pending.end(), c.Id()) != m_.pending.end()) {
        SetOutcome(c, Outcome::kDeferred,
                   "pending since an earlier apply: it completes at " + c.user + "'s next login");
        c.already_pending = true;
        continue;
      }
      // An escrowed Bootstrap Token grants local accounts a token only from
      // macOS 11 (model/macos_release.h).
      bool escrowed = m_.mdm.enrolled == true && m_.mdm.bootstrap_token_escrowed == true;
      bool bootstrap = escrowed && BootstrapGrantsLocalAccounts(m_.os_version) == true;
      if (c.action == Action::kGrantToken && bootstrap &&
          (is_new || !target || !target->password)) {
        SetOutcome(c, Outcome::kDeferred,
                   "granted from the escrowed Bootstrap Token at " + c.user +
                       (is_new ? "'s first login" : "'s next login"));
        continue;
      }
      if (c.action == Action::kEnableFileVault) {
        SetOutcome(c, Outcome::kDeferred,
                   "a first enablement completes when the enabling user logs out");
      }
      if (!NeedsAuthority(c.action)) continue;
      if (!authority_) {
        Stop(c, Outcome::kBlocked, "it needs a SecureToken admin to act as",
             "set authority.user and authority.password to a SecureToken admin");
      } else if (!d_.authority->password) {
        Stop(c, Outcome::kBlocked, "it needs the password of the authority " + *authority_,
             "set authority.password: {env: NAME} or {file: PATH}");
      } else if (c.user == *authority_ &&
                 (c.action == Action::kGrantToken || c.action == Action::kRevokeToken)) {
        Stop(c, Outcome::kBlocked,
             *authority_ + " is the authority and cannot change its own SecureToken",
             "make another SecureToken admin the authority");
      } else if ((c.action == Action::kGrantToken || c.action == Action::kRevokeToken) &&
                 (!target || !target->password)) {
        Stop(c, Outcome::kBlocked,
             "granting or revoking a SecureToken needs " + c.user + "'s password too",
             "set users." + c.user + ".password" +
                 (escrowed && c.action == Action::kGrantToken
                      ? std::string(" (this Mac's Bootstrap Token grants local accounts a "
                                    "SecureToken at login only from macOS 11; its version "
                                    "is ") +
                            m_.os_version.value_or("unknown") + ")"
                      : std::string(", or enroll the Mac in MDM with an escrowed Bootstrap "
                                    "Token (macOS 11 or later) so the token comes at "
                                    "first login")));
      }
    }
  }

  // Only a SecureToken holder can enable FileVault (fdesetup(8): the user
  // must be able to unlock the volume); the authority is checked as such.
  std::optional<Wait> EnablerMissing() {
    const std::string who = d_.FileVaultEnabler();
    if (who.empty() || who == authority_) return std::nullopt;
    auto a = accounts_.find(who);
    Tri token = a == accounts_.end() ? Tri::kNo : ToTri(a->second.secure_token);
    if (token == Tri::kYes) return std::nullopt;
    Wait w;
    w.blocked_why = token == Tri::kNo
                        ? "filevault.enabled_by " + who + " holds no SecureToken on this Mac"
                        : "cannot tell whether filevault.enabled_by " + who +
                              " holds a SecureToken (it could not be observed)";
    w.blocked_remedy = "declare users." + who +
                       ".secure_token: true so it is granted first, or name a SecureToken holder "
                       "in filevault.enabled_by";
    return w;
  }

  // A grant, revoke, role or attribute step that earlier steps already
  // accomplished (creating the first account with a password gives it the
  // first SecureToken) is redundant: skipped, and it holds nobody up.
  bool Redundant(const Change& c, const ObservedUser* account) {
    return account && ChangesNothing(c, *account);
  }

  // The step that would make `user` a SecureToken admin, if it was refused
  // or blocked.
  const Change* StoppedStepOf(const std::string& user) const {
    for (const Change& c : plan_.changes) {
      bool makes = c.action == Action::kGrantToken || c.action == Action::kMakeAdmin;
      bool stopped = Stopped(c.outcome);
      if (c.user == user && makes && stopped) return &c;
    }
    return nullptr;
  }

  // The authority must certainly be a SecureToken admin when a step acts as it.
  std::optional<Wait> AuthorityMissing() {
    auto a = accounts_.find(*authority_);
    Tri ok = a == accounts_.end() ? Tri::kNo : Contributes(Keep::kTokenAdmin, a->second);
    if (ok == Tri::kYes) return std::nullopt;
    Wait w;
    const DesiredUser* declared = declared_.Find(*authority_);
    // Never suggest reviving an account this file deletes, nor a step of
    // this plan that is itself stopped.
    const Change* stopped = StoppedStepOf(*authority_);
    if (declared && declared->ensure == Ensure::kAbsent) {
      w.blocked_remedy = "name another SecureToken admin in authority.user: " + *authority_ +
                         " is deleted by this file";
    } else if (stopped) {
      w.blocked_remedy = "name another SecureToken admin in authority.user: " + *authority_ +
                         "'s own step " + stopped->Id() + " is " + ToString(stopped->outcome) +
                         " (see it)";
    } else {
      w.blocked_remedy =
          "make " + *authority_ + " an admin with a SecureToken, or choose another authority";
    }
    if (ok == Tri::kNo) {
      w.blocked_why = "the authority " + *authority_ + " is not a SecureToken admin on this Mac";
      return w;
    }
    std::vector<Unknown> unknowns = UnknownsOf(Keep::kTokenAdmin, a->second);
    w.blocked_why = "cannot tell whether the authority " + *authority_ +
                    " is a SecureToken admin on this Mac (" + CannotTell(unknowns) + ")";
    w.blocked_remedy += "; or " + MakeKnown(unknowns);
    return w;
  }

  StepGraph::Decision Decide(std::size_t i) {
    Change& c = Step(i);
    const bool account = !c.user.empty();
    // The account as the steps so far left it; `found` is where it is or goes.
    auto found = account ? accounts_.lower_bound(c.user) : accounts_.end();
    const ObservedUser* now =
        found != accounts_.end() && found->first == c.user ? &found->second : nullptr;
    if (Redundant(c, now)) {
      c.rule.reset();
      c.remedy.clear();
      c.outcome_why.clear();
      SetOutcome(c, Outcome::kSkipped, "already done by earlier steps of this plan");
      return StepGraph::Decision::kRan;
    }
    if (Stopped(c.outcome)) {
      return StepGraph::Decision::kStop;
    }
    if (c.outcome == Outcome::kDeferred && c.action == Action::kGrantToken) {
      return StepGraph::Decision::kRan;  // happens later, at first login
    }
    if (NeedsAuthority(c.action)) {
      if (std::optional<Wait> missing = AuthorityMissing()) {
        waits_[i] = std::move(*missing);
        return StepGraph::Decision::kWait;
      }
    }
    if (c.action == Action::kEnableFileVault) {
      if (std::optional<Wait> missing = EnablerMissing()) {
        waits_[i] = std::move(*missing);
        return StepGraph::Decision::kWait;
      }
    }
    Judgement j = account ? JudgeAccountStep(c, now, declared_.Find(c.user), counts_)
                          : JudgeFileVaultStep(c, fv_, m_.mdm, counts_);
    if (j.breach) {
      bool stop = j.breach->no_order_helps;
      waits_[i] = Wait{std::move(j.breach), "", ""};
      if (!stop) return StepGraph::Decision::kWait;
      RefuseWith(i);
      return StepGraph::Decision::kStop;
    }
    waits_[i].reset();
    run_order_[i] = ran_++;
    for (Keep keep : j.relies_on) OrderAfterKeeper(i, keep, now);
    if (account) {
      std::optional<ObservedUser> after;
      if (now) after = *now;
      const Known<bool> first_token = counts_.NextGetsFirstToken();
      NoteFirstToken(c, first_token);
      ApplyToAccount(c, first_token, after);
      Track(i, c.user, now, after ? &*after : nullptr);
      if (now) counts_.Add(*now, -1);
      if (after) counts_.Add(*after, 1);
      if (after && now) {
        found->second = std::move(*after);
      } else if (after) {
        accounts_.emplace_hint(found, c.user, std::move(*after));
      } else if (now) {
        accounts_.erase(found);
      }
    } else {
      FileVaultState after = fv_;
      ApplyToFileVault(c, m_.mdm, after);
      TrackFileVault(i, after);
      counts_.Add(fv_, -1);
      counts_.Add(after, 1);
      fv_ = after;
    }
    return StepGraph::Decision::kRan;
  }

  // Which step of the plan made an account (or the FileVault state) certainly
  // keep a rule, while it still does: the reason a later step may remove
  // another keeper.
  void Track(std::size_t step, const std::string& entity, const ObservedUser* before,
             const ObservedUser* after) {
    for (Keep keep : kAllKeeps) {
      bool was = before && Contributes(keep, *before) == Tri::kYes;
      bool is = after && Contributes(keep, *after) == Tri::kYes;
      Record(keep, step, entity, was, is);
    }
  }
  void TrackFileVault(std::size_t step, const FileVaultState& after) {
    bool was = Contributes(Keep::kUnlock, fv_) == Tri::kYes;
    bool is = Contributes(Keep::kUnlock, after) == Tri::kYes;
    Record(Keep::kUnlock, step, kFileVault, was, is);
  }
  void Record(Keep keep, std::size_t step, const std::string& entity, bool was, bool is) {
    auto& keepers = keepers_[static_cast<std::size_t>(keep)];
    if (!is) {
      keepers.erase(entity);
    } else if (!was) {
      keepers[entity] = step;
    }
  }

  // Step i removes a possible keeper of `keep` and is safe only because
  // others keep it. When every other certain keeper came from a step of
  // this plan, i must come after the first of them: a safety edge.
  void OrderAfterKeeper(std::size_t i, Keep keep, const ObservedUser* before) {
    const auto& keepers = keepers_[static_cast<std::size_t>(keep)];
    const std::string entity = Step(i).user;
    bool self_certain = Step(i).user.empty() ? Contributes(keep, fv_) == Tri::kYes
                                             : before && Contributes(keep, *before) == Tri::kYes;
    int others_certain = counts_.Certain(keep) - self_certain;
    int others_from_plan =
        static_cast<int>(keepers.size()) - static_cast<int>(keepers.count(entity));
    if (others_certain == 0 || others_certain != others_from_plan) return;
    std::optional<std::size_t> first;
    for (const auto& [who, step] : keepers) {
      if (who != entity && (!first || run_order_[step] < run_order_[*first])) first = step;
    }
    if (!first) return;
    Rule rule = keep == Keep::kUnlock && Step(i).action == Action::kResetPassword
                    ? Rule::kPasswordDesync
                    : RuleOf(keep);
    safety_edges_.push_back(
        {*first, i, std::string("keeps ") + Describe(keep) + ": " + RuleId(rule)});
  }

  // The unknowns of the rest of the Mac that could keep the rule a breach
  // names: the FileVault state's, then accounts' in name order, as many as
  // are shown; the rest are counted from the running totals, so that a
  // thousand refusals on a Mac of a thousand unknowns stay linear.
  void NameOthers(Breach& b, const std::string& except) const {
    std::size_t total = counts_.Unknowns(b.keep);
    std::vector<Unknown> shown;
    if (except.empty()) {
      total -= UnknownsOf(b.keep, fv_).size();  // the step's own
    } else {
      shown = UnknownsOf(b.keep, fv_);
      if (auto own = accounts_.find(except); own != accounts_.end()) {
        total -= CountUnknowns(b.keep, own->second);
      }
    }
    for (auto it = accounts_.begin(); it != accounts_.end() && shown.size() < kUnknownsShown;
         ++it) {
      if (it->first == except) continue;
      for (Unknown& x : UnknownsOf(b.keep, it->second)) shown.push_back(std::move(x));
    }
    std::size_t listed = std::min(shown.size(), total);
    NameUnknowns(b, shown, total - listed);
  }

  void RefuseWith(std::size_t i) {
    Change& c = Step(i);
    Breach b = *waits_[i]->breach;
    // Only a rule other accounts could keep depends on what is unknown about them.
    if (b.no_order_helps) {
      NameUnknowns(b, {}, 0);
    } else {
      NameOthers(b, c.user);
    }
    Refuse(c, {b.rule, b.why, b.remedy});
  }

  void Outcomes(const StepGraph::Schedule& s) {
    for (const StepGraph::Edge& e : graph_.edges()) {
      Step(e.after).depends_on.push_back({Step(e.before).Id(), e.reason});
    }
    for (std::size_t i : s.waiting) {
      const Wait& w = *waits_[i];
      if (w.breach) {
        RefuseWith(i);
      } else {
        Stop(Step(i), Outcome::kBlocked, w.blocked_why, w.blocked_remedy);
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
        Refuse(c, AuthorityStillNeeded(*authority_, first_missing));
      } else {
        SetOutcome(c, Outcome::kSkipped,
                   "skipped: it depends on " + first_missing + ", which will not run");
      }
    }
  }

  // Steps that run come first, in the order they run; the rest follow in
  // their stable order.
  void Reorder(const StepGraph::Schedule& s, const std::vector<std::uint64_t>& keys) {
    std::vector<std::size_t> order = s.ran;
    std::vector<std::size_t> rest;
    for (const auto* list : {&s.stopped, &s.waiting, &s.unreached}) {
      rest.insert(rest.end(), list->begin(), list->end());
    }
    std::sort(rest.begin(), rest.end(),
              [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
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
  std::map<std::string, ObservedUser> accounts_;  // ordered: refusals name them in order
  RuleCounts counts_;
  FileVaultState fv_;
  std::vector<std::optional<Wait>> waits_;
  // For each counting rule, the accounts (and "" for FileVault) that a step
  // of this plan made certain keepers, with that step.
  std::array<std::map<std::string, std::size_t>, 3> keepers_;
  std::vector<std::size_t> run_order_;  // position among the steps that ran
  std::size_t ran_ = 0;
  std::vector<StepGraph::Edge> safety_edges_;
};

}  // namespace

Result<Plan> Check(Plan plan, const DesiredState& desired, const DeviceState& device) {
  return Checker(std::move(plan), desired, device).Run();
}

}  // namespace accord
