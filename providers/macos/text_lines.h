// SPDX-License-Identifier: Apache-2.0
// Line and word splitting shared by the text parsers of tool output.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace accord {

// Lines without their terminators ("\n" or "\r\n").
inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

inline std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

inline std::string Trim(const std::string& s, const char* blanks = " \t\n") {
  std::size_t b = s.find_first_not_of(blanks);
  std::size_t e = s.find_last_not_of(blanks);
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace accord
