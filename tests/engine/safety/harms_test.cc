// SPDX-License-Identifier: Apache-2.0
// The harm table: every harm is stopped by its rule unless the file states
// its intent where the harm is (a switch over every harm, so a new one
// does not compile without its case here), and the guards' edges: homes
// compared as the volume compares them, unknowns as every value.
#include "safety/harms.h"

#include "plan/planner.h"
#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

std::string Mac(const std::string& extra = "", const std::string& homes = "",
                const std::string& filevault = "\"on\"", const std::string& name = "test-mac") {
  return test::HarmsSnapshot(test::HarmsMac{extra, homes, filevault, name});
}

std::string Person(const std::string& name, int uid, const std::string& home,
                   const std::string& uid_json = "") {
  return test::PersonJson(name, uid_json.empty() ? std::to_string(uid) : uid_json, home);
}

// `text` with the first (or, `last`, the last) `from` replaced by `to`.
std::string Replaced(std::string text, const std::string& from, const std::string& to,
                     bool last = false) {
  std::size_t at = last ? text.rfind(from) : text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

const Change* Step(const Plan& plan, Action action, const std::string& user = "") {
  for (const Change& c : plan.changes) {
    if (c.action == action && c.user == user) return &c;
  }
  return nullptr;
}

// The step `action` on `user` in the plan of `yaml` on `mac`, required.
Change StepOf(const std::string& yaml, const std::string& mac, Action action,
              const std::string& user = "") {
  Plan plan = test::PlanOf(yaml, mac);
  const Change* c = Step(plan, action, user);
  INFO(yaml);
  REQUIRE(c);
  return *c;
}

void RefusedBy(const Change& c, Rule rule) {
  INFO(c.Id() << ": " << c.Why() << " / fix: " << c.remedy);
  CHECK(c.outcome == Outcome::kRefused);
  REQUIRE(c.rule);
  CHECK(RuleId(*c.rule) == std::string(RuleId(rule)));
}

void Runs(const Change& c) {
  INFO(c.Id() << ": " << c.Why() << " / fix: " << c.remedy);
  CHECK(c.outcome == Outcome::kRun);
}

const std::string kAuthority =
    "authority: {user: firstaccount, password: {env: ADMIN_PASSWORD}}\nusers:\n  firstaccount: "
    "{}\n";

// Each harm: without its statement of intent it is stopped by its rule;
// with it (where anything allows it), it runs.
void Guarded(Harm harm) {
  const Rule rule = SpecOf(harm).rule;
  switch (harm) {
    case Harm::kDeleteAccount:
      // Only a file that names the account deletes it; root never.
      RefusedBy(StepOf("accord: 1\nusers:\n  root: {ensure: absent}\n", Mac(), Action::kDeleteUser,
                       "root"),
                rule);
      CHECK_FALSE(
          Step(test::PlanOf("accord: 1\nusers: {}\n", Mac(Person("bob", 502, "\"/Users/bob\""))),
               Action::kDeleteUser, "bob"));
      Runs(StepOf("accord: 1\nusers:\n  bob: {ensure: absent}\n",
                  Mac(Person("bob", 502, "\"/Users/bob\"")), Action::kDeleteUser, "bob"));
      return;
    case Harm::kEraseHome: {
      Change kept = StepOf("accord: 1\nusers:\n  bob: {ensure: absent}\n",
                           Mac(Person("bob", 502, "\"/Users/bob\"")), Action::kDeleteUser, "bob");
      CHECK_FALSE(kept.erase_home);
      Change erased = StepOf("accord: 1\nusers:\n  bob: {ensure: absent, remove_home: true}\n",
                             Mac(Person("bob", 502, "\"/Users/bob\"")), Action::kDeleteUser, "bob");
      Runs(erased);
      CHECK(erased.erase_home);
      CHECK(RuleId(rule) == std::string("home-kept"));
      return;
    }
    case Harm::kEraseHomeInUse:
      RefusedBy(StepOf("accord: 1\nusers:\n  newguy: {ensure: absent, remove_home: true}\n",
                       Mac(Person("newguy", 502, "\"/Users/firstaccount\"")), Action::kDeleteUser,
                       "newguy"),
                rule);
      RefusedBy(StepOf("accord: 1\nusers:\n  newguy: {home: /Users/firstaccount}\n", Mac(),
                       Action::kCreateUser, "newguy"),
                rule);
      return;
    case Harm::kEraseNonPersonHome:
      RefusedBy(StepOf("accord: 1\nusers:\n  bob: {ensure: absent, remove_home: true}\n",
                       Mac(Person("bob", 502, "\"/opt/bob\"")), Action::kDeleteUser, "bob"),
                rule);
      RefusedBy(StepOf("accord: 1\nusers:\n  bob: {ensure: absent, remove_home: true}\n",
                       Mac(Person("bob", 502, "\"/Users/Shared\"")), Action::kDeleteUser, "bob"),
                rule);
      return;
    case Harm::kEraseSystemHome:
      RefusedBy(StepOf("accord: 1\nusers:\n  daemon: {ensure: absent, remove_home: true, "
                       "allow_system_account: true}\n",
                       Mac(), Action::kDeleteUser, "daemon"),
                rule);
      return;
    case Harm::kSystemAccount:
      RefusedBy(StepOf("accord: 1\nusers:\n  daemon: {ensure: absent}\n", Mac(),
                       Action::kDeleteUser, "daemon"),
                rule);
      RefusedBy(StepOf("accord: 1\nusers:\n  _agent: {role: standard}\n", Mac(R"(,
  {"name": "_agent", "uid": 491, "gid": 20, "full_name": "Agent", "shell": "/usr/bin/false",
   "home": "/var/agent", "hidden": true, "admin": true, "secure_token": true,
   "filevault_password_in_sync": null, "keychain_in_sync": null})"),
                       Action::kMakeStandard, "_agent"),
                rule);
      Runs(StepOf("accord: 1\nusers:\n  daemon: {ensure: absent, allow_system_account: true}\n",
                  Mac(), Action::kDeleteUser, "daemon"));
      return;
    case Harm::kFileVaultOff:
      RefusedBy(StepOf("accord: 1\n" + kAuthority + "filevault: {enabled: false}\n", Mac(),
                       Action::kDisableFileVault),
                rule);
      Runs(StepOf("accord: 1\n" + kAuthority + "filevault: {enabled: false, allow_decrypt: true}\n",
                  Mac(), Action::kDisableFileVault));
      return;
    case Harm::kReplaceRecoveryKey: {
      // Only recovery_key asks for a rotation, and only with escrow possible.
      const std::string no_payload =
          Replaced(Replaced(Mac(), "\"recovery_key_escrow_payload\": true",
                            "\"recovery_key_escrow_payload\": false"),
                   "\"recovery_key_escrowed\": true", "\"recovery_key_escrowed\": false");
      const std::string yaml =
          "accord: 1\n" + kAuthority + "filevault: {recovery_key: {escrow: required}}\n";
      RefusedBy(StepOf(yaml, no_payload, Action::kRotateRecoveryKey), rule);
      CHECK_FALSE(
          Step(test::PlanOf("accord: 1\n" + kAuthority + "filevault: {enabled: true}\n", Mac()),
               Action::kRotateRecoveryKey));
      return;
    }
    case Harm::kRemoveRecoveryKey:
      RefusedBy(StepOf("accord: 1\nfilevault: {recovery_key: {personal: false}}\n", Mac(),
                       Action::kRemoveRecoveryKey),
                rule);
      return;
    case Harm::kRevokeToken: {
      // Only secure_token: false revokes (an import never writes it); the
      // lockout rules guard the last holder.
      const std::string mac = Mac(Person("bob", 502, "\"/Users/bob\""));
      const std::string with_token =
          Replaced(mac, "\"secure_token\": false", "\"secure_token\": true", true);
      CHECK_FALSE(Step(test::PlanOf("accord: 1\n" + kAuthority + "  bob: {}\n", with_token),
                       Action::kRevokeToken, "bob"));
      Runs(StepOf("accord: 1\n" + kAuthority + "  bob: {secure_token: false, password: {env: B}}\n",
                  with_token, Action::kRevokeToken, "bob"));
      CHECK(RuleId(rule) == std::string("last-token-admin"));
      return;
    }
    case Harm::kOtherMac: {
      Result<Plan> plan = MakePlan(test::Desired("accord: 1\ndevice: lab-mac-07\nusers: {}\n"),
                                   test::Device(Mac("", "", "\"on\"", "sales-mbp-12")));
      REQUIRE_FALSE(plan.ok());
      CHECK(test::Messages(plan).find("[device-mismatch]") != std::string::npos);
      CHECK(test::Messages(plan).find(":2:9:") != std::string::npos);  // at device:'s value
      Result<Plan> allowed = MakePlan(test::Desired("accord: 1\ndevice: lab-mac-07\nusers: {}\n"),
                                      test::Device(Mac("", "", "\"on\"", "sales-mbp-12")),
                                      PlanOptions{true, std::nullopt});
      REQUIRE(allowed.ok());
      REQUIRE_FALSE(allowed.value().findings.empty());
      CHECK(allowed.value().findings.front().kind == "device-mismatch");
      return;
    }
  }
  FAIL("a harm without its case");
}

}  // namespace

TEST_CASE("every harm is stopped by its rule unless the file states its intent", "[harms]") {
  for (Harm h : kAllHarms) {
    INFO(SpecOf(h).what);
    Guarded(h);
  }
}

TEST_CASE("the harm table names a rule of the rule book and a fix for each harm", "[harms]") {
  for (Harm h : kAllHarms) {
    HarmSpec spec = SpecOf(h);
    CHECK(std::string(spec.what).size() > 5);
    CHECK(std::string(spec.fix).size() > 5);
    bool listed = false;
    for (Rule r : kAllRules) listed = listed || r == spec.rule;
    CHECK(listed);
  }
  CHECK(HarmsMarkdown().find("| erase a home another account has, or give a new account one | "
                             "`home-in-use` | nothing: a person does it by hand |") !=
        std::string::npos);
}

TEST_CASE("homes are compared as the volume compares them", "[harms]") {
  DeviceState mac;
  auto same = [&](const std::string& a, const std::string& b) {
    return HomeKey(a, mac) == HomeKey(b, mac);
  };
  CHECK(same("/Users/JDoe", "/Users/jdoe/"));  // unknown: as APFS's default
  mac.volume_case_sensitive = false;
  CHECK(same("/Users/JDoe", "/Users/jdoe"));
  CHECK(same("/Users/a/../jdoe", "/Users//jdoe"));
  mac.volume_case_sensitive = true;
  CHECK_FALSE(same("/Users/JDoe", "/Users/jdoe"));
  CHECK(same("/Users/jdoe/", "/Users/./jdoe"));
  CHECK(IsPersonHome("/Users/jdoe"));
  CHECK(IsPersonHome("/Users/jdoe/"));
  for (const char* not_person : {"/Users", "/Users/", "/Users/Shared", "/Users/shared/",
                                 "/var/root", "/Users/a/b", "Users/jdoe", "/Users/..", ""}) {
    INFO(not_person);
    CHECK_FALSE(IsPersonHome(not_person));
  }
}

TEST_CASE("a home that differs only in case is the same home unless the volume says otherwise",
          "[harms]") {
  const std::string yaml = "accord: 1\nusers:\n  newguy: {home: /Users/FirstAccount}\n";
  RefusedBy(StepOf(yaml, Mac(), Action::kCreateUser, "newguy"), Rule::kHomeInUse);
  const std::string sensitive =
      Replaced(Mac(), "\"homes\"", "\"volume\": {\"case_sensitive\": true}, \"homes\"");
  Runs(StepOf(yaml, sensitive, Action::kCreateUser, "newguy"));
}

TEST_CASE("a home that could be another account's is not erased or given: cannot tell",
          "[harms][unknown]") {
  // bob's home could not be observed: it could be /Users/newguy.
  const std::string mac =
      Mac(Person("bob", 503, "null") + Person("newguy", 502, "\"/Users/newguy\""));
  Change erase = StepOf("accord: 1\nusers:\n  newguy: {ensure: absent, remove_home: true}\n", mac,
                        Action::kDeleteUser, "newguy");
  RefusedBy(erase, Rule::kHomeInUse);
  CHECK(erase.Why().find("cannot tell") != std::string::npos);
  Change create = StepOf("accord: 1\nusers:\n  carol: {}\n", mac, Action::kCreateUser, "carol");
  RefusedBy(create, Rule::kHomeInUse);
  // The account's own home unknown: what would be erased cannot be told.
  Change own = StepOf("accord: 1\nusers:\n  bob: {ensure: absent, remove_home: true}\n", mac,
                      Action::kDeleteUser, "bob");
  RefusedBy(own, Rule::kUnknownState);
}

TEST_CASE("a kept home of another UID is not erased nor given to a new account", "[harms]") {
  // /Users/bob is owned by 503, a deleted account's UID, not bob's 502.
  const std::string mac =
      Mac(Person("bob", 502, "\"/Users/bob\""), R"(, {"path": "/Users/bob", "uid": 503})");
  RefusedBy(StepOf("accord: 1\nusers:\n  bob: {ensure: absent, remove_home: true}\n", mac,
                   Action::kDeleteUser, "bob"),
            Rule::kHomeInUse);
  // Its owner not observed: it could be another's.
  RefusedBy(
      StepOf("accord: 1\nusers:\n  bob: {ensure: absent, remove_home: true}\n",
             Mac(Person("bob", 502, "\"/Users/bob\""), R"(, {"path": "/Users/bob", "uid": null})"),
             Action::kDeleteUser, "bob"),
      Rule::kHomeInUse);
  const std::string kept = Mac("", R"(, {"path": "/Users/olduser", "uid": 503})");
  RefusedBy(StepOf("accord: 1\nusers:\n  newguy: {home: /Users/olduser}\n", kept,
                   Action::kCreateUser, "newguy"),
            Rule::kHomeInUse);
}

TEST_CASE("an explicit uid is refused while another account's UID is unknown", "[harms][uid]") {
  const std::string mac = Mac(Person("bob", 0, "\"/Users/bob\"", "null"));
  Change c = StepOf("accord: 1\nusers:\n  carol: {uid: 503}\n", mac, Action::kCreateUser, "carol");
  RefusedBy(c, Rule::kUnknownState);
  CHECK(c.Why().find("uid 503") != std::string::npos);
}

TEST_CASE("an account created without a range where the file declares ranges is an error",
          "[harms][uid]") {
  Result<Plan> plan = MakePlan(
      test::Desired("accord: 1\nuid_ranges:\n  builders: {first: 1000, last: 1999}\nusers:\n  "
                    "dev: {uid_range: builders}\n  alice: {}\n"),
      test::Device(Mac()));
  REQUIRE_FALSE(plan.ok());
  CHECK(test::Messages(plan).find("builders (1000-1999)") != std::string::npos);
  CHECK(test::Messages(plan).find("users.alice") != std::string::npos);
}

TEST_CASE("a deletion and a creation one edit apart warn of a typo", "[harms]") {
  Plan plan = test::PlanOf("accord: 1\nusers:\n  contractor: {ensure: absent}\n  contractr: {}\n",
                           Mac(Person("contractor", 504, "\"/Users/contractor\"")));
  bool warned = false;
  for (const Finding& f : plan.findings) {
    warned = warned || (f.kind == "possible-typo" && f.user == "contractr" &&
                        f.message.find("typo of contractor") != std::string::npos);
  }
  CHECK(warned);
}

TEST_CASE("the device label names the Mac by name, serial or hardware UUID", "[harms][device]") {
  DeviceState mac;
  mac.name = "Sales MBP 12";
  mac.serial = "C02XG0FDH7JY";
  mac.hardware_uuid = "81895B8D-9EF9-4EBB-B5DE-B00069CF53F0";
  CHECK_FALSE(DeviceMismatch("sales mbp 12", mac));
  CHECK_FALSE(DeviceMismatch("c02xg0fdh7jy", mac));
  CHECK_FALSE(DeviceMismatch("81895b8d-9ef9-4ebb-b5de-b00069cf53f0", mac));
  std::optional<std::string> other = DeviceMismatch("lab-mac-07", mac);
  REQUIRE(other);
  CHECK(*other ==
        "the file is for 'lab-mac-07', but this Mac has name 'Sales MBP 12', serial "
        "'C02XG0FDH7JY' and hardware UUID '81895B8D-9EF9-4EBB-B5DE-B00069CF53F0'");
  mac.serial.reset();
  mac.hardware_uuid.reset();
  std::optional<std::string> unknown = DeviceMismatch("81895B8D-9EF9-4EBB-B5DE-B00069CF53F0", mac);
  REQUIRE(unknown);
  CHECK(unknown->rfind("cannot tell whether this Mac is", 0) == 0);
  CHECK(unknown->find("its serial and hardware UUID were not observed") != std::string::npos);
}

}  // namespace accord
