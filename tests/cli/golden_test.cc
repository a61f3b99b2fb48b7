// SPDX-License-Identifier: Apache-2.0
// Golden CLI tests: every scenario under examples/ is planned as text and
// as JSON, and asked who could unlock it after a reboot; each output is
// compared with tests/cli/golden/, so examples cannot rot. Run
// with ACCORD_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate
// change, then review the diff.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "support/catch.h"
#include "support/test_support.h"

namespace accord {
namespace {

// The one-Mac examples; a folder with a fleet.yaml is a fleet, planned by
// tests/cli/fleet_test.cc, and examples/enrollment holds enrollments,
// predicted by tests/cli/enroll_test.cc.
std::vector<std::string> Examples() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(test::SourcePath("examples"))) {
    if (entry.is_directory() && !std::filesystem::exists(entry.path() / "fleet.yaml") &&
        entry.path().filename() != "enrollment") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

using test::CompareGolden;

}  // namespace

TEST_CASE("every example plans as its golden text and JSON", "[golden]") {
  std::vector<std::string> examples = Examples();
  REQUIRE(examples.size() >= 5);
  for (const std::string& name : examples) {
    const std::string dir = "examples/" + name;
    INFO(dir);
    REQUIRE(std::filesystem::exists(test::SourcePath(dir + "/desired.yaml")));
    REQUIRE(std::filesystem::exists(test::SourcePath(dir + "/device.json")));
    std::vector<std::string> args = {"plan", "-f", dir + "/desired.yaml", "--device",
                                     dir + "/device.json"};
    test::CliRun text = test::RunAccord(args);
    INFO(text.err);
    CHECK(text.err.empty());
    CHECK((text.status == 0 || text.status == 3));
    CompareGolden(name + ".txt", "exit " + std::to_string(text.status) + "\n" + text.out);

    args.push_back("--json");
    test::CliRun json = test::RunAccord(args);
    CHECK(json.status == text.status);
    CompareGolden(name + ".json", json.out);

    // A second run gives byte-identical output.
    CHECK(test::RunAccord(args).out == json.out);

    test::CliRun dot =
        test::RunAccord({"graph", "-f", dir + "/desired.yaml", "--device", dir + "/device.json"});
    CHECK(dot.status == 0);
    CompareGolden(name + ".dot", dot.out);

    // A bundle beside the snapshot (a capture of the same Mac by the fake
    // Mac) plans the same steps; the tools show less than a snapshot says.
    if (std::filesystem::exists(test::SourcePath(dir + "/bundle"))) {
      test::CliRun replayed =
          test::RunAccord({"plan", "-f", dir + "/desired.yaml", "--replay", dir + "/bundle"});
      CHECK(replayed.status == text.status);
      CompareGolden(name + ".replay.txt",
                    "exit " + std::to_string(replayed.status) + "\n" + replayed.out);
    }

    test::CliRun unlockers = test::RunAccord({"unlockers", "--device", dir + "/device.json"});
    CHECK((unlockers.status == 0 || unlockers.status == 3));
    CompareGolden(name + ".unlockers.txt",
                  "exit " + std::to_string(unlockers.status) + "\n" + unlockers.out);
  }
}

TEST_CASE("every desired state and snapshot in examples/ validates", "[golden]") {
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(test::SourcePath("examples"))) {
    std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".yaml" && ext != ".json")) continue;
    std::string relative = std::filesystem::relative(entry.path(), test::SourcePath("")).string();
    test::CliRun run = test::RunAccord({"validate", relative});
    INFO(relative << "\n" << run.err);
    CHECK(run.status == 0);
  }
}

TEST_CASE("no golden file outlives its example", "[golden]") {
  std::vector<std::string> examples = Examples();
  std::set<std::string> known(examples.begin(), examples.end());
  for (const auto& entry :
       std::filesystem::directory_iterator(test::SourcePath("tests/cli/golden"))) {
    INFO(entry.path().filename().string());
    if (entry.is_directory()) continue;  // real-mac/: files a fake-Mac test writes
    std::string file = entry.path().filename().string();
    CHECK(known.count(file.substr(0, file.find('.'))) == 1);
  }
}

}  // namespace accord

namespace accord {

TEST_CASE("the README's quick-start output is what accord prints", "[golden]") {
  std::string readme = test::ReadFile(test::SourcePath("README.md"));
  const std::string marker = "The first command prints:\n\n```text\n";
  std::size_t start = readme.find(marker);
  REQUIRE(start != std::string::npos);
  start += marker.size();
  std::string quoted = readme.substr(start, readme.find("```", start) - start);
  test::CliRun run = test::RunAccord({"plan", "-f", "examples/two-new-users/desired.yaml",
                                      "--device", "examples/two-new-users/device.json"});
  CHECK(quoted == run.out);
}

}  // namespace accord
