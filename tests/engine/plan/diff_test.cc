// SPDX-License-Identifier: Apache-2.0
// Diff: the changes, their reasons, and single-change refusals, for
// scenarios written in Accord's YAML and snapshot formats.
#include "plan/diff.h"

#include "plan/resolve.h"
#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

using test::Account;
using test::FirstAccount;
using test::Snapshot;

// Resolve and Diff only: ordering and reboot-safety are Check's (check_test).
Plan PlanFor(const std::string& yaml, const std::string& snapshot) {
  DesiredState desired = test::Desired(yaml);
  DeviceState device = test::Device(snapshot);
  Result<Resolution> r = Resolve(desired, device);
  INFO(test::Messages(r));
  REQUIRE(r.ok());
  return Diff(desired, device, r.value());
}

std::vector<std::string> Ids(const Plan& p) {
  std::vector<std::string> ids;
  for (const Change& c : p.changes) ids.push_back(c.Id());
  return ids;
}

const Change& Only(const Plan& p) {
  REQUIRE(p.changes.size() == 1);
  return p.changes.front();
}

}  // namespace

TEST_CASE("a Mac that matches the file has an empty plan", "[diff]") {
  Plan p = PlanFor(R"(accord: 1
users:
  firstaccount: {full_name: First Account, uid: 501, role: admin, secure_token: true, shell: /bin/zsh, hidden: false}
filevault: {enabled: true}
)",
                   Snapshot({FirstAccount()}));
  CHECK(p.changes.empty());
  CHECK_FALSE(Summarize(p).HasRunnable());
}

TEST_CASE("creating users lists every attribute with defaults marked", "[diff]") {
  Plan p = PlanFor(R"(accord: 1
users:
  firstaccount: {}
  alice:
    full_name: Alice Example
    role: admin
    password: {env: ALICE_PW}
    secure_token: true
)",
                   Snapshot({FirstAccount()}));
  REQUIRE(Ids(p) == std::vector<std::string>{"create_user:alice", "grant_token:alice"});
  const Change& create = p.changes[0];
  REQUIRE(create.attributes.size() == 7);
  CHECK(create.attributes[0] == Attribute{Attr::kUid, std::nullopt, std::int64_t{502},
                                          "next free UID in range default (501-2147483647)"});
  CHECK(create.attributes[1] ==
        Attribute{Attr::kFullName, std::nullopt, std::string("Alice Example"), ""});
  CHECK(create.attributes[2] ==
        Attribute{Attr::kShell, std::nullopt, std::string("/bin/zsh"), "default"});
  CHECK(create.attributes[3] ==
        Attribute{Attr::kHome, std::nullopt, std::string("/Users/alice"), "default"});
  CHECK(create.attributes[4] == Attribute{Attr::kRole, std::nullopt, std::string("admin"), ""});
  CHECK(create.attributes[6].after == AttrValue(SecretRef{SecretRef::Source::kEnv, "ALICE_PW"}));
  CHECK(Summarize(p) == PlanSummary{.create = 1, .change = 1});
}

TEST_CASE("a user created without a password is flagged", "[diff]") {
  Plan p = PlanFor("accord: 1\nusers:\n  bob: {}\n", Snapshot({FirstAccount()}));
  REQUIRE(p.findings.size() == 1);
  CHECK(p.findings[0].kind == "no-password");
}

TEST_CASE("taking over an account changes only what the file states", "[diff]") {
  Account jdoe{"jdoe", 502, false, false, "jdoe", "/bin/bash"};
  Plan p = PlanFor(R"(accord: 1
users:
  jdoe: {full_name: Jane Doe, role: admin, secure_token: true}
)",
                   Snapshot({FirstAccount(), jdoe}));
  CHECK(Ids(p) == std::vector<std::string>{"set_attribute:jdoe:full_name", "make_admin:jdoe",
                                           "grant_token:jdoe"});
  CHECK(p.changes[0].attributes[0] ==
        Attribute{Attr::kFullName, AttrValue(std::string("jdoe")), std::string("Jane Doe"), ""});
  CHECK(p.changes[1].attributes[0].before == AttrValue(std::string("standard")));
}

TEST_CASE("demotion and token revocation are planned as changes", "[diff]") {
  Plan p = PlanFor("accord: 1\nusers:\n  firstaccount: {role: standard, secure_token: false}\n",
                   Snapshot({FirstAccount()}));
  CHECK(Ids(p) ==
        std::vector<std::string>{"make_standard:firstaccount", "revoke_token:firstaccount"});
}

TEST_CASE("what could not be observed is never changed", "[diff]") {
  Account bob{"bob", 502};
  bob.unknown = {"shell", "admin", "secure_token"};
  Plan p =
      PlanFor("accord: 1\nusers:\n  bob: {shell: /bin/bash, role: admin, secure_token: true}\n",
              Snapshot({FirstAccount(), bob}));
  REQUIRE(p.changes.size() == 3);
  for (const Change& c : p.changes) {
    INFO(c.Id());
    CHECK(c.outcome == Outcome::kRefused);
    CHECK(c.rule == Rule::kUnknownState);
  }
  CHECK(p.changes[0].attributes[0].before == AttrValue());
  CHECK(Summarize(p).refused == 3);
}

TEST_CASE("an existing account is never renumbered", "[diff]") {
  Plan p = PlanFor("accord: 1\nusers:\n  firstaccount: {uid: 505}\n", Snapshot({FirstAccount()}));
  const Change& c = Only(p);
  CHECK(c.action == Action::kRenumberUser);
  CHECK(c.outcome == Outcome::kRefused);
  CHECK(c.rule == Rule::kUidImmutable);
  CHECK(c.remedy == "set uid: 501 for firstaccount, or drop uid and uid_range");
}

TEST_CASE("an existing account outside its declared range is refused, not moved", "[diff]") {
  Plan p = PlanFor(R"(accord: 1
uid_ranges:
  service: {first: 450, last: 499}
users:
  firstaccount: {uid_range: service}
)",
                   Snapshot({FirstAccount()}));
  CHECK(Only(p).rule == Rule::kUidImmutable);
  CHECK(Only(p).Why().find("outside range service (450-499)") != std::string::npos);
}

TEST_CASE("ensure: absent deletes and keeps the home unless remove_home", "[diff]") {
  std::string mac = Snapshot({FirstAccount(), {"olduser", 503}}, {{"/Users/olduser", 503}});
  Plan plan = PlanFor("accord: 1\nusers:\n  olduser: {ensure: absent}\n", mac);
  const Change& kept = Only(plan);
  CHECK(kept.action == Action::kDeleteUser);
  CHECK(kept.attributes[0].note == "kept; set remove_home: true to erase it");
  CHECK(kept.attributes[1] == Attribute{Attr::kUid, std::nullopt, std::int64_t{503},
                                        "stays with the kept home; never given to a new account"});
  Plan erase = PlanFor("accord: 1\nusers:\n  olduser: {ensure: absent, remove_home: true}\n", mac);
  CHECK(Only(erase).attributes.size() == 1);
  CHECK(Only(erase).attributes[0].note == "erased: remove_home is true");
  // Absent and already gone: nothing to do.
  CHECK(PlanFor("accord: 1\nusers:\n  ghost: {ensure: absent}\n", mac).changes.empty());
}

TEST_CASE("a new account is never given the UID of a kept home", "[diff]") {
  Plan p = PlanFor("accord: 1\nusers:\n  bob: {uid: 502, password: {env: P}}\n",
                   Snapshot({FirstAccount()}, {{"/Users/olduser", 502}}));
  const Change& c = Only(p);
  CHECK(c.action == Action::kCreateUser);
  CHECK(c.outcome == Outcome::kRefused);
  CHECK(c.rule == Rule::kUidReuse);
  CHECK(c.remedy == "give the user another uid, or remove the old home first");
}

TEST_CASE("a file labelled for this Mac plans without a word about it", "[diff]") {
  // Another Mac's label stops the plan (tests/engine/safety/harms_test.cc).
  CHECK(PlanFor("accord: 1\ndevice: test-mac\n", Snapshot({FirstAccount()})).findings.empty());
}

TEST_CASE("root is never deleted", "[diff]") {
  Plan p = PlanFor("accord: 1\nusers:\n  root: {ensure: absent}\n",
                   Snapshot({{"root", 0, true}, FirstAccount()}));
  CHECK(Only(p).rule == Rule::kProtectedAccount);
}

TEST_CASE("unmanaged accounts follow policy, never below UID 500", "[diff]") {
  std::string mac = Snapshot({{"root", 0, true},
                              {"_jumpcloudserviceaccount", 491, true, true},
                              {"_mbsetupuser", 248},
                              FirstAccount(),
                              {"kiosk", 502}});
  const std::string file = "accord: 1\nusers:\n  firstaccount: {}\npolicy: {unmanaged_users: ";
  CHECK(PlanFor(file + "ignore}\n", mac).changes.empty());
  CHECK(PlanFor(file + "ignore}\n", mac).findings.empty());

  Plan report = PlanFor(file + "report}\n", mac);
  CHECK(report.changes.empty());
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].message == "kiosk (UID 502) is on the Mac but not in the file");

  Plan remove = PlanFor(file + "remove}\n", mac);
  CHECK(Ids(remove) == std::vector<std::string>{"delete_user:kiosk"});
  CHECK(remove.changes[0].reason == "not in the file, and policy.unmanaged_users is remove");
}

TEST_CASE("FileVault: enable, pending, unknown", "[diff]") {
  const std::string file = "accord: 1\nfilevault: {enabled: true}\n";
  Plan plan = PlanFor(file, Snapshot({FirstAccount()}, {}, "off"));
  const Change& enable = Only(plan);
  CHECK(enable.action == Action::kEnableFileVault);
  CHECK(enable.outcome == Outcome::kRun);
  CHECK(PlanFor(file, Snapshot({FirstAccount()}, {}, "encrypting")).changes.empty());
  Plan pending = PlanFor(file, Snapshot({FirstAccount()}, {}, "deferred"));
  CHECK(pending.changes.empty());
  REQUIRE(pending.findings.size() == 1);
  CHECK(pending.findings[0].kind == "filevault-deferred");
  CHECK(Only(PlanFor(file, Snapshot({FirstAccount()}, {}, "null"))).rule == Rule::kUnknownState);
  CHECK(Only(PlanFor(file, Snapshot({FirstAccount()}, {}, "decrypting"))).outcome ==
        Outcome::kBlocked);
  CHECK(Only(PlanFor("accord: 1\nfilevault: {enabled: false}\n", Snapshot({FirstAccount()})))
            .action == Action::kDisableFileVault);
}

TEST_CASE("escrow: required enables FileVault only where the escrow payload is installed",
          "[diff]") {
  const std::string file =
      "accord: 1\nfilevault: {enabled: true, recovery_key: {personal: true, escrow: required}}\n";
  // Enrolled, but no profile with the escrow payload: enrollment is not escrow.
  const Plan no_payload = PlanFor(file, Snapshot({FirstAccount()}, {}, "off", "true", "false"));
  const Change& refused = Only(no_payload);
  CHECK(refused.rule == Rule::kEscrowBeforeEnable);
  CHECK(refused.Why().find("no profile with a recovery-key escrow payload "
                           "(com.apple.security.FDERecoveryKeyEscrow) is installed, and MDM "
                           "enrollment alone escrows nothing") != std::string::npos);
  CHECK(refused.remedy.find("install a configuration profile with a FileVault Recovery Key "
                            "Escrow payload") == 0);
  CHECK(refused.remedy.find("profiles -C -o stdout-xml") != std::string::npos);
  // Unknown payload: refused, and the plan says it could not be told.
  const Plan unknown_payload = PlanFor(file, Snapshot({FirstAccount()}, {}, "off", "true", "null"));
  const Change& unknown = Only(unknown_payload);
  CHECK(unknown.rule == Rule::kEscrowBeforeEnable);
  CHECK(unknown.Why().find("could not be observed") != std::string::npos);
  CHECK(Only(PlanFor(file, Snapshot({FirstAccount()}, {}, "off", "false", "false"))).rule ==
        Rule::kEscrowBeforeEnable);
  // The payload installed: it runs (deferred to the enabler's logout).
  CHECK(Only(PlanFor(file, Snapshot({FirstAccount()}, {}, "off", "true", "true"))).outcome ==
        Outcome::kRun);
  // escrow: optional enables without the payload.
  CHECK(Only(PlanFor("accord: 1\nfilevault: {enabled: true}\n",
                     Snapshot({FirstAccount()}, {}, "off", "true", "false")))
            .outcome == Outcome::kRun);
}

TEST_CASE("a recovery key is rotated only where the escrow payload is certainly installed",
          "[diff]") {
  std::string file = "accord: 1\nfilevault: {enabled: true, recovery_key: {personal: true}}\n";
  for (const char* escrow : {"optional", "required"}) {
    std::string f = file;
    f.replace(f.find("personal: true}"), 15,
              std::string("personal: true, escrow: ") + escrow + "}");
    for (const char* payload : {"false", "null", "true"}) {
      INFO(escrow << " " << payload);
      std::string mac = Snapshot({FirstAccount()}, {}, "on", "true", payload);
      mac.replace(mac.find("\"personal_recovery_key\": true"), 29,
                  "\"personal_recovery_key\": false");
      const Plan plan = PlanFor(f, mac);
      const Change& c = Only(plan);
      CHECK(c.action == Action::kRotateRecoveryKey);
      if (std::string(payload) == "true") {
        CHECK(c.outcome == Outcome::kRun);
      } else {
        CHECK(c.outcome == Outcome::kRefused);
        CHECK(c.rule == Rule::kEscrowBeforeEnable);
      }
    }
  }
}

TEST_CASE("password updates name the secret, never a value", "[diff]") {
  Plan p = PlanFor(R"(accord: 1
users:
  firstaccount:
    password: {env: NEW_PW}
    password_update: change
    old_password: {env: OLD_PW}
)",
                   Snapshot({FirstAccount()}));
  CHECK(Only(p).action == Action::kChangePassword);
  CHECK(Only(p).attributes[0].after == AttrValue(SecretRef{SecretRef::Source::kEnv, "NEW_PW"}));
  Plan reset =
      PlanFor("accord: 1\nusers:\n  firstaccount: {password: {env: P}, password_update: reset}\n",
              Snapshot({FirstAccount()}));
  CHECK(Only(reset).action == Action::kResetPassword);
  // on_create passwords never touch an existing account.
  CHECK(PlanFor("accord: 1\nusers:\n  firstaccount: {password: {env: P}}\n",
                Snapshot({FirstAccount()}))
            .changes.empty());
}

TEST_CASE("a password update runs once per secret reference", "[diff]") {
  std::string mac = Snapshot({FirstAccount()});
  mac.replace(mac.find("\"keychain_in_sync\": true"), 24,
              "\"keychain_in_sync\": true, \"password_set_from\": \"env PW_2025\"");
  const std::string file =
      "accord: 1\nusers:\n  firstaccount: {password_update: reset, allow_keychain_reset: true, "
      "password: {env: ";
  CHECK(PlanFor(file + "PW_2025}}\n", mac).changes.empty());
  Plan rotate = PlanFor(file + "PW_2026}}\n", mac);
  CHECK(Only(rotate).action == Action::kResetPassword);
  CHECK(Only(rotate).attributes[0].note == "last set from env PW_2025");
}

TEST_CASE("home is creation-only: a different home on an existing account is a warning", "[diff]") {
  Plan p = PlanFor("accord: 1\nusers:\n  firstaccount: {home: /Users/elsewhere}\n",
                   Snapshot({FirstAccount()}));
  CHECK(p.changes.empty());
  REQUIRE(p.findings.size() == 1);
  CHECK(p.findings[0].kind == "home-immutable");
}

}  // namespace accord

namespace accord {

TEST_CASE("an account's differing attributes are one update step, an unknown one is its own",
          "[diff]") {
  Plan p = PlanFor(R"(accord: 1
users:
  amy: {full_name: "Amy B", shell: /bin/zsh, hidden: true}
  bo: {full_name: "Bo", shell: /bin/zsh}
)",
                   R"({"accord_device": 1, "users": [
  {"name": "amy", "uid": 501, "full_name": "Amy", "shell": "/bin/bash", "hidden": null},
  {"name": "bo", "uid": 502, "full_name": "Bo", "shell": "/bin/bash"}]})");
  CHECK(Ids(p) == std::vector<std::string>{"set_attribute:amy:full_name+shell",
                                           "set_attribute:amy:hidden", "set_attribute:bo:shell"});
  CHECK(p.changes[0].reason == "full_name and shell differ");
  CHECK(p.changes[0].attributes.size() == 2);
  CHECK(p.changes[1].outcome == Outcome::kRefused);  // hidden unknown: holds up nothing else
  CHECK(p.changes[2].reason == "shell differs");
  CHECK(Summarize(p).change == 2);  // two accounts to change, not three attributes
}

}  // namespace accord
