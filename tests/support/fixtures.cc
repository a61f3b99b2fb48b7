// Reading shared fixtures.
#include "support/fixtures.h"

#include <algorithm>
#include <filesystem>

#include "support/test_support.h"

namespace accord::test {

std::string FixturePath(const std::string& name) {
  const std::string synthetic = "-synthetic.txt";
  bool ours = name.size() > synthetic.size() &&
              name.compare(name.size() - synthetic.size(), synthetic.size(), synthetic) == 0;
  return ours ? SourcePath("tests/providers/macos/fixtures/" + name)
              : SourcePath("../shared/fixtures/macos/" + name);
}

std::string Fixture(const std::string& name) {
  std::string text = ReadFile(FixturePath(name));
  // Header lines name the public source of each sample; they are not output.
  while (text.rfind("# source:", 0) == 0 || text.rfind("# note:", 0) == 0) {
    std::size_t nl = text.find('\n');
    text = nl == std::string::npos ? "" : text.substr(nl + 1);
  }
  return text;
}

std::vector<std::string> MacosFixtures() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(FixturePath(""))) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace accord::test
