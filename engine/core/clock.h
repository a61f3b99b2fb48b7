// The wall clock, as the one format Accord's records use.
#pragma once

#include <string>

namespace accord {

// Now, in UTC, as ISO 8601 to the second: "2026-11-28T08:33:40Z".
std::string UtcNow();

}  // namespace accord
