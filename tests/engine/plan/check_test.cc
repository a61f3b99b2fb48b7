// SPDX-License-Identifier: Apache-2.0
// Check: one scenario per safety rule, in Accord's YAML and snapshot
// formats. Each asserts the steps, their order, their outcomes and rules.
#include "plan/planner.h"
#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

using test::Account;
using test::FirstAccount;
using test::Snapshot;
using test::Steps;

Plan PlanFor(const std::string& yaml, const std::string& snapshot) {
  return test::PlanOf(yaml, snapshot);
}

const std::string kAuthority = "authority:\n  user: firstaccount\n  password: {env: AUTH_PW}\n";

// FileVault on, no escrowed or personal recovery key: the token holders are
// the only way in.
std::string NoEscrowMac(const std::vector<Account>& accounts) {
  return test::WithoutRecoveryKey(Snapshot(accounts));
}

}  // namespace

TEST_CASE("last-token-admin: demoting the only token admin is refused", "[check]") {
  Account bob{"bob", 502, true, false};  // another admin, without a token
  Plan p = PlanFor("accord: 1\nusers:\n  firstaccount: {role: standard}\n",
                   Snapshot({FirstAccount(), bob}));
  CHECK(Steps(p) ==
        std::vector<std::string>{"make_standard:firstaccount refused[last-token-admin]"});
  CHECK(p.changes[0].remedy == "grant a SecureToken to another admin first");
}

TEST_CASE("last-admin: demoting the only admin is refused", "[check]") {
  Plan p =
      PlanFor("accord: 1\nusers:\n  firstaccount: {role: standard}\n", Snapshot({FirstAccount()}));
  CHECK(Steps(p) == std::vector<std::string>{"make_standard:firstaccount refused[last-admin]"});
}

TEST_CASE("replacing the only admin finds the safe order", "[check]") {
  const std::string mac = NoEscrowMac({FirstAccount()});
  const std::string file = "accord: 1\n" + kAuthority +
                           "users:\n  newadmin: {role: admin, secure_token: true, password: {env: "
                           "NEW_PW}}\n  firstaccount: ";
  // Written in the unsafe order; planned in the safe one.
  Plan removed = PlanFor(file + "{ensure: absent}\n", mac);
  CHECK(Steps(removed) == std::vector<std::string>{"create_user:newadmin run",
                                                   "grant_token:newadmin run",
                                                   "delete_user:firstaccount run"});
  Plan demoted = PlanFor(file + "{role: standard}\n", mac);
  CHECK(Steps(demoted) == std::vector<std::string>{"create_user:newadmin run",
                                                   "grant_token:newadmin run",
                                                   "make_standard:firstaccount run"});
  const Change& grant = demoted.changes[1];
  REQUIRE(grant.depends_on.size() == 1);
  CHECK(grant.depends_on[0] == Dependency{"create_user:newadmin", "newadmin must exist first"});
}

TEST_CASE("resetting the only token admin's password is refused: it may cost the token",
          "[check]") {
  const std::string reset =
      "  firstaccount: {password: {env: NEW_PW}, password_update: reset, allow_keychain_reset: "
      "true}\n";
  Plan alone =
      PlanFor("accord: 1\n" + kAuthority + "users:\n" + reset, NoEscrowMac({FirstAccount()}));
  CHECK(Steps(alone) ==
        std::vector<std::string>{"reset_password:firstaccount refused[last-token-admin]"});
  CHECK(alone.changes[0].Why().find("may cost firstaccount's SecureToken") != std::string::npos);
  CHECK(alone.changes[0].remedy.find("password_update: change") != std::string::npos);

  // With a second token admin whose password is in step, it runs.
  Account second{"second", 502, true, true};
  Plan backed = PlanFor("accord: 1\n" + kAuthority + "users:\n" + reset,
                        NoEscrowMac({FirstAccount(), second}));
  CHECK(Steps(backed) == std::vector<std::string>{"reset_password:firstaccount run"});

  // Without the keychain acknowledgement it is refused, whatever else holds.
  Plan unacknowledged =
      PlanFor("accord: 1\n" + kAuthority +
                  "users:\n  firstaccount: {password: {env: NEW_PW}, password_update: reset}\n",
              NoEscrowMac({FirstAccount(), second}));
  CHECK(Steps(unacknowledged) ==
        std::vector<std::string>{"reset_password:firstaccount refused[password-desync]"});
  CHECK(unacknowledged.changes[0].remedy.find("allow_keychain_reset: true") == 4);
}

TEST_CASE("a password reset waits for a new token admin to keep FileVault unlockable", "[check]") {
  Plan p = PlanFor("accord: 1\n" + kAuthority + R"(users:
  firstaccount: {password: {env: NEW_PW}, password_update: reset, allow_keychain_reset: true}
  backup: {role: admin, secure_token: true, password: {env: BACKUP_PW}}
)",
                   NoEscrowMac({FirstAccount()}));
  CHECK(Steps(p) == std::vector<std::string>{"create_user:backup run", "grant_token:backup run",
                                             "reset_password:firstaccount run"});
  // --explain says why: the authority is needed for backup's grant first.
  CHECK(p.changes[2].depends_on ==
        std::vector<Dependency>{
            {"grant_token:backup", "the authority firstaccount stays until its last use"}});
}

TEST_CASE("a first FileVault enablement is deferred until logout", "[check]") {
  Plan p = PlanFor(
      "accord: 1\n" + kAuthority + "users:\n  firstaccount: {}\nfilevault: {enabled: true}\n",
      Snapshot({FirstAccount()}, {}, "off"));
  CHECK(Steps(p) == std::vector<std::string>{"enable_filevault deferred"});
  CHECK(Summarize(p).deferred == 1);
}

TEST_CASE("a token grant without the authority's password is blocked", "[check]") {
  Plan p = PlanFor(R"(accord: 1
authority: {user: firstaccount}
users:
  firstaccount: {}
  alice: {password: {env: ALICE_PW}, secure_token: true}
)",
                   Snapshot({FirstAccount()}));
  CHECK(Steps(p) == std::vector<std::string>{"create_user:alice run", "grant_token:alice blocked"});
  CHECK(p.changes[1].remedy == "set authority.password: {env: NAME} or {file: PATH}");
}

TEST_CASE(
    "a token grant without the user's password is blocked, or deferred with a Bootstrap Token",
    "[check]") {
  const std::string file =
      "accord: 1\n" + kAuthority + "users:\n  firstaccount: {}\n  alice: {secure_token: true}\n";
  CHECK(Steps(PlanFor(file, Snapshot({FirstAccount()}))) ==
        std::vector<std::string>{"create_user:alice run", "grant_token:alice blocked"});
  std::string enrolled = Snapshot({FirstAccount()}, {}, "on", "true");
  enrolled.replace(enrolled.find("\"escrowed\": false"), 17, "\"escrowed\": true");
  Plan p = PlanFor(file, enrolled);
  CHECK(Steps(p) ==
        std::vector<std::string>{"create_user:alice run", "grant_token:alice deferred"});
  CHECK(p.changes[1].Why().find("Bootstrap Token at alice's first login") != std::string::npos);
  // Before macOS 11 an escrowed Bootstrap Token grants no local account a
  // token, and where the version is unknown nobody can tell that it will:
  // blocked, and the fix says why the Bootstrap Token does not help.
  for (const char* version : {"\"10.15.7\"", "null"}) {
    INFO(version);
    std::string older = enrolled;
    older.replace(older.find("\"14.5\""), 6, version);
    Plan blocked = PlanFor(file, older);
    CHECK(Steps(blocked) ==
          std::vector<std::string>{"create_user:alice run", "grant_token:alice blocked"});
    CHECK(blocked.changes[1].remedy.find("only from macOS 11") != std::string::npos);
  }
}

TEST_CASE("the authority is deleted only after its last use", "[check]") {
  Plan p = PlanFor(R"(accord: 1
authority: {user: firstaccount, password: {env: AUTH_PW}}
users:
  firstaccount: {ensure: absent}
  alice: {role: admin, password: {env: ALICE_PW}, secure_token: true}
)",
                   Snapshot({FirstAccount()}));
  CHECK(Steps(p) == std::vector<std::string>{"create_user:alice run", "grant_token:alice run",
                                             "delete_user:firstaccount run"});
  CHECK(p.changes[2].depends_on ==
        std::vector<Dependency>{
            {"grant_token:alice", "the authority firstaccount stays until its last use"},
            {"create_user:alice", "keeps an admin: last-admin"}});
}

TEST_CASE("protected-account: deleting the authority while a later step needs it is refused",
          "[check]") {
  Account old{"olduser", 502, true, true};
  Plan p = PlanFor(R"(accord: 1
authority: {user: olduser, password: {env: OLD_PW}}
users:
  firstaccount: {}
  olduser: {ensure: absent}
  alice: {role: admin, secure_token: true}
)",
                   Snapshot({FirstAccount(), old}));
  CHECK(Steps(p) == std::vector<std::string>{"create_user:alice run", "grant_token:alice blocked",
                                             "delete_user:olduser refused[protected-account]"});
  CHECK(p.changes[2].Why().find("olduser is the authority and grant_token:alice still needs it") !=
        std::string::npos);
}

TEST_CASE("dependents of a refused step are skipped", "[check]") {
  Plan p = PlanFor(
      "accord: 1\n" + kAuthority +
          "users:\n  firstaccount: {}\n  bob: {uid: 502, password: {env: P}, secure_token: true}\n",
      Snapshot({FirstAccount()}, {{"/Users/olduser", 502}}));
  CHECK(Steps(p) ==
        std::vector<std::string>{"create_user:bob refused[uid-reuse]", "grant_token:bob skipped"});
  CHECK(p.changes[1].Why().find("it depends on create_user:bob, which will not run") !=
        std::string::npos);
  CHECK(Summarize(p).skipped == 1);
}

TEST_CASE("violations already on the Mac are findings and do not block safe steps", "[check]") {
  Account kiosk{"kiosk", 502, false, false};
  Plan p = PlanFor("accord: 1\nusers:\n  kiosk: {shell: /bin/bash}\n", NoEscrowMac({kiosk}));
  CHECK(Steps(p) == std::vector<std::string>{"set_attribute:kiosk:shell run"});
  std::vector<std::string> kinds;
  for (const Finding& f : p.findings) kinds.push_back(f.kind);
  CHECK(kinds == std::vector<std::string>{"last-admin", "last-token-admin", "filevault-unlock",
                                          "last-token-admin"});
}

TEST_CASE("fewer token admins than policy.min_token_admins is a warning", "[check]") {
  Plan p = PlanFor("accord: 1\nusers:\n  firstaccount: {}\npolicy: {min_token_admins: 2}\n",
                   Snapshot({FirstAccount()}));
  REQUIRE(p.findings.size() == 1);
  CHECK(p.findings[0].message.find("after this plan 1 admin holds a SecureToken; "
                                   "policy.min_token_admins is 2") == 0);
}

TEST_CASE("deleting a departed token holder keeps another way to unlock", "[check]") {
  Account old{"olduser", 503, false, true};
  Plan p = PlanFor("accord: 1\nusers:\n  olduser: {ensure: absent}\n",
                   NoEscrowMac({FirstAccount(), old}));
  CHECK(Steps(p) == std::vector<std::string>{"delete_user:olduser run"});
  // The last unlock path may not go.
  Account lone{"olduser", 503, true, true};
  Plan last = PlanFor("accord: 1\nusers:\n  olduser: {ensure: absent}\n", NoEscrowMac({lone}));
  CHECK(Steps(last) == std::vector<std::string>{"delete_user:olduser refused[last-admin]"});
}

TEST_CASE("the same inputs give the same plan", "[check]") {
  const std::string file = "accord: 1\n" + kAuthority + R"(users:
  a: {role: admin, password: {env: A}, secure_token: true}
  b: {role: admin, password: {env: B}, secure_token: true}
  firstaccount: {role: standard}
)";
  const std::string mac = Snapshot({FirstAccount()});
  Plan first = PlanFor(file, mac);
  CHECK(PlanFor(file, mac) == first);
  CHECK(Steps(first) == std::vector<std::string>{"create_user:a run", "grant_token:a run",
                                                 "create_user:b run", "grant_token:b run",
                                                 "make_standard:firstaccount run"});
}

}  // namespace accord

namespace accord {

// Regressions found by the property test (property_test.cc).

TEST_CASE("a token already pending on the device stays deferred, not re-granted", "[check]") {
  std::string mac = test::Snapshot({test::FirstAccount(), {"eve", 502}});
  mac.replace(mac.rfind('}'), 1, ", \"pending\": [\"grant_token:eve\"]}");
  Plan p =
      PlanFor("accord: 1\n" + kAuthority +
                  "users:\n  firstaccount: {}\n  eve: {secure_token: true, password: {env: E}}\n",
              mac);
  CHECK(Steps(p) == std::vector<std::string>{"grant_token:eve deferred"});
  CHECK(p.changes[0].Why().find("pending since an earlier apply") != std::string::npos);
}

TEST_CASE("an account whose UID is unknown is never deleted", "[check]") {
  Account ghost{"ghost", 0};
  ghost.unknown = {"uid"};
  Plan p =
      PlanFor("accord: 1\nusers:\n  ghost: {ensure: absent}\n", Snapshot({FirstAccount(), ghost}));
  CHECK(Steps(p) == std::vector<std::string>{"delete_user:ghost refused[unknown-state]"});
}

TEST_CASE("the first account with a password gets the first token: its grant is redundant",
          "[check]") {
  Account ben{"ben", 501, true, false};  // the only admin, and no token holder at all
  Plan p = PlanFor(R"(accord: 1
authority: {user: ben, password: {env: AUTH}}
users:
  ann: {role: admin, secure_token: true, password: {env: ANN}}
  ben: {role: standard}
)",
                   Snapshot({ben}));
  CHECK(Steps(p) == std::vector<std::string>{"create_user:ann run", "grant_token:ann skipped",
                                             "make_standard:ben run"});
  CHECK(p.changes[1].Why().find("already done by earlier steps") != std::string::npos);
}

TEST_CASE("turning FileVault on with no way to unlock it is refused", "[check]") {
  Account out_of_step{"firstaccount", 501, true, true};
  std::string mac = NoEscrowMac({out_of_step});
  mac.replace(mac.find("\"filevault_password_in_sync\": true"), 34,
              "\"filevault_password_in_sync\": false");
  mac.replace(mac.find("\"status\": \"on\""), 14, "\"status\": \"off\"");
  Plan p = PlanFor(
      "accord: 1\n" + kAuthority + "users:\n  firstaccount: {}\nfilevault: {enabled: true}\n", mac);
  CHECK(Steps(p) == std::vector<std::string>{"enable_filevault refused[filevault-unlock]"});
}

}  // namespace accord

namespace accord {

TEST_CASE("creating a user where nobody holds a token hands out the first one: the plan says so",
          "[check]") {
  Account admin{"admin", 501, true, false};  // an admin without a token
  const std::string create = "accord: 1\nusers:\n  alice: {password: {env: P}}\n";
  Plan none = PlanFor(create, Snapshot({admin}));
  REQUIRE(none.changes.size() == 1);
  REQUIRE(none.changes[0].notes.size() == 1);
  CHECK(none.changes[0].notes[0] ==
        "no account holds a SecureToken, so macOS gives alice the first one as its password is "
        "set; this cannot be prevented");

  Account maybe{"admin", 501, true, false, "", "/bin/zsh", false, {"secure_token"}};
  Plan unknown = PlanFor(create, Snapshot({maybe}));
  REQUIRE(unknown.changes[0].notes.size() == 1);
  CHECK(unknown.changes[0].notes[0].find("cannot tell whether any account holds") == 0);

  // A token holder exists: a new user gets none, and nothing is said.
  CHECK(PlanFor(create, Snapshot({FirstAccount()})).changes[0].notes.empty());
  // Without a password no token can be handed out.
  CHECK(PlanFor("accord: 1\nusers:\n  alice: {}\n", Snapshot({admin})).changes[0].notes.empty());
}

}  // namespace accord

namespace accord {

TEST_CASE("a fix never asks for the step that is itself blocked: the authority's own grant",
          "[check]") {
  Plan p = test::PlanOf(R"(accord: 1
authority: {user: bob, password: {env: BOB_PW}}
users:
  bob: {role: admin, secure_token: true, password: {env: BOB_PW}}
  amy: {secure_token: true, password: {env: AMY_PW}}
)",
                        R"({"accord_device": 1, "users": [
 {"name": "bob", "uid": 501, "admin": true, "secure_token": false},
 {"name": "amy", "uid": 502, "admin": false, "secure_token": false},
 {"name": "cat", "uid": 503, "admin": true, "secure_token": true}],
 "filevault": {"status": "off"}})");
  REQUIRE(p.changes.size() == 2);
  const Change& bob = p.changes[0];
  const Change& amy = p.changes[1];
  CHECK(bob.Id() == "grant_token:bob");
  CHECK(bob.outcome == Outcome::kBlocked);
  CHECK(amy.outcome == Outcome::kBlocked);
  CHECK(amy.remedy ==
        "name another SecureToken admin in authority.user: bob's own step grant_token:bob is "
        "blocked (see it)");
}

}  // namespace accord
