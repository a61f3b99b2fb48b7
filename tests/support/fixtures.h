// Recordings of macOS tool output: the shared real ones (../shared/fixtures,
// beside the checkout) and our *-synthetic.txt ones for cases no public
// sample shows (tests/providers/macos/fixtures), without their "# source:"
// and "# note:" header lines.
#pragma once

#include <string>
#include <vector>

namespace accord::test {

std::string FixturePath(const std::string& name);
std::string Fixture(const std::string& name);
// Names of every fixture under macos/.
std::vector<std::string> MacosFixtures();

}  // namespace accord::test
