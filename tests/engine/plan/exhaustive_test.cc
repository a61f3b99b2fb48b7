// SPDX-License-Identifier: Apache-2.0
// Exhaustive small-scope check of the planner. Every observed Mac within
// the bounds below, and every desired state over it, is planned; then:
//   soundness:    in every completion of the Mac's unknowns, no step Accord
//                 runs takes a rule that holds to one that breaks;
//   completeness: when Accord refuses a step for a safety rule, no order of
//                 the steps it planned runs them all safely in every world.
// The checker here is independent of engine/safety and of the device model
// (model/effect): its own few lines of rules and effects, so that a bug in
// one is caught by the other.
//
// Bounds (documented in the README, counted at the end of the run):
//   - 1 to 3 accounts; each an admin or not, with a SecureToken yes, no or
//     unknown, and (for a possible token holder) its FileVault password in
//     step yes, no or unknown: 14 kinds of account, taken as multisets;
//   - FileVault off, on or deferred; recovery key escrowed yes, no, unknown;
//   - each account: unmentioned, deleted, made admin, made standard, granted
//     or revoked a token, or its password reset (allow_keychain_reset), where
//     that changes something; plus 0, 1 or 2 new accounts (admin with a
//     token, standard with a token, admin without) while the Mac has at most
//     4 accounts in all; plus FileVault turned on where it is off;
//   - the authority is the first account when it is certainly an admin with
//     a token, else there is none (steps that need one are then blocked).
#include <array>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "plan/planner.h"
#include "support/catch.h"

namespace accord {
namespace {

// --- the independent model ------------------------------------------------

enum class V { kNo, kYes, kUnknown };

struct Kind {  // one observed account
  bool admin;
  V token;
  V sync;
};

struct Mac {
  std::vector<Kind> accounts;  // named a0, a1, a2
  int filevault;               // 0 off, 1 on, 2 deferred
  V escrow;
};

struct Acct {
  bool exists = false;
  bool admin = false;
  bool token = false;
  bool sync = false;
};

struct World {
  std::vector<Acct> accounts;  // existing ones, then the new n0, n1
  int filevault = 0;
  bool escrow = false;
};

// The three counting rules: an admin; an admin with a token; FileVault off,
// or a token holder in step, or an escrowed key.
std::array<bool, 3> Rules(const World& w) {
  std::array<bool, 3> r{false, false, w.filevault == 0 || w.escrow};
  for (const Acct& a : w.accounts) {
    if (!a.exists) continue;
    r[0] = r[0] || a.admin;
    r[1] = r[1] || (a.admin && a.token);
    r[2] = r[2] || (a.token && a.sync);
  }
  return r;
}

enum class Op { kCreate, kDelete, kMakeAdmin, kMakeStandard, kGrant, kRevoke, kReset, kEnable };

struct Step {
  Op op;
  int who = -1;        // index into World::accounts; -1 for FileVault
  bool admin = false;  // for kCreate
  std::string id;      // Accord's step id
};

bool NeedsAuthority(Op op) {
  return op == Op::kGrant || op == Op::kRevoke || op == Op::kReset || op == Op::kEnable;
}

// macOS as the DOMAIN describes it, in one concrete world.
World Apply(const Step& s, World w) {
  if (s.op == Op::kEnable) {
    // fdesetup enable makes a new personal key; until the MDM confirms it
    // holds it, some worlds have no escrowed key, and this is the worst.
    w.filevault = 2;
    w.escrow = false;
    return w;
  }
  Acct& a = w.accounts[s.who];
  switch (s.op) {
    case Op::kCreate: {
      bool any_token = false;
      for (const Acct& o : w.accounts) any_token = any_token || (o.exists && o.token);
      a = {true, s.admin, !any_token, true};  // the first token goes to the first password set
      break;
    }
    case Op::kDelete: a.exists = false; break;
    case Op::kMakeAdmin: a.admin = true; break;
    case Op::kMakeStandard: a.admin = false; break;
    case Op::kGrant: a.token = a.sync = true; break;
    case Op::kRevoke: a.token = false; break;
    // The worst of what a reset may do to a token (DOMAIN §1): it is lost,
    // or left broken, which is no working token either.
    case Op::kReset: a.token = a.sync = false; break;
    case Op::kEnable: break;
  }
  return w;
}

std::vector<World> Completions(const Mac& mac, int new_accounts) {
  std::vector<World> out = {World{}};
  auto fork = [&](V v, const std::function<void(World&, bool)>& set) {
    std::vector<World> next;
    for (World& w : out) {
      for (bool b : {false, true}) {
        if ((v == V::kNo && b) || (v == V::kYes && !b)) continue;
        next.push_back(w);
        set(next.back(), b);
      }
    }
    out = std::move(next);
  };
  for (std::size_t i = 0; i < mac.accounts.size(); ++i) {
    const Kind& k = mac.accounts[i];
    for (World& w : out) w.accounts.push_back({true, k.admin, false, false});
    fork(k.token, [i](World& w, bool b) { w.accounts[i].token = b; });
    fork(k.sync, [i](World& w, bool b) { w.accounts[i].sync = b; });
  }
  for (World& w : out) {
    w.accounts.resize(mac.accounts.size() + new_accounts);
    w.filevault = mac.filevault;
  }
  fork(mac.escrow, [](World& w, bool b) { w.escrow = b; });
  return out;
}

// Safe in every world: no rule that held breaks; and an authority step runs
// only while the authority is certainly an admin with a token.
bool SafeEverywhere(const Step& s, const std::vector<World>& worlds, int authority) {
  for (const World& w : worlds) {
    if (NeedsAuthority(s.op)) {
      const Acct& a = w.accounts[authority];
      if (authority < 0 || !a.exists || !a.admin || !a.token) return false;
    }
    std::array<bool, 3> before = Rules(w), after = Rules(Apply(s, w));
    for (int k = 0; k < 3; ++k) {
      if (before[k] && !after[k]) return false;
    }
  }
  return true;
}

// Is there an order of `steps` (creates first for their account) that is
// safe in every world at every step?
bool SomeSafeOrder(std::vector<Step> steps, std::vector<World> worlds, int authority,
                   std::vector<bool>& used, std::size_t done) {
  if (done == steps.size()) return true;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (used[i]) continue;
    const Step& s = steps[i];
    bool waits_for_create = false;
    for (std::size_t j = 0; j < steps.size(); ++j) {
      waits_for_create = waits_for_create || (!used[j] && j != i && steps[j].op == Op::kCreate &&
                                              steps[j].who == s.who);
    }
    if (waits_for_create || !SafeEverywhere(s, worlds, authority)) continue;
    std::vector<World> next;
    for (const World& w : worlds) next.push_back(Apply(s, w));
    used[i] = true;
    if (SomeSafeOrder(steps, next, authority, used, done + 1)) return true;
    used[i] = false;
  }
  return false;
}

// --- Accord's inputs, built as values -------------------------------------

Known<bool> Of(V v) { return v == V::kUnknown ? Known<bool>() : Known<bool>(v == V::kYes); }

DeviceState Snapshot(const Mac& mac) {
  DeviceState s;
  s.name = "small";
  s.mdm.enrolled = false;
  s.mdm.bootstrap_token_supported = false;
  s.mdm.bootstrap_token_escrowed = false;
  for (std::size_t i = 0; i < mac.accounts.size(); ++i) {
    const Kind& k = mac.accounts[i];
    ObservedUser u;
    u.name = "a" + std::to_string(i);
    u.uid = 501 + static_cast<int>(i);
    u.full_name = u.name;
    u.shell = "/bin/zsh";
    u.home = "/Users/" + u.name;
    u.hidden = false;
    u.admin = k.admin;
    u.secure_token = Of(k.token);
    u.filevault_password_in_sync = Of(k.sync);
    u.keychain_in_sync = true;
    s.users.push_back(u);
    s.homes.push_back({*u.home, u.uid});
  }
  const FileVaultStatus statuses[] = {FileVaultStatus::kOff, FileVaultStatus::kOn,
                                      FileVaultStatus::kDeferred};
  s.filevault.status = statuses[mac.filevault];
  s.filevault.personal_recovery_key = mac.escrow != V::kNo;
  s.filevault.recovery_key_escrowed = Of(mac.escrow);
  s.filevault.institutional_recovery_key = false;
  return s;
}

enum class Want { kNone, kDelete, kAdmin, kStandard, kGrant, kRevoke, kReset };
enum class New { kAdminToken, kStandardToken, kAdmin };

DesiredState Desired(const Mac& mac, const std::vector<Want>& wants, const std::vector<New>& news,
                     bool enable, int authority) {
  DesiredState d;
  d.file = "small.yaml";
  auto password = [](const std::string& name) {
    return SecretRef{SecretRef::Source::kEnv, "PW_" + name};
  };
  if (authority >= 0) d.authority = Authority{"a0", password("a0")};
  for (std::size_t i = 0; i < mac.accounts.size(); ++i) {
    if (wants[i] == Want::kNone && !(authority == static_cast<int>(i))) continue;
    DesiredUser u;
    u.name = "a" + std::to_string(i);
    u.password = password(u.name);
    switch (wants[i]) {
      case Want::kNone: break;
      case Want::kDelete:
        u.ensure = Ensure::kAbsent;
        u.password.reset();
        break;
      case Want::kAdmin: u.role = Role::kAdmin; break;
      case Want::kStandard: u.role = Role::kStandard; break;
      case Want::kGrant: u.secure_token = true; break;
      case Want::kRevoke: u.secure_token = false; break;
      case Want::kReset:
        u.password_update = PasswordUpdate::kReset;
        u.allow_keychain_reset = true;
        break;
    }
    d.users.push_back(u);
  }
  for (std::size_t j = 0; j < news.size(); ++j) {
    DesiredUser u;
    u.name = "n" + std::to_string(j);
    u.password = password(u.name);
    u.role = news[j] == New::kStandardToken ? Role::kStandard : Role::kAdmin;
    if (news[j] != New::kAdmin) u.secure_token = true;
    d.users.push_back(u);
  }
  if (enable) {
    d.filevault = FileVaultSpec{};
    d.filevault->enabled = true;
  }
  return d;
}

// Accord's step as the independent model's, or nullopt for steps that do not
// change what the rules read (attributes).
std::optional<Step> Translate(const Change& c, std::size_t existing) {
  Step s;
  s.id = c.Id();
  if (c.user.empty()) {
    s.op = Op::kEnable;
    return s;
  }
  s.who = c.user[0] == 'a' ? std::stoi(c.user.substr(1))
                           : static_cast<int>(existing) + std::stoi(c.user.substr(1));
  switch (c.action) {
    case Action::kCreateUser:
      s.op = Op::kCreate;
      s.admin = c.AfterAs<std::string>(Attr::kRole) == std::string("admin");
      return s;
    case Action::kDeleteUser: s.op = Op::kDelete; return s;
    case Action::kMakeAdmin: s.op = Op::kMakeAdmin; return s;
    case Action::kMakeStandard: s.op = Op::kMakeStandard; return s;
    case Action::kGrantToken: s.op = Op::kGrant; return s;
    case Action::kRevokeToken: s.op = Op::kRevoke; return s;
    case Action::kResetPassword: s.op = Op::kReset; return s;
    default: return std::nullopt;
  }
}

bool SafetyRule(const std::optional<Rule>& r) {
  return r == Rule::kLastAdmin || r == Rule::kLastTokenAdmin || r == Rule::kFileVaultUnlock ||
         r == Rule::kPasswordDesync;
}

std::string Describe(const Mac& mac, const std::vector<Want>& wants, const std::vector<New>& news,
                     bool enable, const Plan& plan) {
  const char* v[] = {"no", "yes", "?"};
  std::string out = "Mac:";
  for (std::size_t i = 0; i < mac.accounts.size(); ++i) {
    const Kind& k = mac.accounts[i];
    out += " a" + std::to_string(i) + "{admin " + (k.admin ? "yes" : "no") + ", token " +
           v[static_cast<int>(k.token)] + ", sync " + v[static_cast<int>(k.sync)] + ", want " +
           std::to_string(static_cast<int>(wants[i])) + "}";
  }
  out += " filevault " + std::to_string(mac.filevault) + " escrow " +
         v[static_cast<int>(mac.escrow)] + " new " + std::to_string(news.size()) + " enable " +
         (enable ? "yes" : "no") + "\nplan:";
  for (const Change& c : plan.changes) {
    out += " " + c.Id() + "=" + ToString(c.outcome);
    if (c.rule) out += std::string("[") + RuleId(*c.rule) + "]";
  }
  return out;
}

// The scope's part `part` of `parts`: every parts-th set of accounts, so
// that ctest runs the parts side by side.
void ExhaustiveScope(std::size_t part, std::size_t parts) {
  std::vector<Kind> kinds;
  for (bool admin : {false, true}) {
    for (V token : {V::kNo, V::kYes, V::kUnknown}) {
      for (V sync : {V::kNo, V::kYes, V::kUnknown}) {
        if (token == V::kNo && sync != V::kYes) continue;  // sync of a non-holder is moot
        kinds.push_back({admin, token, sync});
      }
    }
  }
  REQUIRE(kinds.size() == 14);
  std::vector<std::vector<Kind>> account_sets;
  for (std::size_t a = 0; a < kinds.size(); ++a) {
    account_sets.push_back({kinds[a]});
    for (std::size_t b = a; b < kinds.size(); ++b) {
      account_sets.push_back({kinds[a], kinds[b]});
      for (std::size_t c = b; c < kinds.size(); ++c)
        account_sets.push_back({kinds[a], kinds[b], kinds[c]});
    }
  }
  const std::vector<std::vector<New>> new_sets = {{},
                                                  {New::kAdminToken},
                                                  {New::kStandardToken},
                                                  {New::kAdmin},
                                                  {New::kAdminToken, New::kAdminToken},
                                                  {New::kAdminToken, New::kStandardToken},
                                                  {New::kAdminToken, New::kAdmin},
                                                  {New::kStandardToken, New::kStandardToken},
                                                  {New::kStandardToken, New::kAdmin},
                                                  {New::kAdmin, New::kAdmin}};

  REQUIRE(account_sets.size() == 679);
  std::uint64_t macs = 0, cases = 0, steps_checked = 0, refusals = 0, orders_searched = 0;
  std::uint64_t sets = 0;
  for (std::size_t set = part; set < account_sets.size(); set += parts) {
    const std::vector<Kind>& accounts = account_sets[set];
    ++sets;
    for (int filevault : {0, 1, 2}) {
      for (V escrow : {V::kNo, V::kYes, V::kUnknown}) {
        Mac mac{accounts, filevault, escrow};
        ++macs;
        const DeviceState observed = Snapshot(mac);
        const int authority = accounts[0].admin && accounts[0].token == V::kYes ? 0 : -1;
        // Every useful wish per account.
        std::vector<std::vector<Want>> options;
        for (const Kind& k : accounts) {
          std::vector<Want> o = {Want::kNone, Want::kDelete,
                                 k.admin ? Want::kStandard : Want::kAdmin};
          if (k.token != V::kYes) o.push_back(Want::kGrant);
          if (k.token != V::kNo) o.push_back(Want::kRevoke);
          if (k.token != V::kNo) o.push_back(Want::kReset);
          options.push_back(o);
        }
        std::vector<Want> wants(accounts.size());
        std::function<void(std::size_t)> each = [&](std::size_t i) {
          if (i < accounts.size()) {
            for (Want w : options[i]) {
              wants[i] = w;
              each(i + 1);
            }
            return;
          }
          for (const std::vector<New>& news : new_sets) {
            if (accounts.size() + news.size() > 4) continue;
            for (bool enable : {false, true}) {
              if (enable && filevault != 0) continue;
              ++cases;
              Result<Plan> planned =
                  MakePlan(Desired(mac, wants, news, enable, authority), observed);
              if (!planned.ok()) FAIL("no plan: " << planned.errors().front().message);
              const Plan& plan = planned.value();
              std::vector<World> worlds = Completions(mac, static_cast<int>(news.size()));
              // Soundness: Accord's order, in every world.
              std::vector<Step> planned_steps;
              bool refused = false;
              for (const Change& c : plan.changes) {
                std::optional<Step> s = Translate(c, accounts.size());
                bool runs = c.outcome == Outcome::kRun || (c.outcome == Outcome::kDeferred &&
                                                           c.action == Action::kEnableFileVault);
                if (s && (runs || (c.outcome == Outcome::kRefused && SafetyRule(c.rule)))) {
                  planned_steps.push_back(*s);
                }
                refused = refused || (c.outcome == Outcome::kRefused && SafetyRule(c.rule));
                if (!s || !runs) continue;
                ++steps_checked;
                for (World& w : worlds) {
                  World next = Apply(*s, w);
                  std::array<bool, 3> before = Rules(w), after = Rules(next);
                  for (int k = 0; k < 3; ++k) {
                    if (before[k] && !after[k]) {
                      FAIL("unsound: " << s->id << " breaks rule " << k << " in a world\n"
                                       << Describe(mac, wants, news, enable, plan));
                    }
                  }
                  w = next;
                }
              }
              // Completeness: a refusal no order could have avoided.
              if (refused) {
                ++refusals;
                ++orders_searched;
                std::vector<bool> used(planned_steps.size(), false);
                if (SomeSafeOrder(planned_steps, Completions(mac, static_cast<int>(news.size())),
                                  authority, used, 0)) {
                  FAIL("incomplete: a safe order exists for every step, yet Accord refused\n"
                       << Describe(mac, wants, news, enable, plan));
                }
              }
            }
          }
        };
        each(0);
      }
    }
  }
  INFO(macs << " Macs, " << cases << " (observed, desired) cases, " << steps_checked
            << " steps checked in every world, " << refusals << " plans with a safety refusal, "
            << orders_searched << " searched for a safe order");
  std::printf(
      "exhaustive: %llu Macs, %llu cases, %llu steps checked in every world, %llu plans "
      "with a safety refusal, none with a safe order\n",
      static_cast<unsigned long long>(macs), static_cast<unsigned long long>(cases),
      static_cast<unsigned long long>(steps_checked), static_cast<unsigned long long>(refusals));
  CHECK(macs == 9 * sets);  // 5040 + 945 + 126 Macs in all parts
  CHECK(cases > 1000000 / parts);
}

}  // namespace

TEST_CASE("exhaustive small scope: every plan is sound, and refuses only what no order saves (1/2)",
          "[exhaustive]") {
  ExhaustiveScope(0, 2);
}

TEST_CASE("exhaustive small scope: every plan is sound, and refuses only what no order saves (2/2)",
          "[exhaustive]") {
  ExhaustiveScope(1, 2);
}

}  // namespace accord
