// SPDX-License-Identifier: Apache-2.0
// The safety criterion on a partly known Mac: a step that removes a possible
// keeper of a rule (an unlock path, a token admin, an admin) is refused when
// no certain keeper remains, and the refusal names the unknown behind it;
// steps that cannot matter to a rule still run.
#include "plan/planner.h"
#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

using test::Account;

Plan PlanFor(const std::string& yaml, const std::string& snapshot) {
  return test::PlanOf(yaml, snapshot);
}

Change Only(const Plan& p) {
  REQUIRE(p.changes.size() == 1);
  return p.changes[0];
}

const std::string kDeleteOlduser = "accord: 1\nusers:\n  olduser: {ensure: absent}\n";

}  // namespace

TEST_CASE("deleting the only possible unlock path is refused, naming the unknown", "[safety]") {
  Change c = Only(PlanFor(kDeleteOlduser, test::TrialMac(true)));
  CHECK(c.Id() == "delete_user:olduser");
  CHECK(c.outcome == Outcome::kRefused);
  CHECK(c.rule == Rule::kFileVaultUnlock);
  CHECK(c.reason == "ensure: absent");
  CHECK(c.outcome_why ==
        "after this step no certain way to unlock FileVault at boot would remain; "
        "cannot tell whether olduser's FileVault password is in step with its login password");
  CHECK(c.remedy.find("grant a SecureToken to another admin with a known password, or escrow a "
                      "recovery key, first; or make known whether olduser's FileVault password "
                      "is in step with its login password: no macOS tool shows it") == 0);
}

TEST_CASE("...and so is deleting it when the token itself is unknown", "[safety]") {
  Change c = Only(PlanFor(kDeleteOlduser, test::TrialMac(false)));
  CHECK(c.outcome == Outcome::kRefused);
  CHECK(c.rule == Rule::kFileVaultUnlock);
  CHECK(c.outcome_why.find("cannot tell whether olduser holds a SecureToken; cannot tell whether "
                           "olduser's FileVault password is in step") != std::string::npos);
  CHECK(c.remedy.find("or make known whether olduser holds a SecureToken: Accord reads tokens "
                      "from `diskutil apfs listCryptoUsers /`") != std::string::npos);
}

TEST_CASE("a certain path elsewhere lets the possible one go", "[safety]") {
  // The escrowed recovery key is certain: olduser may be deleted.
  Account olduser{"olduser", 501, false, true};
  olduser.unknown = {"filevault_password_in_sync"};
  Account itadmin{"itadmin", 502, true, false};
  Change c = Only(PlanFor(kDeleteOlduser, test::Snapshot({olduser, itadmin})));
  CHECK(c.outcome == Outcome::kRun);
}

TEST_CASE("a step that cannot matter to a doubtful rule still runs", "[safety]") {
  Plan p = PlanFor("accord: 1\nusers:\n  olduser: {shell: /bin/bash}\n  itadmin: {full_name: IT}\n",
                   test::TrialMac(false));
  REQUIRE(p.changes.size() == 2);
  CHECK(p.changes[0].outcome == Outcome::kRun);
  CHECK(p.changes[1].outcome == Outcome::kRun);
  // The doubt is a finding, said as a doubt.
  std::vector<std::string> messages;
  for (const Finding& f : p.findings) messages.push_back("[" + f.kind + "] " + f.message);
  CHECK(messages == std::vector<std::string>{
                        "[last-token-admin] no admin on this Mac holds a SecureToken now",
                        "[filevault-unlock] after a reboot now there is no certain way to unlock "
                        "this Mac: cannot tell whether olduser holds a SecureToken; cannot tell "
                        "whether olduser's FileVault password is in step with its login password "
                        "(see `accord unlockers`)",
                        "[last-token-admin] after this plan 0 admins hold a SecureToken; "
                        "policy.min_token_admins is 1 (keep a second token admin, as JumpCloud's "
                        "Best Practices for macOS Accounts advises)"});
}

TEST_CASE("demoting a possible token admin with no certain one left is refused", "[safety]") {
  Account boss{"boss", 501, true, true};
  boss.unknown = {"secure_token"};
  Account emp{"emp", 502, true, false};  // an admin, but without a token
  Change c = Only(PlanFor("accord: 1\nusers:\n  emp: {}\n  boss: {role: standard}\n",
                          test::Snapshot({boss, emp})));
  CHECK(c.Id() == "make_standard:boss");
  CHECK(c.outcome == Outcome::kRefused);
  CHECK(c.rule == Rule::kLastTokenAdmin);
  CHECK(c.reason == "role: standard");
  CHECK(c.outcome_why ==
        "after this step no admin would certainly hold a "
        "SecureToken, so no one could be sure to grant tokens or manage FileVault; "
        "cannot tell whether boss holds a SecureToken");
  CHECK(c.remedy.find("grant a SecureToken to another admin first; or make known whether boss "
                      "holds a SecureToken") == 0);
}

TEST_CASE("a certain token admin elsewhere lets a possible one be demoted", "[safety]") {
  Account boss{"boss", 501, true, true};
  boss.unknown = {"secure_token"};
  Account second{"second", 502, true, true};
  Change c = Only(
      PlanFor("accord: 1\nusers:\n  boss: {role: standard}\n", test::Snapshot({boss, second})));
  CHECK(c.outcome == Outcome::kRun);
}

TEST_CASE("rotating the only escrowed key where escrow of the new one is unknown is refused",
          "[safety]") {
  Account holder{"holder", 501, true, true};
  holder.unknown = {"filevault_password_in_sync"};
  std::string mac = test::Snapshot({holder}, {}, "on", "true", "null");
  mac.replace(mac.find("\"personal_recovery_key\": true"), 29, "\"personal_recovery_key\": false");
  Plan p = PlanFor(R"(accord: 1
authority: {user: holder, password: {env: P}}
users:
  holder: {}
filevault: {enabled: true, recovery_key: {personal: true}}
)",
                   mac);
  Change c = Only(p);
  CHECK(c.Id() == "rotate_recovery_key");
  CHECK(c.outcome == Outcome::kRefused);
  // Whether the escrow payload is installed is unknown: the old one would
  // stop working and the new one could be lost.
  CHECK(c.rule == Rule::kEscrowBeforeEnable);
  CHECK(c.outcome_why.find("whether a recovery-key escrow payload (com.apple.security."
                           "FDERecoveryKeyEscrow) is installed could not be observed") !=
        std::string::npos);
}

TEST_CASE("a safety wait is an ordering edge with its reason", "[safety]") {
  // boss is the only admin; emp becomes one first, then boss goes.
  Account boss{"boss", 501, true, false};
  Account emp{"emp", 502, false, false};
  Plan p = PlanFor("accord: 1\nusers:\n  boss: {ensure: absent}\n  emp: {role: admin}\n",
                   test::Snapshot({boss, emp}, {}, "off"));
  REQUIRE(p.changes.size() == 2);
  CHECK(p.changes[0].Id() == "make_admin:emp");
  CHECK(p.changes[1].Id() == "delete_user:boss");
  CHECK(p.changes[1].outcome == Outcome::kRun);
  CHECK(p.changes[1].depends_on ==
        std::vector<Dependency>{{"make_admin:emp", "keeps an admin: last-admin"}});
  CHECK(p.changes[0].depends_on.empty());
}

TEST_CASE("no ordering edge where the Mac already keeps the rule", "[safety]") {
  Account boss{"boss", 501, true, false};
  Account other{"other", 503, true, false};
  Account emp{"emp", 502, false, false};
  Plan p = PlanFor("accord: 1\nusers:\n  boss: {ensure: absent}\n  emp: {role: admin}\n",
                   test::Snapshot({boss, other, emp}, {}, "off"));
  REQUIRE(p.changes.size() == 2);
  CHECK(p.changes[1].Id() == "delete_user:boss");
  CHECK(p.changes[1].depends_on.empty());
}

}  // namespace accord
