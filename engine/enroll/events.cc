// SPDX-License-Identifier: Apache-2.0
// The event runner: prerequisites, redundancy, preconditions, the step
// judge in every possible world, and the device model's effect.
#include "enroll/events.h"

#include "model/effect.h"
#include "safety/change_rules.h"
#include "safety/rule_counts.h"
#include "safety/step_judge.h"

namespace accord {

// An event: skipped when an event it needs will not run, else
// skipped when earlier events already did it, else checked for what it
// needs, judged by the rules in every possible world, and applied.
void EventRunner::Add(Change c, std::vector<Dependency> after, const Precondition& needs) {
  c.depends_on = std::move(after);
  for (const Dependency& d : c.depends_on) {
    const Change* before = Find(d.id);
    if (Runs(c) && before && !Runs(*before) && !done_.count(d.id)) {
      SetOutcome(c, Outcome::kSkipped, "skipped: it depends on " + d.id + ", which will not run");
      c.remedy.clear();
    }
  }
  if (Runs(c) && Redundant(c)) {
    SetOutcome(c, Outcome::kSkipped, "already done by an earlier event");
    done_.insert(c.Id());
  }
  if (Runs(c) && needs) needs(c);
  if (Runs(c)) JudgeEvent(c);
  if (Runs(c)) state_ = Effect(c, state_);
  events_.push_back({kind_, std::move(c)});
}

const Change* EventRunner::Find(const std::string& id) const {
  for (const EventStep& e : events_) {
    if (e.change.Id() == id) return &e.change;
  }
  return nullptr;
}

// A grant to an account that already holds a token is done, even where the
// planner's stricter test would grant again to settle volume ownership.
bool EventRunner::Redundant(const Change& c) const {
  const ObservedUser* now = state_.FindUser(c.user);
  if (!now) return false;
  if (c.action == Action::kGrantToken) return now->secure_token == true;
  return ChangesNothing(c, *now);
}

// What the file says of an account, as the step judge reads it.
DesiredUser EventRunner::Declared(const std::string& name) const {
  DesiredUser d;
  d.name = name;
  for (const BoundUser& u : e_.users) {
    if (u.name == name) d.allow_keychain_reset = u.allow_keychain_reset;
  }
  if (e_.agent && e_.agent->service_account == name) d.ensure = e_.agent->ensure;
  return d;
}

void EventRunner::JudgeEvent(Change& c) {
  if (c.action == Action::kEnrollMdm) return;  // no account or unlock path changes
  RuleCounts counts(state_);
  Judgement j;
  if (c.user.empty()) {
    j = JudgeFileVaultStep(c, state_.filevault, state_.mdm, counts);
  } else {
    NoteFirstToken(c, counts.NextGetsFirstToken());
    DesiredUser declared = Declared(c.user);
    j = JudgeAccountStep(c, state_.FindUser(c.user), &declared, counts);
  }
  if (!j.breach) return;
  Breach b = std::move(*j.breach);
  std::vector<Unknown> others;
  std::size_t more = 0;
  if (!b.no_order_helps) {
    for (const ObservedUser& u : state_.users) {
      if (u.name == c.user) continue;
      for (Unknown& x : UnknownsOf(b.keep, u)) {
        if (others.size() < kUnknownsShown) {
          others.push_back(std::move(x));
        } else {
          ++more;
        }
      }
    }
  }
  NameUnknowns(b, others, more);
  if (b.no_order_helps && b.rule == Rule::kPasswordDesync) {
    // The plan's remedy names password_update, which binding has not.
    b.remedy = "set users." + c.user + ".allow_keychain_reset: true once " + c.user +
               " knows the login keychain will be replaced (keep the old password: FileVault "
               "unlocks with it until the token is granted again), or bind " +
               c.user + " to a new account";
  }
  Refuse(c, {b.rule, b.why, b.remedy});
}

}  // namespace accord
