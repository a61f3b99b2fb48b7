// SPDX-License-Identifier: Apache-2.0
// Reading an input file whole, with the checks every input gets before any
// parser sees it: it exists, it is not too large, it is text.
#pragma once

#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <string_view>

#include "core/result.h"

namespace accord {

// Desired-state files and snapshots of thousands of accounts stay far below
// this; anything larger is a mistake, not a fleet.
inline constexpr std::size_t kMaxInputBytes = 4 * 1024 * 1024;

// The whole file, or an error naming the file (and line:column for a NUL
// byte or invalid UTF-8).
Result<std::string> ReadTextFile(const std::string& path, std::size_t max_bytes = kMaxInputBytes);

// A stream read whole (standard input, for `-f -`), with the same checks;
// `name` stands for it in messages ("<stdin>").
Result<std::string> ReadTextStream(std::istream& in, const std::string& name,
                                   std::size_t max_bytes = kMaxInputBytes);

// A text file a line at a time (without its newline), never held whole:
// the same checks as ReadTextFile, each failure named at its line; `line`
// is called for every line, numbered from 1, until the end or an error.
Status ForEachLine(const std::string& path, std::size_t max_bytes,
                   const std::function<void(std::string_view line, int number)>& line);

// How a verb names standard input when `-` is given for a file.
inline constexpr const char* kStdinName = "<stdin>";

// Line and column (1-based, in bytes) of `offset` in `text`.
SourcePos PositionOfOffset(const std::string& text, std::size_t offset);

}  // namespace accord
