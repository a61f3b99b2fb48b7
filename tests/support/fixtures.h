// SPDX-License-Identifier: Apache-2.0
// Recordings of macOS tool output in tests/providers/macos/fixtures:
// verbatim copies of ../shared/fixtures/macos, and our *-synthetic.txt ones
// for cases no public sample shows. Read without their "# source:" and
// "# note:" header lines.
#pragma once

#include <string>
#include <vector>

namespace accord::test {

std::string FixturePath(const std::string& name);
// The same fixture in ../shared beside the checkout (present in CI).
std::string SharedFixturePath(const std::string& name);
std::string Fixture(const std::string& name);
// Names of every copied real fixture (not the synthetic ones).
std::vector<std::string> MacosFixtures();

}  // namespace accord::test
