// SPDX-License-Identifier: Apache-2.0
// Passwords on a (fake) real Mac, played as the public evidence says
// (account_passwords.h): root's `dscl -passwd` takes one value and resets,
// so a `change` goes through OpenDirectory with the old and the new
// password; every password step is verified by logging in with the new
// one; and the authority's password and every old_password are checked,
// read-only, before the first step.
#include <algorithm>

#include "cli/cli.h"
#include "macos/command_runner.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

const std::map<std::string, std::string> kEnv = {
    {"AUTH", "Auth-Pw-1"}, {"ALICE_OLD", "Alice-Old-0"}, {"ALICE_NEW", "Alice-New-2"}};

DeviceState TwoTokenAdmins() {
  DeviceState s =
      test::Device(test::ReadFile(test::SourcePath("examples/password-reset/device.json")));
  s.filevault.institutional_recovery_key = true;
  return s;
}

std::string Desired(const std::string& name, const std::string& alice) {
  std::string path = test::TempDir(name) + "/desired.yaml";
  test::WriteFile(path,
                  "accord: 1\nauthority: {user: firstaccount, password: {env: AUTH}}\n"
                  "users:\n  firstaccount: {role: admin, secure_token: true}\n  alice: " +
                      alice + "\n");
  return path;
}

const char* kResetAlice =
    "{password: {env: ALICE_NEW}, password_update: reset, allow_keychain_reset: true}";

const char* kChangeAlice =
    "{password: {env: ALICE_NEW}, old_password: {env: ALICE_OLD}, password_update: change}";

test::OnFakeMac& WithPasswords(test::OnFakeMac& on) {
  on.mac.SetPassword("firstaccount", kEnv.at("AUTH"));
  on.mac.SetPassword("alice", kEnv.at("ALICE_OLD"));
  return on;
}

bool Ran(const test::FakeMac& mac, const std::string& word) {
  for (const Command& c : mac.recorded()) {
    for (const std::string& a : c.argv) {
      if (a == word) return true;
    }
  }
  return false;
}

// Changing commands run, other than preflight's no-op Full Disk Access probe.
int Changes(const test::FakeMac& mac) {
  int n = 0;
  for (const Command& c : mac.recorded()) {
    n += c.mutating && std::find(c.argv.begin(), c.argv.end(), "/Users/nobody") == c.argv.end();
  }
  return n;
}

const ObservedUser& User(const test::FakeMac& mac, const std::string& name) {
  const ObservedUser* u = mac.state().FindUser(name);
  REQUIRE(u);
  return *u;
}

}  // namespace

TEST_CASE("root's dscl -passwd fed the old and the new password sets the old one",
          "[passwords][macos-provider]") {
  // The evidence the fake Mac plays, and the reason Accord never uses it
  // for a change: it exits 0 and the account now has the OLD password.
  test::FakeMac mac(TwoTokenAdmins());
  mac.SetPassword("alice", "Alice-Old-0");
  Result<CommandResult> r = mac.Run(
      Command::Changing({"/usr/bin/dscl", ".", "-passwd", "/Users/alice"}, "Alice-Old-0\nNew\n"));
  REQUIRE(r.ok());
  CHECK(r.value().exit_code == 0);
  CHECK(mac.Verify("alice", Secret("New")).check == PasswordCheck::kRejected);
  CHECK(mac.Verify("alice", Secret("Alice-Old-0")).check == PasswordCheck::kAccepted);
  CHECK(User(mac, "alice").filevault_password_in_sync == false);  // it was a reset
}

TEST_CASE("a change goes through OpenDirectory with the old password, and is verified",
          "[passwords][macos-provider]") {
  test::OnFakeMac on(TwoTokenAdmins(), "pw-change");
  WithPasswords(on);
  std::string desired = Desired("pw-change-desired", kChangeAlice);
  test::CliRun plan = on.Run({"plan", "-f", desired}, kEnv);
  INFO(plan.out << plan.err);
  CHECK(plan.out.find("login keychain") != std::string::npos);

  test::CliRun run = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(run.out << run.err);
  REQUIRE(run.status == kExitOk);
  CHECK_FALSE(Ran(on.mac, "-passwd"));
  CHECK(on.mac.Verify("alice", Secret(kEnv.at("ALICE_NEW"))).check == PasswordCheck::kAccepted);
  const ObservedUser& alice = User(on.mac, "alice");
  CHECK(alice.secure_token == true);                 // kept
  CHECK(alice.filevault_password_in_sync != false);  // kept in step
  CHECK(alice.keychain_in_sync == false);            // but not the keychain
  CHECK(test::ReadFile(on.ApplyLog()).find("alice logs in with the new password") !=
        std::string::npos);
}

TEST_CASE("a wrong old_password stops apply before the first step: nothing is changed",
          "[passwords][macos-provider]") {
  test::OnFakeMac on(TwoTokenAdmins(), "pw-wrong-old");
  WithPasswords(on);
  on.mac.SetPassword("alice", "Someone-Changed-It");
  DeviceState before = on.mac.state();
  test::CliRun run = on.Run(
      {"apply", "-f", Desired("pw-wrong-old-desired", kChangeAlice), "--auto-approve"}, kEnv);
  INFO(run.out << run.err);
  CHECK(run.status == kExitError);
  CHECK(run.err.find("alice's old_password is wrong") != std::string::npos);
  CHECK(run.out.find("Nothing was changed.") != std::string::npos);
  CHECK(Changes(on.mac) == 0);
  CHECK(on.mac.state() == before);
}

TEST_CASE("a wrong authority password stops apply before the unlock check",
          "[passwords][macos-provider]") {
  test::OnFakeMac on(TwoTokenAdmins(), "pw-wrong-authority");
  WithPasswords(on);
  on.mac.SetPassword("firstaccount", "Not-What-The-File-Says");
  test::CliRun run = on.Run(
      {"apply", "-f", Desired("pw-wrong-authority-desired", kResetAlice), "--auto-approve"}, kEnv);
  INFO(run.out << run.err);
  CHECK(run.status == kExitError);
  CHECK(run.err.find("the authority's password is wrong") != std::string::npos);
  CHECK(run.err.find("nothing was changed") != std::string::npos);
  CHECK(on.mac.unlock_checks() == 0);  // no Secure Enclave attempt spent on it
  CHECK(on.mac.password_checks() == 1);
  CHECK(Changes(on.mac) == 0);
  for (const auto& [name, value] : kEnv) {
    CHECK(run.out.find(value) == std::string::npos);
    CHECK(run.err.find(value) == std::string::npos);
  }
}

TEST_CASE("a reset that exits 0 but did not take fails: the new password does not log in",
          "[passwords][macos-provider]") {
  test::OnFakeMac on(TwoTokenAdmins(), "pw-silent-reset");
  WithPasswords(on);
  // sysadminctl's silent no-op: "Done", exit 0, nothing changed.
  on.mac.Inject(
      "/usr/sbin/sysadminctl -adminUser firstaccount -adminPassword - -resetPasswordFor alice "
      "-newPassword -",
      CommandResult{0, "", "2026-11-28 09:00:00.000 sysadminctl[1:2] Done\n"});
  test::CliRun run = on.Run(
      {"apply", "-f", Desired("pw-silent-reset-desired", kResetAlice), "--auto-approve"}, kEnv);
  INFO(run.out << run.err);
  CHECK(run.status == kExitError);
  CHECK(run.err.find("alice cannot log in with the new password") != std::string::npos);
}

TEST_CASE(
    "a reset feeds the new password twice: it takes where sysadminctl asks to confirm it "
    "and where it asks once",
    "[passwords][macos-provider]") {
  for (bool confirm : {false, true}) {
    INFO("asks to confirm: " << confirm);
    test::OnFakeMac on(TwoTokenAdmins(), confirm ? "pw-reset-confirm" : "pw-reset-once");
    WithPasswords(on);
    on.mac.AskToConfirmReset(confirm);
    test::CliRun run = on.Run(
        {"apply", "-f", Desired(confirm ? "pw-confirm-desired" : "pw-once-desired", kResetAlice),
         "--auto-approve"},
        kEnv);
    INFO(run.out << run.err);
    CHECK(run.status == kExitOk);
    bool fed = false;
    for (const Command& c : on.mac.recorded()) {
      if (std::find(c.argv.begin(), c.argv.end(), "-resetPasswordFor") == c.argv.end()) continue;
      // The authority's password, then the new one, then the new one again.
      CHECK(c.stdin_data ==
            kEnv.at("AUTH") + "\n" + kEnv.at("ALICE_NEW") + "\n" + kEnv.at("ALICE_NEW") + "\n");
      fed = true;
    }
    CHECK(fed);
  }
}

}  // namespace accord
