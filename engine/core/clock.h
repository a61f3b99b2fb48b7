// SPDX-License-Identifier: Apache-2.0
// The wall clock, as the one format Accord's records use.
#pragma once

#include <ctime>
#include <optional>
#include <string>

namespace accord {

// Now, in UTC, as ISO 8601 to the second: "2026-11-28T08:33:40Z".
std::string UtcNow();

// A time since the epoch (a file's modification time), in that format.
std::string UtcTime(std::time_t t);

// Whole days from one such timestamp to a later one; nothing if either is
// not in that format.
std::optional<long> DaysBetween(const std::string& from, const std::string& to);

// Whether `text` is exactly such a timestamp: a real date and time, as
// UtcTime would write it (no other form, no trailing text).
bool IsUtcTime(const std::string& text);

// Seconds from one such timestamp to another (negative where `to` is
// earlier); nothing if either is not in that format.
std::optional<long long> SecondsBetween(const std::string& from, const std::string& to);

}  // namespace accord
