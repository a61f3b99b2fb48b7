// SPDX-License-Identifier: Apache-2.0
// Safety on a Mac as the macOS provider sees it: no tool shows whether a
// FileVault password is in step or whether a key was escrowed, so every
// token holder is only a possible unlock path. Plans on such an observation
// must refuse to remove the last of them.
#include "macos/observe.h"
#include "model/effect.h"
#include "model/snapshot_codec.h"
#include "plan/planner.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

// FileVault on, no recovery key: firstaccount is the only admin with a
// token; alice, a standard user, holds the other token; itadmin is an admin
// without one.
DeviceState Truth() {
  test::Account alice{"alice", 502, false, true};
  test::Account itadmin{"itadmin", 503, true, false};
  DeviceState s = test::Device(
      test::WithoutRecoveryKey(test::Snapshot({test::FirstAccount(), alice, itadmin})));
  for (ObservedUser& u : s.users)
    u.guid = SimulatedGuid(u.name);  // crypto users are listed by GUID
  return s;
}

DeviceState Observed() {
  test::FakeMac mac(Truth());
  Result<DeviceState> seen = ObserveMac(mac);
  INFO(test::Messages(seen));
  REQUIRE(seen.ok());
  return seen.value();
}

Change PlanOne(const std::string& yaml) {
  Result<Plan> plan = MakePlan(test::Desired(yaml), Observed());
  INFO(test::Messages(plan));
  REQUIRE(plan.ok());
  REQUIRE(plan.value().changes.size() == 1);
  return plan.value().changes[0];
}

}  // namespace

TEST_CASE("the provider cannot see FileVault sync or escrow: every holder is only possible",
          "[observe][safety]") {
  DeviceState seen = Observed();
  for (const ObservedUser& u : seen.users) {
    INFO(u.name);
    CHECK(u.secure_token == (u.name != "itadmin"));
    CHECK_FALSE(u.filevault_password_in_sync.has_value());
  }
  CHECK_FALSE(seen.filevault.recovery_key_escrowed.has_value());
}

TEST_CASE("on an observed Mac, the last possible unlock paths are kept", "[observe][safety]") {
  // Deleting alice leaves firstaccount, whose sync is unknown: no certain way in.
  Change deleted = PlanOne("accord: 1\nusers:\n  alice: {ensure: absent}\n");
  CHECK(deleted.Id() == "delete_user:alice");
  CHECK(deleted.outcome == Outcome::kRefused);
  CHECK(deleted.rule == Rule::kFileVaultUnlock);
  CHECK(deleted.outcome_why.find("cannot tell whether alice's FileVault password is in step") !=
        std::string::npos);
  CHECK(deleted.outcome_why.find(
            "cannot tell whether firstaccount's FileVault password is in step") !=
        std::string::npos);
  CHECK(deleted.outcome_why.find("cannot tell whether a recovery key is escrowed") !=
        std::string::npos);

  // Demoting firstaccount, the last token admin.
  Change demoted = PlanOne("accord: 1\nusers:\n  firstaccount: {role: standard}\n");
  CHECK(demoted.outcome == Outcome::kRefused);
  CHECK(demoted.rule == Rule::kLastTokenAdmin);

  // Revoking alice's token removes a possible path too.
  Change revoked = PlanOne(
      "accord: 1\nauthority: {user: firstaccount, password: {env: P}}\n"
      "users:\n  firstaccount: {}\n  alice: {secure_token: false, password: {env: A}}\n");
  CHECK(revoked.Id() == "revoke_token:alice");
  CHECK(revoked.outcome == Outcome::kRefused);
  CHECK(revoked.rule == Rule::kFileVaultUnlock);
}

}  // namespace accord

namespace accord {

TEST_CASE(
    "volume owners are observed on Apple silicon, and a plan that leaves no admin owner "
    "warns",
    "[observe][volume-owner]") {
  DeviceState truth =
      test::Device(test::ReadFile(test::SourcePath("examples/password-reset/device.json")));
  truth.users[0].volume_owner = true;   // firstaccount, the admin
  truth.users[1].volume_owner = false;  // alice
  test::FakeMac mac(truth);
  Result<DeviceState> seen = ObserveMac(mac);
  REQUIRE(seen.ok());
  CHECK(seen.value().users[0].volume_owner == true);
  CHECK(seen.value().users[1].volume_owner == false);
  std::string snapshot = SerializeSnapshot(seen.value());
  CHECK(snapshot.find("\"volume_owner\": true") != std::string::npos);

  auto warning = [](const Plan& p) {
    for (const Finding& f : p.findings) {
      if (f.kind == "no-admin-volume-owner") return f.message;
    }
    return std::string();
  };
  const char* keep = "accord: 1\nusers:\n  firstaccount: {role: admin}\n";
  CHECK(warning(test::PlanOf(keep, snapshot)).empty());
  // Made standard, firstaccount leaves only alice, who owns nothing.
  const char* demote =
      "accord: 1\nusers:\n  firstaccount: {role: standard}\n  alice: {role: admin}\n";
  CHECK(warning(test::PlanOf(demote, snapshot)) ==
        "after this plan no admin is a volume owner: macOS updates and startup security changes "
        "could not be authorized on this Mac (Apple silicon); keep an admin who holds a "
        "SecureToken and is a volume owner");
  // An Intel Mac (ownership not reported) gets no such warning.
  std::string intel = test::ReadFile(test::SourcePath("examples/password-reset/device.json"));
  CHECK(warning(test::PlanOf(demote, intel)).empty());
}

}  // namespace accord
