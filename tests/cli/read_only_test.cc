// SPDX-License-Identifier: Apache-2.0
// A dry run is read-only by construction (STYLE: `plan` never constructs
// the executor): on the (fake) Mac, every verb but apply runs no mutating
// command and writes no file, the state folder included (`plan --out` is
// refused there); on a snapshot, plan leaves the snapshot as it was and
// `--out` writes its plan file and nothing else.
#include <filesystem>
#include <map>

#include "cli/read_only_mac.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

namespace fs = std::filesystem;

// Every file below `dir` with its contents.
std::map<std::string, std::string> Tree(const std::string& dir) {
  std::map<std::string, std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files[entry.path().string()] = test::ReadFile(entry.path());
  }
  return files;
}

}  // namespace

TEST_CASE("plan, graph, unlockers, observe and validate change nothing on the Mac or on disk",
          "[cli][read-only][macos-provider]") {
  // The only admin replaced: a plan full of creations, grants and a deletion.
  const std::string dir = test::TempDir("read-only");
  const std::string desired = dir + "/desired.yaml";
  fs::copy_file(test::SourcePath("examples/replace-only-admin/desired.yaml"), desired);
  test::OnFakeMac on(
      test::Device(test::ReadFile(test::SourcePath("examples/replace-only-admin/device.json"))),
      "read-only-mac");
  const std::map<std::string, std::string> before = Tree(dir);
  const std::vector<std::vector<std::string>> verbs = {
      {"plan", "-f", desired},
      {"plan", "-f", desired, "--json"},
      {"plan", "-f", desired, "--explain", "--detailed-exitcode"},
      {"graph", "-f", desired},
      {"unlockers"},
      {"observe"},
      {"import"},
      {"validate", desired}};
  for (const std::vector<std::string>& args : verbs) {
    INFO(args[0] << " " << (args.size() > 3 ? args[3] : ""));
    test::CliRun run = on.Run(args);
    CHECK(run.status != kExitError);
  }
  CHECK(on.mac.writes() == 0);
  for (const Command& c : on.mac.recorded()) {
    INFO(c.Display());
    CHECK_FALSE(c.mutating);
  }
  CHECK_FALSE(fs::exists(on.state_dir));  // not even Accord's own folder
  CHECK(Tree(dir) == before);

  // Saved plans are for snapshots: on the Mac, --out is refused, and
  // nothing is written.
  test::CliRun out = on.Run({"plan", "-f", desired, "--out", dir + "/saved.plan"});
  CHECK(out.status == kExitError);
  CHECK(Tree(dir) == before);
  CHECK(on.mac.writes() == 0);
  CHECK_FALSE(fs::exists(on.state_dir));
}

TEST_CASE("the Mac the read-only verbs are handed refuses every change", "[cli][read-only]") {
  test::OnFakeMac on(
      test::Device(test::ReadFile(test::SourcePath("examples/replace-only-admin/device.json"))),
      "read-only-seam");
  ThisMac mac{on.mac, on.mac, on.state_dir, [] { return std::string("now"); }};
  ReadOnlyMac read_only(mac);
  Result<CommandResult> deleted = read_only.view.runner.Run(
      Command::Changing({"/usr/sbin/sysadminctl", "-deleteUser", "oldadmin", "-keepHome"}));
  REQUIRE_FALSE(deleted.ok());
  CHECK(deleted.errors().front().message.find("refused to run a mutating command") == 0);
  CHECK_FALSE(read_only.view.passwords.Change("oldadmin", Secret("a"), Secret("b")).ok());
  CHECK(read_only.view.passwords.Verify("oldadmin", Secret("a")).check ==
        PasswordCheck::kCannotTell);
  CHECK(on.mac.writes() == 0);
  CHECK(on.mac.password_checks() == 0);
  CHECK(on.mac.state().FindUser("oldadmin"));
  // Reading goes through.
  CHECK(read_only.view.runner.Run(Command::Reading({"/usr/bin/sw_vers", "-productVersion"})).ok());
}

TEST_CASE("plan on a snapshot leaves the snapshot and its folder as they were",
          "[cli][read-only]") {
  const std::string dir = test::TempDir("read-only-snapshot");
  for (const char* f : {"desired.yaml", "device.json"}) {
    fs::copy_file(test::SourcePath(std::string("examples/replace-only-admin/") + f), dir + "/" + f);
  }
  const std::map<std::string, std::string> before = Tree(dir);
  for (const char* verb : {"plan", "graph"}) {
    test::CliRun run =
        test::RunAccord({verb, "-f", dir + "/desired.yaml", "--device", dir + "/device.json"});
    CHECK(run.status != kExitError);
  }
  CHECK(Tree(dir) == before);
  // --out writes the plan file and nothing else.
  const std::string saved = dir + "/saved.plan";
  test::CliRun out = test::RunAccord(
      {"plan", "-f", dir + "/desired.yaml", "--device", dir + "/device.json", "--out", saved});
  INFO(out.out << out.err);
  std::map<std::string, std::string> after = Tree(dir);
  REQUIRE(after.count(saved));
  after.erase(saved);
  CHECK(after == before);
}

}  // namespace accord
