// The corpus of bad desired-state files under tests/engine/load/bad: each
// declares on its first line "# expect: LINE:COLUMN message", and `accord
// validate` must exit 1 naming exactly that place and message, print nothing
// on stdout, and not crash (this test also runs under ASan+UBSan).
#include <algorithm>
#include <filesystem>

#include "support/catch.h"
#include "support/test_support.h"

namespace accord {

TEST_CASE("every bad input exits 1 naming file:line:column", "[loader][corpus]") {
  const std::string dir = "tests/engine/load/bad";
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(test::SourcePath(dir))) {
    files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 25);
  for (const std::string& name : files) {
    const std::string path = dir + "/" + name;
    std::string text = test::ReadFile(test::SourcePath(path));
    const std::string marker = "# expect: ";
    INFO(path);
    REQUIRE(text.rfind(marker, 0) == 0);
    std::string expect = text.substr(marker.size(), text.find('\n') - marker.size());
    std::string where = expect.substr(0, expect.find(' '));
    std::string message = expect.find(' ') == std::string::npos ? "" : expect.substr(expect.find(' ') + 1);

    test::CliRun run = test::RunAccord({"validate", path});
    INFO(run.err);
    CHECK(run.status == 1);
    CHECK(run.out.empty());
    CHECK(run.err.rfind(path + ":" + where, 0) == 0);
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
