// SPDX-License-Identifier: Apache-2.0
// Observing a Mac through the fake Mac: what the tools print becomes the
// same DeviceState; a fixed number of subprocesses; damaged or conflicting
// answers become unknown; nothing mutating can run.
#include "macos/observe.h"

#include <sstream>

#include "model/snapshot_codec.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/fixtures.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

// What observation can see: sync state and escrow need passwords or MDM.
DeviceState Observable(DeviceState s) {
  for (ObservedUser& u : s.users) {
    u.filevault_password_in_sync.reset();
    u.keychain_in_sync.reset();
    u.password_set_from.reset();
    // Every local account has one on a Mac; the fake Mac gives an old one.
    if (!u.password_last_set) u.password_last_set = "1700000000.5";
  }
  s.filevault.recovery_key_escrowed.reset();
  // "false" is believed only while FileVault is on.
  if (s.filevault.personal_recovery_key == false && s.filevault.status != FileVaultStatus::kOn) {
    s.filevault.personal_recovery_key.reset();
  }
  s.pending.clear();
  if (!s.console_user) s.console_user = "";  // the fake Mac's login window
  return s;
}

DeviceState Example(const std::string& name) {
  return test::Device(test::ReadFile(test::SourcePath("examples/" + name + "/device.json")));
}

}  // namespace

TEST_CASE("observing a Mac gives back the state its tools describe", "[observe]") {
  for (const char* name :
       {"agent-service-account", "departed-user", "take-over-account", "fresh-mac"}) {
    INFO(name);
    DeviceState truth = Example(name);
    test::FakeMac mac(truth);
    Result<DeviceState> seen = ObserveMac(mac);
    INFO(test::Messages(seen));
    REQUIRE(seen.ok());
    CHECK(SerializeSnapshot(seen.value()) == SerializeSnapshot(Observable(truth)));
  }
}

TEST_CASE("haspersonalrecoverykey's false is believed only with exit 0 while FileVault is on",
          "[observe]") {
  // fdesetup prints "false" on errors and while FileVault is not fully on
  // (DOMAIN §1), so only that combination says there is no key.
  struct Case {
    FileVaultStatus status;
    CommandResult said;
    Known<bool> seen;
  };
  for (const Case& c : std::vector<Case>{
           {FileVaultStatus::kOn, {0, "false\n", ""}, false},
           {FileVaultStatus::kOn, {0, "true\n", ""}, true},
           {FileVaultStatus::kOn, {1, "false\n", "Error: unable to read (synthetic)\n"}, {}},
           {FileVaultStatus::kEncrypting, {0, "false\n", ""}, {}},
           {FileVaultStatus::kOff, {0, "false\n", ""}, {}},
           {FileVaultStatus::kEncrypting, {0, "true\n", ""}, true},
       }) {
    DeviceState truth = Example("fresh-mac");
    truth.filevault.status = c.status;
    test::FakeMac mac(truth);
    mac.Inject("/usr/bin/fdesetup haspersonalrecoverykey", c.said);
    Result<DeviceState> seen = ObserveMac(mac);
    REQUIRE(seen.ok());
    INFO(ToString(c.status) << " " << c.said.exit_code << " " << c.said.out);
    CHECK(seen.value().filevault.personal_recovery_key == c.seen);
  }
}

TEST_CASE("observe runs at most 15 subprocesses, for 1 account or 500", "[observe]") {
  for (int n : {1, 500}) {
    std::vector<test::Account> accounts;
    for (int i = 0; i < n; ++i)
      accounts.push_back({"user" + std::to_string(i), 501 + i, i == 0, i == 0});
    test::FakeMac mac(test::Device(test::Snapshot(accounts)));
    Result<DeviceState> seen = ObserveMac(mac);
    REQUIRE(seen.ok());
    CHECK(seen.value().users.size() == static_cast<std::size_t>(n));
    CHECK(mac.runs() <= 15);
    CHECK(mac.runs() == static_cast<int>(ObserveCommands().size()));
  }
}

TEST_CASE("one unreadable record makes that account unknown and keeps the rest", "[observe]") {
  DeviceState truth = Example("departed-user");
  truth.users[1].uid.reset();  // the fake prints olduser without a UniqueID
  test::FakeMac mac(truth);
  Result<DeviceState> seen = ObserveMac(mac);
  REQUIRE(seen.ok());
  const ObservedUser* old = seen.value().FindUser("olduser");
  REQUIRE(old != nullptr);
  CHECK_FALSE(old->uid.has_value());
  CHECK_FALSE(old->admin.has_value());
  CHECK_FALSE(old->secure_token.has_value());
  CHECK(seen.value().FindUser("firstaccount")->uid == 501);
  CHECK(seen.value().FindUser("contractor")->uid == 504);
}

TEST_CASE("a token the sources disagree about is unknown", "[observe]") {
  DeviceState truth = Example("two-new-users");
  test::FakeMac mac(truth);
  // APFS no longer lists firstaccount, while fdesetup and the tag still do.
  mac.Inject("/usr/sbin/diskutil apfs listCryptoUsers -plist /",
             {0, "<plist version=\"1.0\"><dict><key>Users</key><array/></dict></plist>\n", ""});
  Result<DeviceState> seen = ObserveMac(mac);
  REQUIRE(seen.ok());
  CHECK_FALSE(seen.value().FindUser("firstaccount")->secure_token.has_value());
}

TEST_CASE("a damaged crypto-user list leaves unlisted accounts unknown, not tokenless",
          "[observe]") {
  DeviceState truth = Example("fresh-mac");  // FileVault off: fdesetup list says nothing
  truth.users.push_back(truth.users[0]);
  truth.users[1].name = "second";
  truth.users[1].guid = "0B7E2D43-6A51-4C7B-8E22-5D9B0F61A7C4";
  truth.users[1].uid = 502;
  test::FakeMac mac(truth);
  mac.Inject("/usr/sbin/diskutil apfs listCryptoUsers -plist /",
             {0, test::Fixture("diskutil-apfs-listusers-plist-1.txt"), ""});
  Result<DeviceState> seen = ObserveMac(mac);
  REQUIRE(seen.ok());
  CHECK_FALSE(seen.value().FindUser("second")->secure_token.has_value());
}

TEST_CASE("unreadable accounts fail observation with what dscl said", "[observe]") {
  test::FakeMac mac(Example("fresh-mac"));
  mac.Inject(DsclUsersCommand().Display(),
             {40, "", "<dscl_cmd> DS Error: -14120 (eDSPermissionError)\n"});
  Result<DeviceState> seen = ObserveMac(mac);
  REQUIRE_FALSE(seen.ok());
  CHECK(seen.errors()[0].message ==
        "cannot read the accounts (dscl exited 40): <dscl_cmd> DS Error: -14120 "
        "(eDSPermissionError)\n");
}

TEST_CASE("the fake Mac fails loudly on a command it does not know", "[observe]") {
  test::FakeMac mac(Example("fresh-mac"));
  Command c;
  c.argv = {"/usr/bin/dscl", ".", "-list", "/Users"};
  Result<CommandResult> r = mac.Run(c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.errors()[0].message == "fake Mac: no handler for `/usr/bin/dscl . -list /Users`");
}

TEST_CASE("every observe command is read-only", "[observe]") {
  for (const ObserveCommand& c : ObserveCommands()) {
    INFO(c.key);
    CHECK_FALSE(c.command.mutating);
    CHECK(c.command.stdin_data.empty());
  }
}

}  // namespace accord

namespace accord {

TEST_CASE("an unlisted /Users is a home of unknown owner: no new UID is chosen", "[observe]") {
  DeviceState truth = Example("two-new-users");
  test::FakeMac mac(truth);
  mac.Inject("/bin/ls -ln /Users", {1, "", "ls: /Users: Operation not permitted\n"});
  Result<DeviceState> seen = ObserveMac(mac);
  REQUIRE(seen.ok());
  REQUIRE(seen.value().homes.size() == 1);
  CHECK(seen.value().homes[0].path == "/Users/*");
  CHECK_FALSE(seen.value().homes[0].uid.has_value());
  // Kept homes may be there: a new account's UID cannot be chosen safely.
  Plan plan = test::PlanOf(test::ReadFile(test::SourcePath("examples/two-new-users/desired.yaml")),
                           SerializeSnapshot(seen.value()));
  const Change* create = nullptr;
  for (const Change& c : plan.changes) {
    if (c.action == Action::kCreateUser && !create) create = &c;
  }
  REQUIRE(create);
  CHECK(create->outcome == Outcome::kRefused);
  CHECK(create->Why().find("/Users/*") != std::string::npos);
}

}  // namespace accord

namespace accord {

TEST_CASE(
    "the Mac's hardware UUID and serial are observed, and the fake Mac prints ioreg's keys "
    "as a real Mac does",
    "[observe][ioreg]") {
  DeviceState state = Example("fresh-mac");
  state.hardware_uuid = "81895B8D-9EF9-4EBB-B5DE-B00069CF53F0";
  state.serial = "HDWLIF2LM7";
  test::FakeMac mac(state);
  Result<DeviceState> seen = ObserveMac(mac);
  REQUIRE(seen.ok());
  CHECK(seen.value().hardware_uuid == state.hardware_uuid);
  CHECK(seen.value().serial == state.serial);
  // Every key the fake Mac prints stands in the real Apple silicon capture.
  Result<CommandResult> printed =
      mac.Run(Command::Reading({"/usr/sbin/ioreg", "-rd1", "-c", "IOPlatformExpertDevice"}));
  REQUIRE(printed.ok());
  const std::string real = test::Fixture("ioreg-platform-expert-applesilicon-found.txt");
  std::istringstream lines(printed.value().out);
  int keys = 0;
  for (std::string line; std::getline(lines, line);) {
    std::size_t open = line.find('"');
    if (open == std::string::npos || line.find("\" = ") == std::string::npos) continue;
    std::string key = line.substr(open, line.find('"', open + 1) - open + 1);
    INFO(key);
    CHECK(real.find("  " + key + " = ") != std::string::npos);
    ++keys;
  }
  CHECK(keys >= 10);
  // Not printed (an unreadable registry): unknown, not guessed.
  state.hardware_uuid.reset();
  test::FakeMac blank(state);
  Result<DeviceState> unknown = ObserveMac(blank);
  REQUIRE(unknown.ok());
  CHECK_FALSE(unknown.value().hardware_uuid);
}

}  // namespace accord

namespace accord {

TEST_CASE(
    "the master keychain line is no unlock path: the institutional key is fdesetup's own "
    "answer, unknown where it gives none",
    "[observe][fdesetup]") {
  // One token holder, whose FileVault sync no tool shows; no personal key.
  DeviceState state = Example("fresh-mac");
  state.filevault.status = FileVaultStatus::kOn;
  state.filevault.personal_recovery_key = false;
  state.filevault.institutional_recovery_key = false;
  test::OnFakeMac on(state, "master-keychain");
  // status prints "FileVault master keychain appears to be installed." here.
  Result<CommandResult> status = on.mac.Run(Command::Reading({"/usr/bin/fdesetup", "status"}));
  REQUIRE(status.ok());
  CHECK(status.value().out.find("master keychain appears to be installed") != std::string::npos);
  Result<DeviceState> seen = ObserveMac(on.mac);
  REQUIRE(seen.ok());
  CHECK(seen.value().filevault.institutional_recovery_key == false);
  test::CliRun unlockers = on.Run({"unlockers"});
  INFO(unlockers.out);
  CHECK(unlockers.status == 3);
  CHECK(unlockers.out.find("institutional") == std::string::npos);

  // fdesetup gives no answer (an older bundle, an error): unknown, not false.
  on.mac.Inject("/usr/bin/fdesetup hasinstitutionalrecoverykey", {1, "", "Error\n"});
  Result<DeviceState> unsure = ObserveMac(on.mac);
  REQUIRE(unsure.ok());
  CHECK_FALSE(unsure.value().filevault.institutional_recovery_key.has_value());
  CHECK(on.Run({"unlockers"}).status == 3);

  // Where fdesetup says true, that is the unlock path.
  state.filevault.institutional_recovery_key = true;
  test::OnFakeMac with_key(state, "institutional-key");
  CHECK(with_key.Run({"unlockers"}).status == 0);
}

}  // namespace accord
