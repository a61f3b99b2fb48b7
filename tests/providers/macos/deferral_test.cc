// SPDX-License-Identifier: Apache-2.0
// A deferred FileVault enablement on a (fake) real Mac: the -defer file,
// which fdesetup(8) fills with the recovery key as the enablement completes,
// lives in Accord's root-only folder, is made 0600, is never read or logged,
// and is removed only once the MDM confirms it holds the key; the enabling
// user must be one who logs in at the Mac's screen.
#include <sys/stat.h>

#include <filesystem>

#include "cli/cli.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

const std::map<std::string, std::string> kEnv = {{"AUTH", "Auth-Pw-1"}};

// FileVault off; `escrow`: enrolled with a recovery-key escrow payload
// installed, else neither.
DeviceState OffMac(bool escrow) {
  DeviceState s = test::Device(test::ReadFile(test::SourcePath("examples/fresh-mac/device.json")));
  s.mdm.enrolled = escrow;
  s.mdm.recovery_key_escrow_payload = escrow;
  return s;
}

std::string Desired(const std::string& dir, const std::string& authority_extra = "") {
  std::string path = test::TempDir(dir) + "/desired.yaml";
  test::WriteFile(path,
                  "accord: 1\nauthority: {user: firstaccount, password: {env: AUTH}}\n"
                  "users:\n  firstaccount: {role: admin, secure_token: true" +
                      authority_extra +
                      "}\nfilevault: {enabled: true, recovery_key: {personal: true}}\n");
  return path;
}

int Mode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 0777);
}

}  // namespace

TEST_CASE("the deferral plist is root-only, never shown, and removed once the MDM confirms it",
          "[deferral][macos-provider][escrow]") {
  test::OnFakeMac on(OffMac(true), "deferral-escrowed");
  on.mac.SetPassword("firstaccount", kEnv.at("AUTH"));
  std::string desired = Desired("deferral-escrowed-desired");
  test::CliRun first = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(first.out << first.err);
  REQUIRE(first.status == kExitOk);
  const std::string plist = on.state_dir + "/filevault-deferral-key.plist";
  bool named = false;
  for (const Command& c : on.mac.recorded()) {
    for (const std::string& a : c.argv) named = named || a == plist;
  }
  CHECK(named);  // -defer points into Accord's root-only folder

  // firstaccount logs out: FileVault turns on and the key lands in the file.
  // macOS writes its copy for the MDM, which has not confirmed it: pending,
  // and the file stays.
  on.mac.CompleteDeferredEnablement();
  REQUIRE(std::filesystem::exists(plist));
  CHECK(Mode(plist) == 0644);  // as the fake fdesetup left it
  on.now = "2026-11-28T10:00:00Z";
  test::CliRun second = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(second.out << second.err);
  CHECK(second.status == kExitOk);
  REQUIRE(std::filesystem::exists(plist));
  CHECK(Mode(plist) == 0600);
  CHECK(second.err.find("the recovery key is escrow-pending since 2026-11-28T09:00:00Z") !=
        std::string::npos);
  CHECK(test::ReadFile(on.StateFile()).find("\"escrow_pending\": \"2026-11-28T09:00:00Z\"") !=
        std::string::npos);

  // Fleet reports the host's disk encryption "verified", its copy updated
  // after the file was written: the file goes.
  test::SetModified(plist, "2026-11-28T09:30:00Z");
  on.now = "2026-11-28T12:00:00Z";
  test::CliRun third = on.Run(
      {"apply", "-f", desired, "--auto-approve", "--escrow-verified", "2026-11-28T11:00:00Z"},
      kEnv);
  INFO(third.out << third.err);
  CHECK(third.status == kExitOk);
  CHECK_FALSE(std::filesystem::exists(plist));
  CHECK(third.out.find("Removed " + plist + ": the MDM confirmed it holds the recovery key") !=
        std::string::npos);
  CHECK(test::ReadFile(on.StateFile()).find("\"escrow_verified\": \"2026-11-28T11:00:00Z\"") !=
        std::string::npos);
  for (const std::string& text :
       {first.out, first.err, second.out, second.err, third.out, third.err,
        test::ReadFile(on.ApplyLog()), test::ReadFile(on.StateFile())}) {
    CHECK(text.find(test::kFakeRecoveryKey) == std::string::npos);
  }
}

TEST_CASE("an apply stopped by bad input leaves the deferral plist as it was",
          "[deferral][macos-provider]") {
  test::OnFakeMac on(OffMac(true), "deferral-untouched");
  on.mac.SetPassword("firstaccount", kEnv.at("AUTH"));
  std::string desired = Desired("deferral-untouched-desired");
  REQUIRE(on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv).status == kExitOk);
  on.mac.CompleteDeferredEnablement();
  const std::string plist = on.state_dir + "/filevault-deferral-key.plist";
  on.mac.SetPassword("firstaccount", "Changed-By-Hand");  // the file's password is now wrong
  test::CliRun run = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(run.out << run.err);
  CHECK(run.status == kExitError);
  CHECK(run.err.find("nothing was changed") != std::string::npos);
  REQUIRE(std::filesystem::exists(plist));
  CHECK(Mode(plist) == 0644);
}

TEST_CASE("without escrow the deferral plist is kept root-only, with a warning",
          "[deferral][macos-provider]") {
  test::OnFakeMac on(OffMac(false), "deferral-kept");
  on.mac.SetPassword("firstaccount", kEnv.at("AUTH"));
  std::string desired = test::TempDir("deferral-kept-desired") + "/desired.yaml";
  test::WriteFile(desired,
                  "accord: 1\nauthority: {user: firstaccount, password: {env: AUTH}}\n"
                  "users:\n  firstaccount: {role: admin, secure_token: true}\n"
                  "filevault: {enabled: true}\n");
  REQUIRE(on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv).status == kExitOk);
  on.mac.CompleteDeferredEnablement();
  const std::string plist = on.state_dir + "/filevault-deferral-key.plist";
  test::CliRun run = on.Run({"apply", "-f", desired, "--auto-approve"}, kEnv);
  INFO(run.out << run.err);
  REQUIRE(std::filesystem::exists(plist));
  CHECK(Mode(plist) == 0600);
  CHECK(run.err.find(plist + " holds a FileVault recovery key (root-only), kept until the MDM "
                             "confirms it holds the key: no escrow of it is recorded as pending") !=
        std::string::npos);
  CHECK(run.out.find(test::kFakeRecoveryKey) == std::string::npos);
  CHECK(run.err.find(test::kFakeRecoveryKey) == std::string::npos);
}

TEST_CASE("FileVault is not deferred to a user who never logs in at the Mac", "[deferral]") {
  test::OnFakeMac on(OffMac(true), "deferral-nologin");
  test::CliRun plan =
      on.Run({"plan", "-f", Desired("deferral-nologin-desired", ", shell: /usr/bin/false")}, kEnv);
  INFO(plan.out << plan.err);
  CHECK(plan.status == kExitRefused);
  CHECK(plan.out.find("enable FileVault  blocked") != std::string::npos);
  CHECK(
      plan.out.find("firstaccount has no login shell (/usr/bin/false), so it would stay pending") !=
      std::string::npos);

  test::CliRun hidden =
      on.Run({"plan", "-f", Desired("deferral-hidden-desired", ", hidden: true")}, kEnv);
  INFO(hidden.out);
  CHECK(hidden.out.find("firstaccount is hidden: the enablement stays pending, possibly for "
                        "ever, until firstaccount logs in and out at the Mac's login window") !=
        std::string::npos);
  CHECK(hidden.out.find("[filevault-enabler] firstaccount is hidden") != std::string::npos);
}

TEST_CASE("filevault.enabled_by names who enables FileVault, and must hold a SecureToken",
          "[deferral][macos-provider]") {
  DeviceState mac = OffMac(true);
  mac.users.push_back(test::StandardUser("alice", 502));
  auto desired = [](const std::string& dir, const std::string& alice) {
    std::string path = test::TempDir(dir) + "/desired.yaml";
    test::WriteFile(path,
                    "accord: 1\nauthority: {user: firstaccount, password: {env: AUTH}}\n"
                    "users:\n  firstaccount: {role: admin, secure_token: true}\n  alice: {" +
                        alice +
                        "}\nfilevault: {enabled: true, enabled_by: alice, recovery_key: "
                        "{personal: true}}\n");
    return path;
  };
  std::map<std::string, std::string> env = kEnv;
  env["ALICE"] = "Alice-Pw-1";

  // alice holds no token and the file does not grant one: blocked, not run.
  test::OnFakeMac without(mac, "enabler-no-token");
  without.mac.SetPassword("firstaccount", kEnv.at("AUTH"));
  test::CliRun blocked =
      without.Run({"apply", "-f", desired("enabler-no-token-d", ""), "--auto-approve"}, env);
  INFO(blocked.out << blocked.err);
  CHECK(blocked.status == kExitRefused);
  CHECK(blocked.out.find("filevault.enabled_by alice holds no SecureToken on this Mac") !=
        std::string::npos);
  CHECK(without.mac.state().filevault.status == FileVaultStatus::kOff);

  // The file grants alice a token: the grant runs first, then fdesetup
  // enables FileVault as alice (whose password it will share).
  test::OnFakeMac with(mac, "enabler-token");
  with.mac.SetPassword("firstaccount", kEnv.at("AUTH"));
  with.mac.SetPassword("alice", "Alice-Pw-1");
  test::CliRun run = with.Run(
      {"apply", "-f", desired("enabler-token-d", "secure_token: true, password: {env: ALICE}"),
       "--auto-approve"},
      env);
  INFO(run.out << run.err);
  REQUIRE(run.status == kExitOk);
  std::vector<std::string> order;
  for (const Command& c : with.mac.recorded()) {
    if (!c.mutating) continue;
    std::string line;
    for (const std::string& a : c.argv) line += (line.empty() ? "" : " ") + a;
    order.push_back(line);
  }
  INFO(Catch::Detail::stringify(order));
  auto at = [&](const std::string& part) {
    return std::find_if(
               order.begin(), order.end(),
               [&](const std::string& line) { return line.find(part) != std::string::npos; }) -
           order.begin();
  };
  REQUIRE(at("-secureTokenOn alice") < static_cast<long>(order.size()));
  REQUIRE(at("/usr/bin/fdesetup enable -user alice -defer ") < static_cast<long>(order.size()));
  CHECK(at("-secureTokenOn alice") < at("/usr/bin/fdesetup enable -user alice -defer "));
  CHECK(with.mac.state().filevault.deferred_user == "alice");
}

}  // namespace accord
