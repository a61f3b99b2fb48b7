// SPDX-License-Identifier: Apache-2.0
// The record of applies on a (fake) Mac: one JSON line per apply in a
// root-only log, `apply --json` printing the same document, rotation at a
// size bound; keychain secrets resolved before the first step; and a kill
// before any command of a long apply leaving the state file and the log
// valid, with the next apply converging.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli.h"
#include "state/local_state_codec.h"
#include "state/state_store.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

const std::map<std::string, std::string> kEnv = {{"OLDADMIN_PASSWORD", "Old-Pw-1"},
                                                 {"NEWADMIN_PASSWORD", "New-Pw-2"},
                                                 {"ALICE_NEW", "Alice-New-3"}};

// A long apply: a new admin with a token, the old admin deleted, and a
// reset of alice's password from the System keychain.
std::string LongDesired() {
  std::string dir = test::TempDir("long-apply-desired");
  test::WriteFile(dir + "/desired.yaml", R"(accord: 1
authority: {user: oldadmin, password: {env: OLDADMIN_PASSWORD}}
users:
  oldadmin: {ensure: absent}
  newadmin: {full_name: New Admin, role: admin, secure_token: true, password: {env: NEWADMIN_PASSWORD}}
  alice: {shell: /bin/bash, password: {keychain: com.example.alice}, password_update: reset, allow_keychain_reset: true}
)");
  return dir + "/desired.yaml";
}

DeviceState LongMac() {
  DeviceState s =
      test::Device(test::ReadFile(test::SourcePath("examples/replace-only-admin/device.json")));
  s.users.push_back(test::StandardUser("alice", 777));
  return s;
}

void Prepare(test::FakeMac& mac) {
  mac.SetPassword("oldadmin", kEnv.at("OLDADMIN_PASSWORD"));
  mac.SetKeychainItem("com.example.alice", "Alice-Keychain-4");
}

std::vector<nlohmann::json> LogLines(const std::string& path) {
  std::vector<nlohmann::json> lines;
  if (!std::filesystem::exists(path)) return lines;
  std::istringstream in(test::ReadFile(path));
  for (std::string line; std::getline(in, line);) {
    INFO(line);
    REQUIRE_NOTHROW(lines.push_back(nlohmann::json::parse(line)));
  }
  return lines;
}

}  // namespace

TEST_CASE("each apply on a Mac appends one JSON line, apply --json prints the same record",
          "[apply-log][macos-provider]") {
  test::OnFakeMac on(LongMac(), "apply-log");
  Prepare(on.mac);
  const std::string desired = LongDesired();
  test::CliRun json = on.Run({"apply", "-f", desired, "--auto-approve", "--json"}, kEnv);
  INFO(json.out << json.err);
  CHECK(json.status == kExitOk);
  std::vector<nlohmann::json> lines = LogLines(on.ApplyLog());
  REQUIRE(lines.size() == 1);
  // stdout is exactly the logged document.
  CHECK(nlohmann::json::parse(json.out) == lines[0]);
  const nlohmann::json& record = lines[0];
  CHECK(record["accord_apply"] == 1);
  CHECK(record["time"] == "2026-11-28T09:00:00Z");
  CHECK(record["mac"] == "lab-mac-07");
  CHECK(record["desired_file"] == desired);
  CHECK(record["result"] == "complete");
  CHECK(record["desired_fingerprint"].get<std::string>().size() == 64);  // SHA-256
  std::vector<std::string> ids, results;
  for (const auto& step : record["steps"]) {
    ids.push_back(step["id"]);
    results.push_back(step["result"]);
  }
  CHECK(ids == std::vector<std::string>{"create_user:newadmin", "grant_token:newadmin",
                                        "set_attribute:alice:shell", "reset_password:alice",
                                        "delete_user:oldadmin"});
  CHECK(results == std::vector<std::string>(5, "done"));
  CHECK(record["steps"][1]["detail"] == "observed the Mac again: the change took");
  CHECK(record["steps"][3]["detail"] == "alice logs in with the new password");
  // The Mac before and after: the accounts as planned from, and as the
  // observation commands read them once the steps ran.
  auto names = [](const nlohmann::json& snapshot) {
    std::vector<std::string> out;
    for (const auto& u : snapshot["users"]) out.push_back(u["name"]);
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(names(record["before"]) == std::vector<std::string>{"alice", "oldadmin"});
  CHECK(names(record["after"]) == std::vector<std::string>{"alice", "newadmin"});
  CHECK(record["after"]["filevault"] == record["before"]["filevault"]);
  for (const char* secret : {"Old-Pw-1", "New-Pw-2", "Alice-New-3", "Alice-Keychain-4"}) {
    CHECK(json.out.find(secret) == std::string::npos);
  }
  struct stat st {};
  REQUIRE(::stat(on.ApplyLog().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  // A second apply: nothing to do, and a second line says so.
  test::CliRun again = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  CHECK(again.out.find("Nothing to apply.") != std::string::npos);
  lines = LogLines(on.ApplyLog());
  REQUIRE(lines.size() == 2);
  CHECK(lines[1]["result"] == "nothing_to_do");
  CHECK(lines[1]["after"].is_null());  // no step ran: nothing observed again

  // --json never prompts: without approval it is an error, and it is logged.
  test::OnFakeMac fresh(LongMac(), "apply-log-unapproved");
  Prepare(fresh.mac);
  test::CliRun unapproved = fresh.Run({"apply", "-f", desired, "--json"}, kEnv, "yes\n");
  CHECK(unapproved.status == kExitError);
  CHECK(unapproved.err.find("apply --json cannot ask for approval") != std::string::npos);
  CHECK(nlohmann::json::parse(unapproved.out)["result"] == "cancelled");
  CHECK(fresh.mac.writes() == 1);  // the Full Disk Access probe only
}

TEST_CASE("the apply log is rotated at its size bound", "[apply-log]") {
  std::string dir = test::TempDir("apply-log-rotation");
  for (int i = 0; i < 5; ++i) {
    REQUIRE(AppendApplyLog(dir, "{\"n\": " + std::to_string(i) + "}", 30).ok());
  }
  // Each line is 9 bytes: three fit under 30, then the log starts over.
  CHECK(test::ReadFile(dir + "/apply.log") == "{\"n\": 3}\n{\"n\": 4}\n");
  CHECK(test::ReadFile(dir + "/apply.log.1") == "{\"n\": 0}\n{\"n\": 1}\n{\"n\": 2}\n");
}

TEST_CASE("a keychain secret is read before the first step, a missing one changes nothing",
          "[apply-log][secrets][macos-provider]") {
  const std::string desired = LongDesired();
  test::OnFakeMac on(LongMac(), "keychain-missing");
  on.mac.SetPassword("oldadmin", kEnv.at("OLDADMIN_PASSWORD"));  // no keychain item
  test::CliRun run = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(run.out << run.err);
  CHECK(run.status == kExitError);
  CHECK(run.out.find("Apply stopped before the first step: 1 secret could not be used (see the "
                     "errors above). Nothing was changed.") != std::string::npos);
  CHECK(run.err.find("the secret from keychain com.example.alice is not in the System keychain "
                     "(security exited 44: security: SecKeychainSearchCopyNext: The specified "
                     "item could not be found in the keychain.)") != std::string::npos);
  CHECK(on.mac.state() == test::FakeMac(LongMac()).state());
  CHECK(LogLines(on.ApplyLog()).back()["result"] == "stopped_before_first_step");

  // On the simulated Mac there is no keychain: said before the first step.
  std::string device = test::TempDir("keychain-sim") + "/device.json";
  test::WriteFile(device,
                  test::ReadFile(test::SourcePath("examples/replace-only-admin/device.json")));
  test::CliRun sim =
      test::RunAccord({"apply", "-f", desired, "--device", device, "--auto-approve"}, kEnv);
  CHECK(sim.status == kExitError);
  CHECK(sim.err.find("the secret from keychain com.example.alice is read from the System keychain "
                     "of the Mac Accord runs on; this apply is not to a Mac") != std::string::npos);
}

TEST_CASE(
    "a kill before any command of a long apply leaves valid files, and the next apply "
    "converges",
    "[apply-log][local-state][macos-provider]") {
  const std::string desired = LongDesired();
  test::OnFakeMac whole(LongMac(), "kill-count");
  Prepare(whole.mac);
  REQUIRE(whole.Run({"apply", "-f", desired, "--auto-approve"}, kEnv).status == kExitOk);
  const int writes = whole.mac.writes();
  REQUIRE(writes == 7);  // the probe, then create (2 commands), grant, shell, reset, delete
  for (int k = 0; k < writes; ++k) {
    INFO("killed before write " << k);
    test::OnFakeMac on(LongMac(), "kill-at");
    Prepare(on.mac);
    on.mac.KillBeforeWrite(k);
    CHECK_THROWS_AS(on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv),
                    test::FakeMac::Killed);
    if (std::filesystem::exists(on.StateFile())) {
      CHECK(ParseLocalState(test::ReadFile(on.StateFile()), on.StateFile()).ok());
    }
    LogLines(on.ApplyLog());  // every line that exists parses
    for (const auto& entry : std::filesystem::directory_iterator(on.state_dir)) {
      CHECK(entry.path().extension() != ".tmp");
    }
    on.mac.KillBeforeWrite(-1);
    test::CliRun next = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
    INFO(next.out << next.err);
    CHECK(next.status == kExitOk);
    test::CliRun settled = on.Run({"plan", "-f", desired, "--detailed-exitcode"}, kEnv);
    INFO(settled.out);
    CHECK(settled.status == kExitOk);
  }
}

}  // namespace accord
