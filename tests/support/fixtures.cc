// SPDX-License-Identifier: Apache-2.0
// Reading shared fixtures.
#include "support/fixtures.h"

#include <algorithm>
#include <filesystem>

#include "support/test_support.h"

namespace accord::test {

namespace {

// Ours: synthesized (-synthetic) or found in public sources beyond the
// shared set (-found); neither is a copy of ../shared/fixtures.
bool Synthetic(const std::string& name) {
  for (const std::string suffix : {"-synthetic.txt", "-found.txt"}) {
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string FixturePath(const std::string& name) {
  return SourcePath("tests/providers/macos/fixtures/" + name);
}

std::string SharedFixturePath(const std::string& name) {
  return SourcePath("../shared/fixtures/macos/" + name);
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
    std::string name = e.path().filename().string();
    if (e.path().extension() == ".txt" && !Synthetic(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace accord::test
