// SPDX-License-Identifier: Apache-2.0
// Fleet file (format 1) → Fleet, every error with file:line:column. Layer
// paths are resolved against the fleet file's folder; the layers themselves
// are read by fleet/compose.
#pragma once

#include <string>

#include "core/result.h"
#include "model/fleet.h"

namespace accord {

Result<Fleet> ParseFleet(const std::string& text, const std::string& file);
Result<Fleet> LoadFleetFile(const std::string& path);

// Does this YAML text start a fleet file (a line "accord_fleet:")? For
// verbs that take either kind of YAML.
bool LooksLikeFleetFile(const std::string& text);

}  // namespace accord
