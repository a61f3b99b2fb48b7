// SPDX-License-Identifier: Apache-2.0
// Canary secrets: distinctive passwords in every source Accord reads them
// from (env, file, System keychain), and every verb run over them, with the
// debug log on. None may appear in stdout, stderr (the log included), the
// snapshot, a saved plan, the local state file, the apply log, or any argv
// the fake Mac recorded; on the fake Mac they travel on stdin only, where
// the tools read them. A recovery key fdesetup prints or writes reaches
// none of them either, nor any file Accord leaves behind, but for the
// root-only deferral plist until the key is escrowed.
#include <spdlog/sinks/ostream_sink.h>

#include <filesystem>
#include <sstream>

#include "cli/verbs.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

const std::string kEnvCanary = "Canary-Env-7f3a9";
const std::string kFileCanary = "Canary-File-91c2e";
const std::string kNewCanary = "Canary-Reset-5d0b4";
const std::string kKeychainCanary = "Canary-Keychain-e81f0";

// A canary password, or the recovery key the fake Mac's fdesetup prints.
bool Leaks(const std::string& text) {
  return text.find("Canary-") != std::string::npos ||
         text.find(test::kFakeRecoveryKey) != std::string::npos;
}

// The only-admin replacement, with the authority's password in the
// environment and the new admin's in a file, plus a reset from another
// variable.
struct Workspace {
  std::string dir, desired, device, plan;
};

Workspace Make() {
  Workspace w;
  w.dir = test::TempDir("canary");
  w.desired = w.dir + "/desired.yaml";
  w.device = w.dir + "/device.json";
  w.plan = w.dir + "/saved.plan";
  test::WriteFile(w.desired, R"(accord: 1
authority: {user: oldadmin, password: {env: OLDADMIN_PASSWORD}}
users:
  oldadmin: {ensure: absent}
  newadmin: {full_name: New Admin, role: admin, secure_token: true, password: {file: newadmin.secret}}
)");
  test::WriteSecretFile(w.dir + "/newadmin.secret", kFileCanary + "\n");
  test::WriteFile(w.device,
                  test::ReadFile(test::SourcePath("examples/replace-only-admin/device.json")));
  return w;
}

const std::map<std::string, std::string> kEnv = {{"OLDADMIN_PASSWORD", kEnvCanary},
                                                 {"NEW_PASSWORD", kNewCanary}};

}  // namespace

TEST_CASE("canary secrets reach no output, log, plan, snapshot or argv", "[cli][secrets]") {
  Workspace w = Make();
  std::vector<std::vector<std::string>> runs = {
      {"-v", "validate", w.desired, w.device},
      {"-v", "plan", "-f", w.desired, "--device", w.device},
      {"-v", "plan", "-f", w.desired, "--device", w.device, "--json"},
      {"-v", "plan", "-f", w.desired, "--device", w.device, "--explain"},
      {"-v", "plan", "-f", w.desired, "--device", w.device, "--out", w.plan},
      {"-v", "graph", "-f", w.desired, "--device", w.device},
      {"-v", "unlockers", "--device", w.device},
      {"-v", "observe", "--device", w.device},
      {"-v", "apply", w.plan},
      {"-v", "plan", "-f", w.desired, "--device", w.device},
  };
  for (const auto& args : runs) {
    test::CliRun run = test::RunAccord(args, kEnv);
    INFO(args[1]);
    CHECK_FALSE(Leaks(run.out));
    CHECK_FALSE(Leaks(run.err));
  }
  // The saved plan was applied: the secrets were read and used.
  CHECK(test::ReadFile(w.device).find("\"newadmin\"") != std::string::npos);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(w.dir)) {
    if (!entry.is_regular_file() || entry.path().filename() == "newadmin.secret") continue;
    INFO(entry.path());
    CHECK_FALSE(Leaks(test::ReadFile(entry.path().string())));
  }
}

TEST_CASE("canary secrets on the fake Mac travel on stdin only", "[cli][secrets][macos-provider]") {
  Workspace w = Make();
  test::WriteFile(w.desired, test::ReadFile(w.desired) +
                                 "  alice: {password: {env: NEW_PASSWORD}, password_update: reset, "
                                 "allow_keychain_reset: true}\n"
                                 "  carol: {password: {keychain: com.example.carol}, "
                                 "password_update: reset, allow_keychain_reset: true}\n");
  DeviceState mac_state = test::Device(test::ReadFile(w.device));
  mac_state.users.push_back(test::StandardUser("alice", 777));
  mac_state.users.push_back(test::StandardUser("carol", 778));
  test::OnFakeMac on(mac_state, "canary-mac");
  on.mac.SetPassword("oldadmin", kEnvCanary);
  on.mac.SetKeychainItem("com.example.carol", kKeychainCanary);
  test::CliRun run = on.Run({"-v", "apply", "-f", w.desired}, kEnv, "yes\n");
  INFO(run.out << run.err);
  CHECK(run.status == kExitOk);
  CHECK(run.out.find("Apply complete") != std::string::npos);
  CHECK_FALSE(Leaks(run.out));
  CHECK_FALSE(Leaks(run.err));
  for (const auto& entry : std::filesystem::directory_iterator(on.state_dir)) {
    INFO(entry.path());
    CHECK_FALSE(Leaks(test::ReadFile(entry.path().string())));
  }
  const test::FakeMac& mac = on.mac;
  std::string stdin_seen;
  for (const Command& c : mac.recorded()) {
    INFO(c.Display());
    for (const std::string& arg : c.argv) CHECK_FALSE(Leaks(arg));
    CHECK_FALSE(Leaks(c.Display()));
    stdin_seen += c.stdin_data;
  }
  // Each secret was used, on stdin.
  CHECK(stdin_seen.find(kEnvCanary) != std::string::npos);
  CHECK(stdin_seen.find(kFileCanary) != std::string::npos);
  CHECK(stdin_seen.find(kNewCanary) != std::string::npos);
  CHECK(stdin_seen.find(kKeychainCanary) != std::string::npos);
  // The state file and the apply log were written, and hold none of them.
  CHECK(std::filesystem::exists(on.StateFile()));
  CHECK(std::filesystem::exists(on.ApplyLog()));
  // apply --json prints the same record: no secret either.
  test::CliRun json = on.Run({"apply", "-f", w.desired, "--auto-approve", "--json"}, kEnv);
  CHECK_FALSE(Leaks(json.out));
  CHECK_FALSE(Leaks(json.err));
}

TEST_CASE("canary: OpenDirectory password changes and fdesetup's recovery keys leak nowhere",
          "[cli][secrets][macos-provider]") {
  const std::map<std::string, std::string> env = {{"AUTH", "Canary-Auth-33c1"},
                                                  {"DAVE_OLD", "Canary-Old-8e2d"},
                                                  {"DAVE_NEW", "Canary-Changed-a4f7"}};
  std::string desired = test::TempDir("canary-keys") + "/desired.yaml";
  test::WriteFile(desired, R"(accord: 1
authority: {user: firstaccount, password: {env: AUTH}}
users:
  firstaccount: {role: admin, secure_token: true}
  dave: {password: {env: DAVE_NEW}, old_password: {env: DAVE_OLD}, password_update: change}
filevault: {enabled: true, recovery_key: {personal: true, escrow: required}}
)");
  // `allowed`: the one key file that may hold the key at this point.
  auto check_all = [](test::OnFakeMac& on, const test::CliRun& run, const std::string& allowed) {
    INFO(run.out << run.err);
    CHECK_FALSE(Leaks(run.out));
    CHECK_FALSE(Leaks(run.err));
    for (const auto& entry : std::filesystem::directory_iterator(on.state_dir)) {
      if (entry.path().filename() == allowed) continue;
      INFO(entry.path());
      CHECK_FALSE(Leaks(test::ReadFile(entry.path().string())));
    }
    for (const Command& c : on.mac.recorded()) {
      for (const std::string& arg : c.argv) CHECK_FALSE(Leaks(arg));
    }
  };
  // A change through OpenDirectory and a deferred enablement; then the
  // enablement completes, writing the key into the deferral plist, which
  // stays until the MDM confirms it holds the key.
  DeviceState off =
      test::Device(test::ReadFile(test::SourcePath("examples/fresh-mac/device.json")));
  off.mdm.enrolled = true;
  off.mdm.recovery_key_escrow_payload = true;
  off.users.push_back(test::StandardUser("dave", 502));
  test::OnFakeMac on(off, "canary-keys-mac");
  on.mac.SetPassword("firstaccount", env.at("AUTH"));
  on.mac.SetPassword("dave", env.at("DAVE_OLD"));
  test::CliRun first = on.Run({"-v", "apply", "-f", desired, "--auto-approve"}, env);
  CHECK(first.status == kExitOk);
  CHECK(on.mac.Verify("dave", Secret(env.at("DAVE_NEW"))).check == PasswordCheck::kAccepted);
  check_all(on, first, "filevault-deferral-key.plist");
  on.mac.CompleteDeferredEnablement();
  test::CliRun second = on.Run({"-v", "apply", "-f", desired, "--auto-approve", "--json"}, env);
  CHECK(second.status == kExitOk);
  CHECK(std::filesystem::exists(on.state_dir + "/filevault-deferral-key.plist"));  // pending
  check_all(on, second, "filevault-deferral-key.plist");
  test::SetModified(on.state_dir + "/filevault-deferral-key.plist", "2026-11-28T09:00:00Z");
  on.now = "2026-11-28T13:00:00Z";
  test::CliRun third = on.Run({"-v", "apply", "-f", desired, "--auto-approve", "--json",
                               "--escrow-verified", "2026-11-28T12:00:00Z"},
                              env);
  CHECK(third.status == kExitOk);
  CHECK_FALSE(std::filesystem::exists(on.state_dir + "/filevault-deferral-key.plist"));
  check_all(on, third, "");

  // A rotation: fdesetup prints the new key in a plist on stdout
  // (-outputplist). The key is kept in the root-only file (the only place
  // it may be), named, and stays there while it is escrow-pending.
  DeviceState on_mac = off;
  on_mac.filevault.status = FileVaultStatus::kOn;
  on_mac.filevault.personal_recovery_key = false;
  test::OnFakeMac rotating(on_mac, "canary-keys-rotate");
  rotating.mac.SetPassword("firstaccount", env.at("AUTH"));
  rotating.mac.SetPassword("dave", env.at("DAVE_OLD"));
  test::CliRun rotated = rotating.Run({"-v", "apply", "-f", desired, "--auto-approve"}, env);
  const std::string key_file = rotating.state_dir + "/pending-recovery-key.txt";
  CHECK(rotated.status == kExitOk);
  CHECK(rotated.out.find("rotate the FileVault recovery key") != std::string::npos);
  CHECK(rotating.mac.state().filevault.personal_recovery_key == true);
  check_all(rotating, rotated, "pending-recovery-key.txt");
  CHECK(test::ReadFile(rotating.ApplyLog()).find("kept in " + key_file + " (root-only)") !=
        std::string::npos);
  REQUIRE(std::filesystem::exists(key_file));
  CHECK(test::ReadFile(key_file) == std::string(test::kFakeRecoveryKey) + "\n");
  CHECK((std::filesystem::status(key_file).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  CHECK((std::filesystem::status(rotating.state_dir).permissions() & std::filesystem::perms::all) ==
        std::filesystem::perms::owner_all);
  test::CliRun again = rotating.Run({"-v", "apply", "-f", desired, "--auto-approve"}, env);
  CHECK(again.err.find(key_file + " holds a FileVault recovery key (root-only), kept until") !=
        std::string::npos);
  CHECK(std::filesystem::exists(key_file));
  check_all(rotating, again, "pending-recovery-key.txt");
  // The MDM confirms a copy newer than the file: the next apply removes it.
  test::SetModified(key_file, "2026-11-28T09:00:00Z");
  rotating.now = "2026-11-28T13:00:00Z";
  test::CliRun tidied = rotating.Run(
      {"-v", "apply", "-f", desired, "--auto-approve", "--escrow-verified", "2026-11-28T12:00:00Z"},
      env);
  CHECK(tidied.status == kExitOk);
  CHECK(tidied.out.find("Removed " + key_file + ": the MDM confirmed it holds the recovery key") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(key_file));
  check_all(rotating, tidied, "");
}

}  // namespace accord
