// SPDX-License-Identifier: Apache-2.0
// The release and the commit this Accord was built from, for --version and
// the "version" of every JSON document Accord writes. Generated at build
// time (engine/core/version.cmake), so a new commit needs no reconfigure.
#pragma once

#include <string>

namespace accord {

// "0.1.0": the project's release (CMakeLists.txt).
const char* AccordRelease();
// "3f9c2d1a7b4e", "3f9c2d1a7b4e-dirty", or "unknown" (a build outside git
// with no commit recorded).
const char* AccordCommit();
// "0.1.0+3f9c2d1a7b4e": the release with the commit as build metadata, as
// JSON documents carry it.
std::string AccordVersion();

}  // namespace accord
