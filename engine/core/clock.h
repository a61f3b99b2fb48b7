// SPDX-License-Identifier: Apache-2.0
// The wall clock, as the one format Accord's records use.
#pragma once

#include <optional>
#include <string>

namespace accord {

// Now, in UTC, as ISO 8601 to the second: "2026-11-28T08:33:40Z".
std::string UtcNow();

// Whole days from one such timestamp to a later one; nothing if either is
// not in that format.
std::optional<long> DaysBetween(const std::string& from, const std::string& to);

}  // namespace accord
