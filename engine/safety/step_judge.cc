// SPDX-License-Identifier: Apache-2.0
// Judging one step against every possible world of the Mac.
#include "safety/step_judge.h"

#include <algorithm>

#include "model/effect.h"

namespace accord {
namespace {

// Replaces each world whose `field` is unknown by its two completions.
template <typename T>
void Complete(std::vector<T>& worlds, Known<bool> T::*field) {
  std::vector<T> next;
  for (const T& w : worlds) {
    if (w.*field) {
      next.push_back(w);
      continue;
    }
    for (bool value : {false, true}) {
      next.push_back(w);
      next.back().*field = value;
    }
  }
  worlds = std::move(next);
}

// Every value the fields the rules read could have; the other fields stay.
std::vector<ObservedUser> Completions(const ObservedUser& u) {
  std::vector<ObservedUser> out = {u};
  for (Known<bool> ObservedUser::*field : {&ObservedUser::admin, &ObservedUser::secure_token,
                                           &ObservedUser::filevault_password_in_sync}) {
    Complete(out, field);
  }
  return out;
}

std::vector<FileVaultState> Completions(const FileVaultState& fv) {
  std::vector<FileVaultState> out;
  // An escrow-pending key is escrowed in some worlds and not in others;
  // each world is definite, so none is pending.
  FileVaultState settled = fv;
  settled.recovery_key_escrowed = KeyEscrowed(fv);
  settled.escrow_pending = false;
  if (settled.status) {
    out.push_back(settled);
  } else {
    for (FileVaultStatus s :
         {FileVaultStatus::kOff, FileVaultStatus::kOn, FileVaultStatus::kEncrypting,
          FileVaultStatus::kDecrypting, FileVaultStatus::kDeferred}) {
      out.push_back(settled);
      out.back().status = s;
    }
  }
  for (Known<bool> FileVaultState::*field :
       {&FileVaultState::recovery_key_escrowed, &FileVaultState::institutional_recovery_key}) {
    Complete(out, field);
  }
  return out;
}

void AddUnknowns(std::vector<Unknown>& into, const std::vector<Unknown>& more) {
  for (const Unknown& u : more) {
    if (std::find(into.begin(), into.end(), u) == into.end()) into.push_back(u);
  }
}

// The words of a breach of `keep` by `step`: as a fact, as a possibility,
// and the remedy that does not depend on what is unknown.
struct Words {
  std::string fact;
  std::string possibility;
  std::string remedy;
};

Words WordsFor(Keep keep, const Change& step) {
  const std::string& who = step.user;
  switch (keep) {
    case Keep::kAdmin:
      return {who + " is the last admin; no admin would remain",
              "after this step no account would certainly be an admin",
              "make another account an admin first (role: admin)"};
    case Keep::kTokenAdmin:
      if (step.action == Action::kResetPassword) {
        return {"resetting " + who + "'s password may cost " + who +
                    "'s SecureToken (removed on macOS 15 and earlier, left broken on macOS 26), "
                    "and " +
                    who + " is the last admin certainly holding one",
                "resetting " + who + "'s password may cost " + who +
                    "'s SecureToken, and no other admin would certainly hold one",
                "grant a SecureToken to another admin first, or use password_update: change "
                "with old_password"};
      }
      return {who +
                  " is the last admin holding a SecureToken; no one could grant tokens or "
                  "manage FileVault",
              "after this step no admin would certainly hold a SecureToken, so no one could be "
              "sure to grant tokens or manage FileVault",
              "grant a SecureToken to another admin first"};
    case Keep::kUnlock: break;
  }
  if (step.action == Action::kResetPassword) {
    return {"after resetting " + who + "'s password nobody could unlock FileVault",
            "after resetting " + who +
                "'s password no certain way to unlock FileVault at boot "
                "would remain",
            "grant a SecureToken to a second admin with a known password, or escrow a recovery "
            "key, first"};
  }
  return {"after this step nobody could unlock FileVault at boot",
          "after this step no certain way to unlock FileVault at boot would remain",
          "grant a SecureToken to another admin with a known password, or escrow a recovery key, "
          "first"};
}

Breach MakeBreach(Keep keep, const Change& step, bool certain, std::vector<Unknown> unknowns) {
  Words w = WordsFor(keep, step);
  Breach b;
  b.keep = keep;
  b.rule = keep == Keep::kUnlock && step.action == Action::kResetPassword ? Rule::kPasswordDesync
                                                                          : RuleOf(keep);
  b.certain = certain && unknowns.empty();
  b.why = b.certain ? w.fact : w.possibility;
  b.remedy = w.remedy;
  b.unknowns = std::move(unknowns);
  return b;
}

// A reset without the old password replaces the login keychain of any
// token holder and leaves FileVault on the old password (DOMAIN §1): the
// admin must have accepted that, and no order of steps changes it.
std::optional<Breach> KeychainReset(const Change& step, const ObservedUser& before,
                                    const DesiredUser* declared) {
  if (step.action != Action::kResetPassword || before.secure_token == false) return std::nullopt;
  if (declared && declared->allow_keychain_reset) return std::nullopt;
  const std::string& who = step.user;
  Breach b;
  b.rule = Rule::kPasswordDesync;
  b.keep = Keep::kUnlock;
  b.no_order_helps = true;
  b.certain = before.secure_token == true;
  b.why = std::string(b.certain ? "" : who + " may hold a SecureToken, and ") +
          "a reset without the old password replaces " + who +
          "'s login keychain and leaves FileVault on the OLD password";
  b.remedy = "set allow_keychain_reset: true for " + who +
             ", or use password_update: change with old_password";
  if (!b.certain) b.unknowns.push_back(UnknownToken(who));
  return b;
}

}  // namespace

Judgement JudgeAccountStep(const Change& step, const ObservedUser* before,
                           const DesiredUser* declared, const RuleCounts& counts) {
  Judgement j;
  if (!before) return j;  // nothing there yet: a new account only adds
  if (auto b = KeychainReset(step, *before, declared)) {
    j.breach = std::move(b);
    return j;
  }
  std::vector<ObservedUser> worlds = Completions(*before);
  std::vector<std::optional<ObservedUser>> afters;
  for (const ObservedUser& w : worlds) {
    afters.emplace_back(w);
    ApplyToAccount(step, false, afters.back());
  }
  for (Keep keep : kAllKeeps) {
    // A world in which this account keeps the rule and, after the step,
    // may not: the step removes a possible keeper.
    std::size_t breaking = worlds.size();
    for (std::size_t i = 0; i < worlds.size() && breaking == worlds.size(); ++i) {
      bool after = afters[i] && Contributes(keep, *afters[i]) == Tri::kYes;
      if (Contributes(keep, worlds[i]) == Tri::kYes && !after) breaking = i;
    }
    if (breaking == worlds.size()) continue;
    Tri now = Contributes(keep, *before);
    if (counts.Certain(keep) - (now == Tri::kYes) > 0) {
      j.relies_on.push_back(keep);
      continue;
    }
    std::vector<Unknown> unknowns = UnknownsOf(keep, *before);
    // What a reset leaves unknown is its own doing, not a fact to observe.
    if (afters[breaking] && step.action != Action::kResetPassword) {
      AddUnknowns(unknowns, UnknownsOf(keep, *afters[breaking]));
    }
    bool others_possible = counts.Possible(keep) - (now != Tri::kNo) > 0;
    j.breach = MakeBreach(keep, step, now == Tri::kYes && !others_possible, std::move(unknowns));
    return j;
  }
  return j;
}

Judgement JudgeFileVaultStep(const Change& step, const FileVaultState& before, const MdmState& mdm,
                             const RuleCounts& counts) {
  Judgement j;
  const Keep keep = Keep::kUnlock;
  for (const FileVaultState& world : Completions(before)) {
    if (Contributes(keep, world) != Tri::kYes) continue;
    FileVaultState after = world;
    ApplyToFileVault(step, mdm, after);
    if (Contributes(keep, after) == Tri::kYes) continue;
    Tri now = Contributes(keep, before);
    if (counts.Certain(keep) - (now == Tri::kYes) > 0) {
      j.relies_on.push_back(keep);
      return j;
    }
    std::vector<Unknown> unknowns = UnknownsOf(keep, before);
    AddUnknowns(unknowns, UnknownsOf(keep, after));
    bool others_possible = counts.Possible(keep) - (now != Tri::kNo) > 0;
    bool certain = now == Tri::kYes && Contributes(keep, after) == Tri::kNo && !others_possible;
    j.breach = MakeBreach(keep, step, certain, std::move(unknowns));
    return j;
  }
  return j;
}

void NameUnknowns(Breach& b, const std::vector<Unknown>& others, std::size_t more_others) {
  AddUnknowns(b.unknowns, others);
  if (b.unknowns.empty()) return;
  b.certain = false;
  b.why += "; " + CannotTell(b.unknowns, more_others);
  b.remedy += "; or " + MakeKnown(b.unknowns);
}

}  // namespace accord
