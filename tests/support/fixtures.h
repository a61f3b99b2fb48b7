// The shared recordings of real macOS tool output (../shared/fixtures,
// beside the checkout), without their "# source:" and "# note:" header lines.
#pragma once

#include <string>
#include <vector>

namespace accord::test {

std::string FixturePath(const std::string& name);
std::string Fixture(const std::string& name);
// Names of every fixture under macos/.
std::vector<std::string> MacosFixtures();

}  // namespace accord::test
