// SPDX-License-Identifier: Apache-2.0
// UTC timestamps.
#include "core/clock.h"

#include <cstdio>
#include <ctime>

namespace accord {

std::string UtcNow() { return UtcTime(std::time(nullptr)); }

std::string UtcTime(std::time_t t) {
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

std::optional<std::time_t> Parse(const std::string& text) {
  std::tm tm{};
  char tail = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &tail) != 7 ||
      tail != 'Z') {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return ::timegm(&tm);
}

}  // namespace

bool IsUtcTime(const std::string& text) {
  std::optional<std::time_t> t = Parse(text);
  return t && UtcTime(*t) == text;
}

std::optional<long long> SecondsBetween(const std::string& from, const std::string& to) {
  std::optional<std::time_t> a = Parse(from);
  std::optional<std::time_t> b = Parse(to);
  if (!a || !b) return std::nullopt;
  return static_cast<long long>(*b - *a);
}

std::optional<long> DaysBetween(const std::string& from, const std::string& to) {
  std::optional<long long> seconds = SecondsBetween(from, to);
  if (!seconds) return std::nullopt;
  return static_cast<long>(*seconds / 86400);
}

}  // namespace accord
