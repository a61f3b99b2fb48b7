// SPDX-License-Identifier: Apache-2.0
// JSON read from outside (snapshots, plan files; later osquery results):
// a nesting limit checked before parsing, since nested values are printed
// and compared recursively and a file of a million '[' would overflow the
// stack, and positions for everything nlohmann/json throws while parsing,
// syntax errors and numbers out of range (1e400) alike.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostic.h"

namespace accord {

// Accord's documents nest a few levels; 64 leaves room for any of them.
inline constexpr int kMaxJsonDepth = 64;

// One pass over a JSON text, outside its strings: the offset of the
// bracket that nests deeper than kMaxJsonDepth (the scan stops there), and
// the ':' seen, which in valid JSON is the number of object members.
struct JsonScan {
  std::optional<std::size_t> too_deep_at;
  std::size_t members = 0;
};
JsonScan ScanJson(std::string_view text);

// The offset of the bracket that nests deeper than kMaxJsonDepth, or nullopt.
inline std::optional<std::size_t> JsonTooDeepAt(std::string_view text) {
  return ScanJson(text).too_deep_at;
}

// The error for a parse exception: `byte` is nlohmann's offset, one past the
// offending character, when it gives one; an out-of-range number is found
// in the text by the token its message quotes.
Diagnostic JsonParseError(const std::string& what, std::optional<std::size_t> byte,
                          const std::string& text, const std::string& file);

// The error for a document nested too deep, at `offset`.
Diagnostic JsonTooDeepError(std::size_t offset, const std::string& text, const std::string& file);

}  // namespace accord
