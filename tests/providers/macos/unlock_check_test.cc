// SPDX-License-Identifier: Apache-2.0
// The authority's unlock check on a (fake) Mac: run once per apply, never by
// plan, never retried; a success is a certain unlock path for that apply
// (recorded in the apply log), and a failure leaves the fact unknown.
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

const std::map<std::string, std::string> kEnv = {{"ACCORD_AUTHORITY_PASSWORD", "Auth-Pw-1"},
                                                 {"ALICE_NEW_PASSWORD", "Alice-New-2"}};

// alice (a token holder) is reset without her old password. What keeps the
// Mac unlockable afterwards is firstaccount's password, which observation
// cannot vouch for: only the check can.
DeviceState TruthOf(bool authority_in_step) {
  DeviceState s =
      test::Device(test::ReadFile(test::SourcePath("examples/password-reset/device.json")));
  s.users[0].filevault_password_in_sync = authority_in_step;
  return s;
}

void Passwords(test::FakeMac& mac) {
  mac.SetPassword("firstaccount", kEnv.at("ACCORD_AUTHORITY_PASSWORD"));
  mac.SetPassword("alice", "Alice-Old-0");
}

nlohmann::json LastLogLine(const test::OnFakeMac& on) {
  std::string log = test::ReadFile(on.ApplyLog());
  REQUIRE_FALSE(log.empty());
  log.pop_back();
  return nlohmann::json::parse(log.substr(log.rfind('\n') + 1));
}

const std::string kDesired = test::SourcePath("examples/password-reset/desired.yaml");

}  // namespace

TEST_CASE("a verified authority password is a certain unlock path for that apply",
          "[unlock-check][macos-provider]") {
  test::OnFakeMac on(TruthOf(true), "unlock-check-ok");
  Passwords(on.mac);

  // plan never runs it: it holds no secrets.
  test::CliRun plan = on.Run({"plan", "-f", kDesired}, kEnv);
  CHECK(plan.status == kExitRefused);
  CHECK(plan.out.find("cannot tell whether firstaccount's FileVault password is in step") !=
        std::string::npos);
  CHECK(on.mac.unlock_checks() == 0);

  test::CliRun apply = on.Run({"apply", "-f", kDesired, "--auto-approve"}, kEnv);
  INFO(apply.out << apply.err);
  CHECK(apply.status == kExitOk);
  CHECK(apply.out.find("Verified that firstaccount's password unlocks the Data volume: a "
                       "certain unlock path for this apply.") != std::string::npos);
  CHECK(apply.out.find("Apply complete: 1 step done") != std::string::npos);
  CHECK(on.mac.unlock_checks() == 1);
  nlohmann::json line = LastLogLine(on);
  CHECK(line["unlock_check"]["user"] == "firstaccount");
  CHECK(line["unlock_check"]["verified"] == true);
  CHECK(line["unlock_check"]["detail"] ==
        "/usr/sbin/diskutil apfs unlockVolume /System/Volumes/Data -user "
        "C4713E84-50C7-419E-ABC4-766DFE170F56 -verify -stdinpassphrase succeeded");
  // The password went on stdin, never in argv.
  for (const Command& c : on.mac.recorded()) {
    for (const std::string& arg : c.argv) CHECK(arg.find("Auth-Pw-1") == std::string::npos);
  }
}

TEST_CASE("a failed unlock check is not retried and leaves the fact unknown",
          "[unlock-check][macos-provider]") {
  test::OnFakeMac on(TruthOf(false), "unlock-check-fails");
  Passwords(on.mac);
  test::CliRun apply = on.Run({"apply", "-f", kDesired, "--auto-approve"}, kEnv);
  INFO(apply.out << apply.err);
  CHECK(apply.status == kExitRefused);
  CHECK(apply.out.find("Could not verify that firstaccount's password unlocks the Data volume; "
                       "whether its FileVault password is in step stays unknown.") !=
        std::string::npos);
  CHECK(apply.out.find("refused [password-desync]") != std::string::npos);
  CHECK(on.mac.unlock_checks() == 1);
  CHECK(LastLogLine(on)["unlock_check"]["verified"] == false);
  CHECK(on.mac.state() == [] {
    test::FakeMac fresh(TruthOf(false));
    return fresh.state();
  }());
}

}  // namespace accord
