// SPDX-License-Identifier: Apache-2.0
// Support bundles: capture a (fake) Mac's observe outputs, replay them
// anywhere, and get the same snapshot and the same plan as observing live.
#include "macos/capture.h"

#include <cstdlib>
#include <filesystem>

#include "load/desired_loader.h"
#include "macos/observe.h"
#include "model/snapshot_codec.h"
#include "plan/planner.h"
#include "render/json_render.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

DeviceState Example(const std::string& name) {
  return test::Device(test::ReadFile(test::SourcePath("examples/" + name + "/device.json")));
}

}  // namespace

TEST_CASE("replaying a captured bundle gives the same snapshot and plan as observing live",
          "[capture]") {
  for (const char* name : {"two-new-users", "departed-user", "agent-service-account"}) {
    INFO(name);
    test::FakeMac mac(Example(name));
    std::string dir = test::TempDir(std::string("bundle-") + name);
    Result<std::size_t> captured = CaptureBundle(mac, dir);
    REQUIRE(captured.ok());
    CHECK(captured.value() == ObserveCommands().size());
    CHECK(std::filesystem::exists(dir + "/commands.txt"));

    Result<DeviceState> live = ObserveMac(mac);
    ReplayRunner replay(dir);
    Result<DeviceState> replayed = ObserveMac(replay);
    REQUIRE(live.ok());
    REQUIRE(replayed.ok());
    CHECK(SerializeSnapshot(replayed.value()) == SerializeSnapshot(live.value()));

    DesiredState desired = test::Desired(
        test::ReadFile(test::SourcePath(std::string("examples/") + name + "/desired.yaml")));
    CHECK(RenderPlanJson(MakePlan(desired, replayed.value()).value()) ==
          RenderPlanJson(MakePlan(desired, live.value()).value()));
  }
}

TEST_CASE("a bundle answers only what was captured, and never a mutating command", "[capture]") {
  test::FakeMac mac(Example("fresh-mac"));
  std::string dir = test::TempDir("bundle-refuses");
  REQUIRE(CaptureBundle(mac, dir).ok());
  ReplayRunner replay(dir);
  Command other;
  other.argv = {"/usr/bin/dscl", ".", "-list", "/Users"};
  CHECK(test::Messages(replay.Run(other)) ==
        dir + ": error: the bundle holds no output for: /usr/bin/dscl . -list /Users\n");
  Command write;
  write.argv = {"/usr/sbin/sysadminctl", "-deleteUser", "firstaccount"};
  write.mutating = true;
  CHECK_FALSE(replay.Run(write).ok());
  std::filesystem::remove(dir + "/fdesetup-status.stdout");
  Result<DeviceState> damaged = ObserveMac(replay);
  REQUIRE_FALSE(damaged.ok());
  CHECK(test::Messages(damaged).find("fdesetup-status.stdout: error: cannot read") !=
        std::string::npos);
}

TEST_CASE("a bundle from before the console user was observed replays with it unknown",
          "[capture]") {
  DeviceState truth = Example("fresh-mac");
  truth.console_user = "firstaccount";
  test::FakeMac mac(truth);
  std::string dir = test::TempDir("bundle-older");
  REQUIRE(CaptureBundle(mac, dir).ok());
  ReplayRunner replay(dir);
  REQUIRE(ObserveMac(replay).ok());
  CHECK(ObserveMac(replay).value().console_user == std::string("firstaccount"));
  for (const char* ext : {".stdout", ".stderr", ".status"}) {
    std::filesystem::remove(dir + "/console-user" + ext);
  }
  Result<DeviceState> older = ObserveMac(replay);
  REQUIRE(older.ok());
  CHECK_FALSE(older.value().console_user);
}

TEST_CASE("accord observe and plan --replay work from a bundle", "[capture][cli]") {
  test::FakeMac mac(Example("two-new-users"));
  std::string dir = test::TempDir("bundle-cli");
  REQUIRE(CaptureBundle(mac, dir).ok());
  test::CliRun observed = test::RunAccord({"observe", "--replay", dir});
  CHECK(observed.status == 0);
  CHECK(observed.out == SerializeSnapshot(ObserveMac(mac).value()));
  test::CliRun plan =
      test::RunAccord({"plan", "-f", "examples/two-new-users/desired.yaml", "--replay", dir});
  CHECK(plan.status == 0);
  CHECK(plan.out.find("  device:  captured bundle " + dir + "\n") != std::string::npos);
  CHECK(plan.out.find("uid       = 503") != std::string::npos);
  CHECK(test::RunAccord({"unlockers", "--replay", dir}).status == 3);  // sync state is unknown
  CHECK(test::RunAccord({"plan", "-f", "examples/two-new-users/desired.yaml", "--replay", dir,
                         "--device", "examples/two-new-users/device.json"})
            .status == 1);
  test::CliRun snapshot =
      test::RunAccord({"observe", "--device", "examples/fresh-mac/device.json"});
  CHECK(snapshot.out == SerializeSnapshot(Example("fresh-mac")));
#ifndef __APPLE__
  test::CliRun capture = test::RunAccord({"capture", dir});
  CHECK(capture.status == 1);
  CHECK(capture.err.find("capture runs on a Mac") != std::string::npos);
#endif
}

}  // namespace accord

namespace accord {

// examples/two-new-users/bundle is what `accord capture` saves on the Mac
// of that example's snapshot (the fake Mac plays the tools), so --replay
// can be tried from a fresh clone; it is kept equal to a fresh capture here
// (ACCORD_UPDATE_GOLDEN=1 rewrites it).
TEST_CASE("the example bundle is a capture of its example's Mac", "[capture]") {
  test::FakeMac mac(Example("two-new-users"));
  std::string dir = test::TempDir("bundle-example");
  REQUIRE(CaptureBundle(mac, dir).ok());
  const std::string shipped = test::SourcePath("examples/two-new-users/bundle");
  if (std::getenv("ACCORD_UPDATE_GOLDEN")) {
    std::filesystem::remove_all(shipped);
    std::filesystem::create_directories(shipped);
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
      std::filesystem::copy_file(f.path(), shipped + "/" + f.path().filename().string());
    }
  }
  std::size_t files = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    INFO(f.path().filename().string());
    std::string name = shipped + "/" + f.path().filename().string();
    REQUIRE(std::filesystem::exists(name));
    CHECK(test::ReadFile(name) == test::ReadFile(f.path().string()));
    ++files;
  }
  CHECK(std::distance(std::filesystem::directory_iterator(shipped),
                      std::filesystem::directory_iterator()) == static_cast<long>(files));
}

}  // namespace accord

namespace accord {

TEST_CASE(
    "captures hold no password hash: dscl is asked for Accord's attributes by name, and a "
    "bundle that holds one is neither written nor read",
    "[capture][secrets]") {
  DeviceState state = Example("two-new-users");
  test::FakeMac mac(state);
  // Asked for nothing by name, dscl gives root the hash (the fake plays it so).
  Result<CommandResult> everything =
      mac.Run(Command::Reading({"/usr/bin/dscl", "-plist", ".", "-readall", "/Users"}));
  REQUIRE(everything.ok());
  REQUIRE(everything.value().out.find("ShadowHashData") != std::string::npos);

  std::string dir = test::TempDir("bundle-no-hash");
  REQUIRE(CaptureBundle(mac, dir).ok());
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    INFO(f.path().string());
    CHECK(SecretAttributeIn(test::ReadFile(f.path().string())).empty());
  }

  // A bundle that holds one (captured by hand, or by an older Accord) is refused.
  const std::string users = dir + "/dscl-users.stdout";
  std::string text = test::ReadFile(users);
  text.insert(text.find("<dict>") + 6,
              "\n\t\t<key>dsAttrTypeNative:ShadowHashData</key>\n\t\t<array>\n\t\t\t<data>"
              "YnBsaXN0MDA=</data>\n\t\t</array>");
  test::WriteFile(users, text);
  test::CliRun replay = test::RunAccord({"observe", "--replay", dir});
  CHECK(replay.status == 1);
  CHECK(replay.out.empty());
  CHECK(replay.err.find("dscl-users.stdout: error: this capture holds ShadowHashData (a password "
                        "hash or key): Accord reads no bundle that does") != std::string::npos);

  // A Mac whose named read still returns one: nothing is captured at all.
  test::FakeMac leaky(state);
  leaky.Inject(DsclUsersCommand().Display(), {0, text.substr(0), ""});
  std::string refused = test::TempDir("bundle-refused");
  Result<std::size_t> none = CaptureBundle(leaky, refused);
  REQUIRE_FALSE(none.ok());
  CHECK(test::Messages(none).find("holds ShadowHashData") != std::string::npos);
  CHECK(std::filesystem::is_empty(refused));
}

TEST_CASE("a hidden account is read from the native attribute real records carry",
          "[observe][dscl]") {
  DeviceState state = Example("two-new-users");
  state.users.front().hidden = true;
  test::FakeMac mac(state);
  Result<CommandResult> listing = mac.Run(DsclUsersCommand());
  REQUIRE(listing.ok());
  CHECK(listing.value().out.find("<key>dsAttrTypeNative:IsHidden</key>") != std::string::npos);
  CHECK(listing.value().out.find("dsAttrTypeStandard:IsHidden") == std::string::npos);
  Result<DeviceState> seen = ObserveMac(mac);
  REQUIRE(seen.ok());
  CHECK(seen.value().users.front().hidden == true);
  for (std::size_t i = 1; i < seen.value().users.size(); ++i) {
    INFO(seen.value().users[i].name);
    CHECK(seen.value().users[i].hidden == state.users[i].hidden.value_or(false));
  }
}

}  // namespace accord
