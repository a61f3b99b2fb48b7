// SPDX-License-Identifier: Apache-2.0
// The corpus of bad inputs under tests/engine/load/bad: desired-state files
// (.yaml) declare on their first line "# expect: LINE:COLUMN message";
// snapshots (.json) and plan files (.plan), which have no comments, declare
// it in a sidecar NAME.expect ("-" for the place where the error names a
// key path instead of a line). `accord validate` (or `accord apply` for a
// plan file) must exit 1 naming exactly that place and message, print
// nothing on stdout, and neither crash nor hang (this test also runs under
// ASan+UBSan). Every input a fuzzer or a trial found lands here.
#include <algorithm>
#include <filesystem>

#include "support/catch.h"
#include "support/test_support.h"

namespace accord {

TEST_CASE("every bad input exits 1 naming file:line:column", "[loader][corpus]") {
  const std::string dir = "tests/engine/load/bad";
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(test::SourcePath(dir))) {
    if (entry.path().extension() != ".expect") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 25);
  for (const std::string& name : files) {
    const std::string path = dir + "/" + name;
    const bool yaml = std::filesystem::path(name).extension() == ".yaml";
    std::string text = test::ReadFile(test::SourcePath(yaml ? path : path + ".expect"));
    const std::string marker = "# expect: ";
    INFO(path);
    REQUIRE(text.rfind(marker, 0) == 0);
    std::string expect = text.substr(marker.size(), text.find('\n') - marker.size());
    std::string where = expect.substr(0, expect.find(' '));
    std::string message =
        expect.find(' ') == std::string::npos ? "" : expect.substr(expect.find(' ') + 1);

    const bool plan_file = std::filesystem::path(name).extension() == ".plan";
    test::CliRun run = test::RunAccord({plan_file ? "apply" : "validate", path});
    INFO(run.err);
    CHECK(run.status == 1);
    CHECK(run.out.empty());
    CHECK(run.err.rfind(path + (where == "-" ? ": " : ":" + where + ":"), 0) == 0);
    CHECK(run.err.find(message) != std::string::npos);
  }
}

TEST_CASE("a 10 MB input is refused with a message, not parsed", "[loader][corpus]") {
  std::string dir = test::TempDir("huge");
  std::string huge = "accord: 1\nusers:\n";
  while (huge.size() < 10 * 1024 * 1024) huge += "  user" + std::to_string(huge.size()) + ": {}\n";
  test::WriteFile(dir + "/huge.yaml", huge);
  test::WriteFile(dir + "/huge.json", std::string(10 * 1024 * 1024, ' ') + "{}");

  test::CliRun yaml = test::RunAccord({"validate", dir + "/huge.yaml"});
  CHECK(yaml.status == 1);
  CHECK(yaml.err.find(dir + "/huge.yaml: error: file is ") == 0);
  CHECK(yaml.err.find("inputs are limited to") != std::string::npos);

  test::CliRun json = test::RunAccord({"validate", dir + "/huge.json"});
  CHECK(json.status == 1);
  CHECK(json.err.find("inputs are limited to") != std::string::npos);
}

}  // namespace accord
