// SPDX-License-Identifier: Apache-2.0
// The local state file on a (fake) real Mac: what observation cannot show
// (a reset's desync, a password's reference, a pending grant, a deferred
// enablement) is remembered between applies, so each converges on the
// second apply; a record the Mac contradicts is dropped; a hand-edited or
// foreign file is ignored with a warning; and a kill at any step leaves
// the state file and the apply log valid.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "cli/cli.h"
#include "state/local_state_codec.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

const std::map<std::string, std::string> kEnv = {{"AUTH", "Auth-Pw-1"},
                                                 {"ALICE_NEW", "Alice-New-2"}};

// firstaccount (admin, token, the authority) and alice (token holder), with
// FileVault on and an institutional key: an unlock path that observation
// can prove, so that a reset of alice is safe however the sync flags stand.
DeviceState ResetMac() {
  DeviceState s =
      test::Device(test::ReadFile(test::SourcePath("examples/password-reset/device.json")));
  s.filevault.institutional_recovery_key = true;
  return s;
}

std::string WriteDesired(const std::string& dir, const std::string& users) {
  std::string path = dir + "/desired.yaml";
  test::WriteFile(path,
                  "accord: 1\nauthority: {user: firstaccount, password: {env: AUTH}}\n"
                  "users:\n  firstaccount: {role: admin, secure_token: true}\n" +
                      users);
  return path;
}

test::OnFakeMac& WithPasswords(test::OnFakeMac& on) {
  on.mac.SetPassword("firstaccount", kEnv.at("AUTH"));
  on.mac.SetPassword("alice", "Alice-Old-0");
  on.mac.SetPassword("bob", "Bob-Old-0");
  return on;
}

// A desired state that wants a personal recovery key, and a Mac on
// FileVault without one, enrolled with the escrow payload installed: the
// plan rotates the key.
constexpr const char* kRotateKey =
    "  alice: {}\nfilevault: {enabled: true, recovery_key: {personal: true}}\n";
DeviceState RotatingMac() {
  DeviceState mac = ResetMac();
  mac.filevault.personal_recovery_key = false;
  mac.mdm.enrolled = true;
  mac.mdm.recovery_key_escrow_payload = true;
  return mac;
}

LocalState ReadState(const test::OnFakeMac& on) {
  Result<LocalState> s = ParseLocalState(test::ReadFile(on.StateFile()), on.StateFile());
  INFO(test::Messages(s));
  REQUIRE(s.ok());
  return s.value();
}

int Mode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 0777);
}

const char* kResetAlice =
    "  alice: {password: {env: ALICE_NEW}, password_update: reset, allow_keychain_reset: true}\n";

}  // namespace

TEST_CASE("a reset of a token holder converges, and is remembered as out of step",
          "[local-state][macos-provider]") {
  test::OnFakeMac on(ResetMac(), "state-reset");
  WithPasswords(on);
  std::string desired = WriteDesired(test::TempDir("state-reset-desired"), kResetAlice);

  test::CliRun first = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(first.out << first.err);
  REQUIRE(first.status == kExitOk);
  CHECK(first.out.find("Apply complete: 1 step done") != std::string::npos);
  CHECK(Mode(on.StateFile()) == 0600);
  CHECK(Mode(on.state_dir) == 0700);
  LocalState s = ReadState(on);
  REQUIRE(s.accounts.size() == 1);
  CHECK(s.accounts[0].user == "alice");
  CHECK(s.accounts[0].guid == "5D4C3B2A-1908-4F7E-A6D5-C4B3A2918070");
  CHECK(s.accounts[0].password_set_from == "env ALICE_NEW");
  CHECK(s.accounts[0].filevault_out_of_step);
  CHECK(s.accounts[0].keychain_out_of_step);
  CHECK(s.accounts[0].token_unknown);  // the reset may have cost it, whatever the Mac shows
  CHECK(s.accounts[0].since == "2026-11-28T09:00:00Z");

  // The second apply finds nothing to do: the reset is not run again.
  test::CliRun second = on.Run({"plan", "-f", desired, "--detailed-exitcode"}, kEnv);
  INFO(second.out << second.err);
  CHECK(second.status == kExitOk);
  CHECK(second.out.find("No changes. This Mac matches the desired state.") != std::string::npos);

  // unlockers counts alice as doubtful: her FileVault password is the old one.
  test::CliRun unlockers = on.Run({"unlockers"});
  INFO(unlockers.out);
  CHECK(unlockers.out.find("? alice: cannot tell whether it still holds a SecureToken, and its "
                           "FileVault password is out of step") != std::string::npos);

  // observe --explain shows where that came from.
  test::CliRun observe = on.Run({"observe", "--explain"});
  CHECK(observe.status == kExitOk);
  CHECK(observe.err.find("alice: password set from env ALICE_NEW (recorded "
                         "2026-11-28T09:00:00Z)") != std::string::npos);
  CHECK(observe.err.find("alice: FileVault password out of step since a reset") !=
        std::string::npos);
  CHECK(observe.err.find("alice: SecureToken unknown since a reset without the old password") !=
        std::string::npos);
  CHECK(observe.out.find("\"secure_token\": null") != std::string::npos);
  CHECK(observe.out.find("\"filevault_password_in_sync\": false") != std::string::npos);

  // Without the record, the same Mac would be reset again on every apply.
  std::filesystem::remove(on.StateFile());
  test::CliRun forgetful = on.Run({"plan", "-f", desired, "--detailed-exitcode"}, kEnv);
  CHECK(forgetful.status == kExitChanges);
  CHECK(forgetful.out.find("reset the password of alice") != std::string::npos);
}

TEST_CASE("a new SecureToken brings a reset account back in step, deletion drops its record",
          "[local-state][macos-provider]") {
  test::OnFakeMac on(ResetMac(), "state-regrant");
  WithPasswords(on);
  std::string dir = test::TempDir("state-regrant-desired");
  REQUIRE(on.Run({"apply", "-f", WriteDesired(dir, kResetAlice), "--auto-approve"}, kEnv).status ==
          kExitOk);
  // alice is deleted by hand: the Mac wins, the record goes.
  on.mac = test::FakeMac([&] {
    DeviceState s = on.mac.state();
    std::erase_if(s.users, [](const ObservedUser& u) { return u.name == "alice"; });
    return s;
  }());
  WithPasswords(on);
  test::CliRun observe = on.Run({"observe", "--explain"});
  CHECK(observe.err.find("alice: dropped: the account no longer exists") != std::string::npos);
  REQUIRE(on.Run({"apply", "-f", WriteDesired(dir, ""), "--auto-approve"}, kEnv).status == kExitOk);
  CHECK(ReadState(on).accounts.empty());
}

TEST_CASE(
    "a grant deferred to the Bootstrap Token is pending once, and ends when the token arrives",
    "[local-state][macos-provider]") {
  DeviceState mac = ResetMac();
  mac.mdm.enrolled = true;
  mac.mdm.bootstrap_token_supported = true;
  mac.mdm.bootstrap_token_escrowed = true;
  mac.users.push_back(test::StandardUser("bob", 503));
  test::OnFakeMac on(mac, "state-pending");
  WithPasswords(on);
  std::string desired = WriteDesired(test::TempDir("state-pending-desired"),
                                     "  alice: {}\n  bob: {secure_token: true}\n");
  test::CliRun first = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(first.out << first.err);
  REQUIRE(first.status == kExitOk);
  CHECK(first.out.find("0 steps done, 1 deferred (pending until a login or logout)") !=
        std::string::npos);
  CHECK(ReadState(on).pending == std::vector<std::string>{"grant_token:bob"});

  test::CliRun second = on.Run({"plan", "-f", desired, "--detailed-exitcode"}, kEnv);
  INFO(second.out);
  CHECK(second.status == kExitOk);  // already pending: nothing new to do

  // bob logs in and gets his token: the pending record ends.
  DeviceState now = on.mac.state();
  for (ObservedUser& u : now.users) {
    if (u.name == "bob") u.secure_token = true;
  }
  on.mac = test::FakeMac(now);
  WithPasswords(on);
  test::CliRun observe = on.Run({"observe", "--explain"});
  CHECK(observe.err.find("grant_token:bob: done: the SecureToken arrived") != std::string::npos);
  REQUIRE(on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv).status == kExitOk);
  CHECK(ReadState(on).pending.empty());
}

TEST_CASE("a deferred FileVault enablement converges and is reported with its age",
          "[local-state][macos-provider]") {
  DeviceState mac = ResetMac();
  mac.filevault = FileVaultState{};
  mac.filevault.status = FileVaultStatus::kOff;
  mac.filevault.personal_recovery_key = false;
  mac.filevault.recovery_key_escrowed = false;
  mac.filevault.institutional_recovery_key = false;
  test::OnFakeMac on(mac, "state-deferred");
  WithPasswords(on);
  std::string desired = WriteDesired(test::TempDir("state-deferred-desired"),
                                     "  alice: {}\nfilevault: {enabled: true}\n");
  test::CliRun first = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(first.out << first.err);
  REQUIRE(first.status == kExitOk);
  LocalState s = ReadState(on);
  REQUIRE(s.filevault_deferral.has_value());
  CHECK(s.filevault_deferral->user == "firstaccount");
  CHECK(s.filevault_deferral->since == "2026-11-28T09:00:00Z");

  on.now = "2026-11-30T09:00:00Z";
  test::CliRun second = on.Run({"plan", "-f", desired, "--detailed-exitcode"}, kEnv);
  INFO(second.out << second.err);
  CHECK(second.status == kExitOk);
  // Pending, with its age: not done.
  CHECK(second.out.find("FileVault enablement is pending since 2026-11-28T09:00:00Z, not done") !=
        std::string::npos);
  CHECK(second.err.find("FileVault enablement deferred to firstaccount's logout is still pending "
                        "after 2 days (since 2026-11-28T09:00:00Z)") != std::string::npos);
  test::CliRun observe = on.Run({"observe", "--explain"});
  CHECK(observe.err.find("FileVault: enablement deferred to firstaccount's logout, pending since "
                         "2026-11-28T09:00:00Z") != std::string::npos);
}

TEST_CASE("a hand-edited, foreign or loose state file is ignored with a warning, never trusted",
          "[local-state][macos-provider]") {
  struct Case {
    const char* name;
    std::string text;
    int mode;
    const char* warning;
  };
  const std::string valid =
      R"({"accord_local_state": 1, "accounts": [{"user": "alice", "guid": null,
  "password_set_from": "env ALICE_NEW", "filevault_out_of_step": false,
  "keychain_out_of_step": false, "since": "2026-11-01T00:00:00Z"}], "pending": [],
  "filevault_deferral": null, "escrow_confirmed": null})";
  std::vector<Case> cases = {
      {"corrupt", "{\"accord_local_state\": 1, \"accounts\": [", 0600, "1:"},
      {"wrong version", R"({"accord_local_state": 7})", 0600,
       "format 7; this Accord reads local state format 1"},
      {"unknown field", R"({"accord_local_state": 1, "trust_me": true})", 0600,
       "unknown field 'trust_me'"},
      {"loose mode", valid, 0644, "has mode 0644: others could read or change it"},
  };
  std::string desired = WriteDesired(test::TempDir("state-bad-desired"), kResetAlice);
  for (const Case& c : cases) {
    INFO(c.name);
    test::OnFakeMac on(ResetMac(), "state-bad");
    WithPasswords(on);
    std::filesystem::create_directory(on.state_dir);
    std::filesystem::permissions(on.state_dir, std::filesystem::perms::owner_all);
    test::WriteFile(on.StateFile(), c.text);
    ::chmod(on.StateFile().c_str(), static_cast<mode_t>(c.mode));
    test::CliRun plan = on.Run({"plan", "-f", desired}, kEnv);
    INFO(plan.err);
    CHECK(plan.status == kExitOk);
    CHECK(plan.err.find("accord: warning: ignored the local state file " + on.StateFile()) == 0);
    CHECK(plan.err.find(c.warning) != std::string::npos);
    // Nothing it said was believed: the reset is planned as if never done.
    CHECK(plan.out.find("reset the password of alice") != std::string::npos);
  }
  // Owned by another user (needs root to arrange: CI and this machine run
  // the suite as root; elsewhere it is said and skipped).
  if (::geteuid() == 0) {
    test::OnFakeMac on(ResetMac(), "state-foreign");
    WithPasswords(on);
    std::filesystem::create_directory(on.state_dir);
    std::filesystem::permissions(on.state_dir, std::filesystem::perms::owner_all);
    test::WriteFile(on.StateFile(), valid);
    ::chmod(on.StateFile().c_str(), 0600);
    REQUIRE(::chown(on.StateFile().c_str(), 65534, 65534) == 0);
    test::CliRun plan = on.Run({"plan", "-f", desired}, kEnv);
    CHECK(plan.err.find("ignored the local state file " + on.StateFile() +
                        ": it is owned by uid 65534, not by uid 0") != std::string::npos);
    CHECK(plan.out.find("reset the password of alice") != std::string::npos);
  } else {
    WARN("not root: the foreign-owner case of the state file is not exercised");
  }
  // The same valid text, root-only, is believed.
  test::OnFakeMac on(ResetMac(), "state-good");
  WithPasswords(on);
  std::filesystem::create_directory(on.state_dir);
  std::filesystem::permissions(on.state_dir, std::filesystem::perms::owner_all);
  test::WriteFile(on.StateFile(), valid);
  ::chmod(on.StateFile().c_str(), 0600);
  test::CliRun plan = on.Run({"plan", "-f", desired, "--detailed-exitcode"}, kEnv);
  CHECK(plan.err.empty());
  CHECK(plan.status == kExitOk);
}

}  // namespace accord

namespace accord {

TEST_CASE("a grant Accord made counts as in step only until the password is set again",
          "[local-state][macos-provider]") {
  DeviceState mac = ResetMac();
  mac.filevault.institutional_recovery_key = false;
  mac.users.push_back(test::StandardUser("bob", 503));
  test::OnFakeMac on(mac, "state-in-step");
  WithPasswords(on);
  std::string desired =
      WriteDesired(test::TempDir("state-in-step-desired"),
                   "  alice: {}\n  bob: {secure_token: true, password: {env: BOB}}\n");
  std::map<std::string, std::string> env = kEnv;
  env["BOB"] = "Bob-Old-0";
  REQUIRE(on.Run({"apply", "-f", desired, "--auto-approve"}, env).status == kExitOk);
  LocalState s = ReadState(on);
  REQUIRE(s.accounts.size() == 1);
  CHECK(s.accounts[0].user == "bob");
  CHECK(s.accounts[0].filevault_in_step);
  CHECK(s.accounts[0].password_last_set == "1700000000.5");
  // The file as written (schemas/local-state.schema.json checks this copy).
  test::CompareGolden("real-mac/state.json", test::ReadFile(on.StateFile()));

  test::CliRun unlockers = on.Run({"unlockers"});
  CHECK(unlockers.out.find("bob") != std::string::npos);
  test::CliRun observe = on.Run({"observe", "--explain"});
  CHECK(observe.err.find("bob: FileVault password in step: Accord granted the token with it") !=
        std::string::npos);

  // Someone sets bob's password by hand: the marker moves, the claim ends.
  DeviceState now = on.mac.state();
  for (ObservedUser& u : now.users) {
    if (u.name == "bob") u.password_last_set = "1764999999.5";
  }
  on.mac = test::FakeMac(now);
  observe = on.Run({"observe", "--explain"});
  CHECK(observe.err.find("bob: FileVault record dropped: the password was set again since Accord "
                         "granted the token (passwordLastSetTime 1764999999.5, recorded "
                         "1700000000.5)") != std::string::npos);
  CHECK(observe.out.find("\"filevault_password_in_sync\": true") == std::string::npos);
}

}  // namespace accord

namespace accord {

TEST_CASE("a rotated key is escrow-pending until the MDM confirms it, and its file survives",
          "[local-state][macos-provider][escrow]") {
  // The escrow payload installed: macOS writes the new key for the MDM,
  // which collects it later. Nothing on the Mac shows that it did.
  const std::string file = kRotateKey;
  DeviceState mac = RotatingMac();
  test::OnFakeMac on(mac, "state-escrow");
  WithPasswords(on);
  std::string desired = WriteDesired(test::TempDir("state-escrow-desired"), file);
  const std::string key_file = on.state_dir + "/pending-recovery-key.txt";
  test::CliRun plan = on.Run({"plan", "-f", desired}, kEnv);
  CHECK(plan.out.find("note: the new key is escrow-pending until the MDM confirms it") !=
        std::string::npos);
  test::CliRun apply = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(apply.out << apply.err);
  REQUIRE(apply.status == kExitOk);
  CHECK(apply.out.find("Escrow pending: the new key is escrow-pending") != std::string::npos);
  // The key was read from -outputplist's RecoveryKey, and kept.
  std::vector<std::string> rotation;
  for (const Command& c : on.mac.recorded()) {
    if (c.argv.size() > 1 && c.argv[1] == "changerecovery") rotation = c.argv;
  }
  CHECK(rotation == std::vector<std::string>{"/usr/bin/fdesetup", "changerecovery", "-personal",
                                             "-inputplist", "-outputplist"});
  REQUIRE(std::filesystem::exists(key_file));
  CHECK(test::ReadFile(key_file) == std::string(test::kFakeRecoveryKey) + "\n");
  CHECK(test::ReadFile(on.ApplyLog()).find("escrow-pending: kept in " + key_file) !=
        std::string::npos);
  CHECK(ReadState(on).escrow_pending == "2026-11-28T09:00:00Z");
  CHECK_FALSE(ReadState(on).escrow_verified.has_value());

  // Pending is no unlock path: unlockers says so, and what confirms it.
  test::CliRun unlockers = on.Run({"unlockers"});
  CHECK(unlockers.out.find("a new recovery key is escrow-pending since 2026-11-28T09:00:00Z") !=
        std::string::npos);
  CHECK(unlockers.out.find("the escrowed recovery key") == std::string::npos);
  test::CliRun observe = on.Run({"observe", "--explain"});
  CHECK(observe.err.find("FileVault: recovery key escrow-pending since 2026-11-28T09:00:00Z") !=
        std::string::npos);
  CHECK(observe.out.find("\"escrow_pending\": true") != std::string::npos);
  CHECK(observe.out.find("\"recovery_key_escrowed\": true") == std::string::npos);

  // An apply without the MDM's word keeps the file, and says why.
  on.now = "2026-11-28T10:00:00Z";
  test::CliRun again = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  CHECK(again.status == kExitOk);
  CHECK(again.err.find(key_file + " holds a FileVault recovery key (root-only), kept until the "
                                  "MDM confirms it holds the key") != std::string::npos);
  CHECK(std::filesystem::exists(key_file));
  CHECK(ReadState(on).escrow_pending == "2026-11-28T09:00:00Z");

  // The MDM's copy is older than the key: it may be the old key's. Refused,
  // and nothing changes.
  test::SetModified(key_file, "2026-11-28T09:00:00Z");
  const std::string state_before = test::ReadFile(on.StateFile());
  test::CliRun old_copy = on.Run(
      {"apply", "-f", desired, "--auto-approve", "--escrow-verified", "2026-11-28T08:59:59Z"},
      kEnv);
  CHECK(old_copy.status == kExitError);
  CHECK(old_copy.err.find("the MDM's copy is not at least five minutes newer") !=
        std::string::npos);
  CHECK(std::filesystem::exists(key_file));
  CHECK(test::ReadFile(on.StateFile()) == state_before);
  for (const char* bad : {"yesterday", "2026-11-28 09:00:00"}) {
    test::CliRun unreadable =
        on.Run({"apply", "-f", desired, "--auto-approve", "--escrow-verified", bad}, kEnv);
    CHECK(unreadable.status == kExitError);
    CHECK(unreadable.err.find("in UTC, as 2026-12-01T05:31:43Z") != std::string::npos);
  }

  // Fleet says "verified", its copy updated after the rotation: confirmed,
  // the file removed, and the key an unlock path from now on.
  on.now = "2026-11-28T12:00:00Z";
  test::CliRun verified = on.Run(
      {"apply", "-f", desired, "--auto-approve", "--escrow-verified", "2026-11-28T11:30:00Z"},
      kEnv);
  INFO(verified.out << verified.err);
  CHECK(verified.status == kExitOk);
  CHECK(verified.out.find("Escrow confirmed: the escrow-pending recovery key (since "
                          "2026-11-28T09:00:00Z) is confirmed") != std::string::npos);
  CHECK(verified.out.find("Removed " + key_file +
                          ": the MDM confirmed it holds the recovery key") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(key_file));
  CHECK_FALSE(ReadState(on).escrow_pending.has_value());
  CHECK(ReadState(on).escrow_verified == "2026-11-28T11:30:00Z");
  CHECK(on.Run({"unlockers"}).out.find("the escrowed recovery key") != std::string::npos);
}

TEST_CASE("an escrow an older Accord saw in FileVaultPRK.dat is not believed: pending from then",
          "[local-state][macos-provider][escrow]") {
  DeviceState mac = ResetMac();
  mac.mdm.recovery_key_escrow_payload = true;
  test::OnFakeMac on(mac, "state-escrow-legacy");
  std::filesystem::create_directories(on.state_dir);
  std::filesystem::permissions(on.state_dir, std::filesystem::perms::owner_all);
  test::WriteFile(on.StateFile(), R"({"accord_local_state": 1, "version": "0.9.0",
  "accounts": [], "pending": [], "filevault_deferral": null,
  "escrow_confirmed": "2026-11-01T09:00:00Z"})");
  std::filesystem::permissions(
      on.StateFile(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  test::CliRun observe = on.Run({"observe", "--explain"});
  INFO(observe.out << observe.err);
  CHECK(observe.err.find("escrow record of an older Accord (2026-11-01T09:00:00Z) read as "
                         "escrow-pending from then") != std::string::npos);
  CHECK(observe.out.find("\"recovery_key_escrowed\": true") == std::string::npos);
  CHECK(observe.out.find("\"escrow_pending_since\": \"2026-11-01T09:00:00Z\"") !=
        std::string::npos);
}

TEST_CASE("without the escrow payload a rotation is refused", "[local-state][macos-provider]") {
  const std::string file =
      "  alice: {}\nfilevault: {enabled: true, recovery_key: {personal: true}}\n";
  DeviceState mac = ResetMac();
  mac.filevault.personal_recovery_key = false;
  mac.mdm.enrolled = true;
  std::string desired = WriteDesired(test::TempDir("state-escrow-none-desired"), file);
  test::CliRun apply;
  // Enrolled without the payload: nothing would escrow the key, so the
  // rotation is refused.
  mac.mdm.recovery_key_escrow_payload = false;
  test::OnFakeMac alone(mac, "state-escrow-none");
  WithPasswords(alone);
  apply = alone.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(apply.out << apply.err);
  CHECK(apply.status == kExitRefused);
  CHECK(apply.out.find("rotate the FileVault recovery key  refused [escrow-before-enable]") !=
        std::string::npos);
  CHECK(alone.mac.state().filevault.personal_recovery_key == false);
}

TEST_CASE("a reset's unknown token ends when the Mac shows the token gone",
          "[local-state][macos-provider]") {
  test::OnFakeMac on(ResetMac(), "state-token-gone");
  WithPasswords(on);
  std::string desired = WriteDesired(test::TempDir("state-token-gone-desired"), kResetAlice);
  REQUIRE(on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv).status == kExitOk);
  REQUIRE(ReadState(on).accounts.at(0).token_unknown);
  // The Mac still lists alice as a crypto user: her token stays unknown.
  CHECK(on.Run({"observe"}).out.find("\"secure_token\": null") != std::string::npos);
  // As on macOS 15 and earlier, the reset removed it: now that is a fact.
  DeviceState now = on.mac.state();
  for (ObservedUser& u : now.users) {
    if (u.name == "alice") u.secure_token = false;
  }
  on.mac = test::FakeMac(now);
  WithPasswords(on);
  test::CliRun observe = on.Run({"observe", "--explain"});
  CHECK(observe.err.find("alice: SecureToken record dropped: the Mac shows no token now") !=
        std::string::npos);
  REQUIRE(on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv).status == kExitOk);
  for (const AccountRecord& r : ReadState(on).accounts) CHECK_FALSE(r.token_unknown);
}

}  // namespace accord

namespace accord {

TEST_CASE("a kept key is never overwritten, and a failed rotation quotes nothing it printed",
          "[local-state][macos-provider][escrow]") {
  const std::string file = kRotateKey;
  DeviceState mac = RotatingMac();
  std::string desired = WriteDesired(test::TempDir("state-keep-desired"), file);

  // A key an earlier rotation left (an older Accord's name): the rotation
  // waits for its escrow, and the file is as it was.
  test::OnFakeMac kept(mac, "state-keep-earlier");
  WithPasswords(kept);
  std::filesystem::create_directories(kept.state_dir);
  std::filesystem::permissions(kept.state_dir, std::filesystem::perms::owner_all);
  const std::string earlier = kept.state_dir + "/pending-recovery-key.txt";
  const std::string legacy = kept.state_dir + "/rotated-recovery-key.txt";
  test::WriteFile(earlier, "EARL-IERK-EY00-0000-0000-0000\n");
  test::WriteFile(legacy, "LEGA-CYKE-Y000-0000-0000-0000\n");
  test::CliRun waits = kept.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(waits.out << waits.err);
  CHECK(waits.status == kExitError);
  CHECK(waits.err.find("the recovery key was not rotated: " + earlier + " still holds the key") !=
        std::string::npos);
  CHECK(waits.err.find(legacy + " holds a FileVault recovery key (root-only), kept until") !=
        std::string::npos);
  CHECK(test::ReadFile(earlier) == "EARL-IERK-EY00-0000-0000-0000\n");
  CHECK(test::ReadFile(legacy) == "LEGA-CYKE-Y000-0000-0000-0000\n");
  for (const Command& c : kept.mac.recorded()) {
    CHECK_FALSE((c.argv.size() > 1 && c.argv[1] == "changerecovery"));
  }

  // fdesetup fails after printing: what it printed is kept (it may be the
  // new key), and neither stream is quoted.
  test::OnFakeMac failing(mac, "state-keep-failing");
  WithPasswords(failing);
  failing.mac.Inject("/usr/bin/fdesetup changerecovery -personal -inputplist -outputplist",
                     {26, "New personal recovery key = 'LEAK-ED00-0000-0000-0000-0000'\n",
                      "Error: Unable to change recovery key. LEAK-ED00-0000-0000-0000-0000\n"});
  test::CliRun failed = failing.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(failed.out << failed.err);
  CHECK(failed.status == kExitError);
  CHECK(failed.err.find("exited 26 (its output is not shown: it may hold a key)") !=
        std::string::npos);
  CHECK(failed.err.find("What it printed is kept in " + failing.state_dir +
                        "/pending-recovery-key.txt") != std::string::npos);
  for (const std::string& text : {failed.out, failed.err, test::ReadFile(failing.ApplyLog())}) {
    CHECK(text.find("LEAK-ED00") == std::string::npos);
  }
  CHECK(test::ReadFile(failing.state_dir + "/pending-recovery-key.txt").find("LEAK-ED00") !=
        std::string::npos);
}

}  // namespace accord

namespace accord {

TEST_CASE("the MDM's key itself confirms the kept key, and only that key",
          "[local-state][macos-provider][escrow]") {
  const std::string file = kRotateKey;
  DeviceState mac = RotatingMac();
  std::string desired = WriteDesired(test::TempDir("state-bykey-desired"), file);
  test::OnFakeMac on(mac, "state-bykey");
  WithPasswords(on);
  REQUIRE(on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv).status == kExitOk);
  const std::string key_file = on.state_dir + "/pending-recovery-key.txt";
  REQUIRE(std::filesystem::exists(key_file));
  std::map<std::string, std::string> env = kEnv;

  // Another key (the MDM still holds the old one): refused, nothing changes.
  env["FLEET_KEY"] = "OLDK-EY00-0000-0000-0000-0000";
  test::CliRun other =
      on.Run({"apply", "-f", desired, "--auto-approve", "--escrowed-key", "env:FLEET_KEY"}, env);
  CHECK(other.status == kExitError);
  CHECK(other.err.find("the key the MDM returned is not the key kept in " + key_file) !=
        std::string::npos);
  CHECK(std::filesystem::exists(key_file));
  CHECK(ReadState(on).escrow_pending.has_value());
  // On the Mac, but applying to a snapshot: refused, never ignored.
  const std::string snapshot = test::TempDir("state-bykey-snapshot") + "/device.json";
  test::WriteFile(snapshot, test::ReadFile(test::SourcePath("examples/fresh-mac/device.json")));
  CHECK(on.Run({"apply", "-f", desired, "--device", snapshot, "--auto-approve", "--escrowed-key",
                "env:FLEET_KEY"},
               env)
            .err.find("so it runs on the Mac") != std::string::npos);
  // Not a source; both ways at once.
  // The key itself, given by mistake in place of its source: never echoed.
  test::CliRun not_a_source = on.Run(
      {"apply", "-f", desired, "--auto-approve", "--escrowed-key", test::kFakeRecoveryKey}, env);
  CHECK(not_a_source.err.find("expected env:NAME, file:PATH or keychain:SERVICE") !=
        std::string::npos);
  CHECK((not_a_source.out + not_a_source.err).find(test::kFakeRecoveryKey) == std::string::npos);
  CHECK(on.Run({"apply", "-f", desired, "--auto-approve", "--escrowed-key", "env:FLEET_KEY",
                "--escrow-verified", "2026-11-28T11:00:00Z"},
               env)
            .status == kExitError);

  // The key itself, as Fleet returns it: confirmed, the file removed, and
  // the key never printed.
  env["FLEET_KEY"] = test::kFakeRecoveryKey;
  test::CliRun same =
      on.Run({"apply", "-f", desired, "--auto-approve", "--escrowed-key", "env:FLEET_KEY"}, env);
  INFO(same.out << same.err);
  CHECK(same.status == kExitOk);
  CHECK(same.out.find("Escrow confirmed: the key the MDM returned is the key kept in " +
                      key_file) != std::string::npos);
  CHECK(same.out.find("Removed " + key_file + ": the MDM's key is the key it held.") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(key_file));
  CHECK_FALSE(ReadState(on).escrow_pending.has_value());
  CHECK(ReadState(on).escrow_verified == on.now);
  CHECK(test::ReadFile(on.ApplyLog()).find("\"before_steps\":[\"Escrow confirmed") !=
        std::string::npos);
  for (const std::string& text : {same.out, same.err, test::ReadFile(on.ApplyLog())}) {
    CHECK(text.find(test::kFakeRecoveryKey) == std::string::npos);
  }
  // Nothing kept any more: nothing to compare with.
  CHECK(on.Run({"apply", "-f", desired, "--auto-approve", "--escrowed-key", "env:FLEET_KEY"}, env)
            .err.find("Accord keeps no key on this Mac to compare it with") != std::string::npos);
}

}  // namespace accord
