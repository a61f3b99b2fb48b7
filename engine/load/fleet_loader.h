// Fleet file (format 1) → Fleet, every error with file:line:column. Layer
// paths are resolved against the fleet file's folder; the layers themselves
// are read by fleet/compose.
#pragma once

#include <string>

#include "core/result.h"
#include "fleet/fleet.h"

namespace accord {

Result<Fleet> ParseFleet(const std::string& text, const std::string& file);
Result<Fleet> LoadFleetFile(const std::string& path);

}  // namespace accord
