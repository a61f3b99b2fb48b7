// SPDX-License-Identifier: Apache-2.0
// Shared by the fuzz targets: the bytes libFuzzer gives, as text, and split
// into parts at NUL bytes (for targets that read several inputs at once).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace accord::fuzz {

inline std::string Text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

inline std::vector<std::string> Parts(const std::string& text) {
  std::vector<std::string> parts(1);
  for (char c : text) {
    if (c == '\0') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

}  // namespace accord::fuzz
