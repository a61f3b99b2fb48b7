// SPDX-License-Identifier: Apache-2.0
// `accord import` round trips: for every snapshot under examples/, the
// bundled capture, every Mac of the GitOps inventory and the (fake) Mac
// Accord runs on, the imported file validates and plans against the same
// Mac to "No changes" (exit 0 with --detailed-exitcode).
#include <algorithm>
#include <filesystem>

#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

namespace fs = std::filesystem;

// Imports from `source`, then validates and plans the file against it.
void RoundTrip(const std::vector<std::string>& source, const std::string& file,
               test::OnFakeMac* on = nullptr) {
  auto run = [&](std::vector<std::string> args) {
    return on ? on->Run(args) : test::RunAccord(args);
  };
  std::vector<std::string> import = {"import"};
  import.insert(import.end(), source.begin(), source.end());
  test::CliRun imported = run(import);
  INFO(imported.err);
  REQUIRE(imported.status == 0);
  // Each account's password is a comment, never a value.
  CHECK((imported.out.find("\nusers:") == std::string::npos) ==
        (imported.out.find("# password: {env: ") == std::string::npos));
  test::WriteFile(file, imported.out);
  INFO(imported.out);
  test::CliRun valid = run({"validate", file});
  INFO(valid.err);
  CHECK(valid.status == 0);  // warnings allowed: a capitalised short name is said to be one
  std::vector<std::string> plan = {"plan", "-f", file, "--detailed-exitcode"};
  plan.insert(plan.end(), source.begin(), source.end());
  test::CliRun planned = run(plan);
  INFO(planned.out << planned.err);
  CHECK(planned.status == 0);
  CHECK(planned.out.find("No changes") != std::string::npos);
}

}  // namespace

TEST_CASE("every example snapshot imports to a file that plans to no changes", "[cli][import]") {
  const std::string dir = test::TempDir("import-examples");
  int n = 0;
  for (const auto& entry : fs::recursive_directory_iterator(test::SourcePath("examples"))) {
    if (entry.path().filename() != "device.json") continue;
    std::string snapshot = fs::relative(entry.path(), test::SourcePath("")).string();
    INFO(snapshot);
    RoundTrip({"--device", snapshot}, dir + "/" + std::to_string(++n) + ".yaml");
  }
  CHECK(n >= 20);
}

TEST_CASE("the bundled capture and each Mac of the GitOps inventory import and round trip",
          "[cli][import]") {
  const std::string dir = test::TempDir("import-sources");
  RoundTrip({"--replay", "examples/two-new-users/bundle"}, dir + "/bundle.yaml");
  for (const char* mac : {"design-mac-01", "eng-mbp-01", "eng-mbp-02", "lab-mac-01"}) {
    INFO(mac);
    RoundTrip({"--inventory", "examples/gitops/inventory", "--mac", mac},
              dir + "/" + mac + ".yaml");
  }
  // With --fleet, as plan --fleet's flags are reused: the fleet must load.
  CHECK(test::RunAccord({"import", "--fleet", "examples/gitops/fleet.yaml", "--inventory",
                         "examples/gitops/inventory", "--mac", "lab-mac-01"})
            .status == 0);
  test::CliRun missing = test::RunAccord({"import", "--fleet", "nowhere.yaml", "--inventory",
                                          "examples/gitops/inventory", "--mac", "lab-mac-01"});
  CHECK(missing.status == 1);
  CHECK(missing.out.empty());
}

TEST_CASE("import on the Mac itself round trips and changes nothing", "[cli][import]") {
  test::OnFakeMac on(
      test::Device(test::ReadFile(test::SourcePath("examples/take-over-account/device.json"))),
      "import-this-mac");
  RoundTrip({}, test::TempDir("import-this-mac-file") + "/desired.yaml", &on);
  CHECK(on.mac.writes() == 0);
}

}  // namespace accord
