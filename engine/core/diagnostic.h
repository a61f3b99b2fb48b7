// SPDX-License-Identifier: Apache-2.0
// Diagnostics: errors and warnings as values, each pinned to the place in an
// input that caused it (file:line:column for YAML, a key path for JSON).
#pragma once

#include <string>
#include <vector>

namespace accord {

// A 1-based position in a text file; line 0 means "no position known".
struct SourcePos {
  int line = 0;
  int column = 0;
  bool operator==(const SourcePos&) const = default;
  auto operator<=>(const SourcePos&) const = default;
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;
  SourcePos pos;
  std::string key_path;  // "users.alice.uid" or "users[2].uid"
  std::string message;

  bool operator==(const Diagnostic&) const = default;
};

using Diagnostics = std::vector<Diagnostic>;

// "file:12:5: error: users.alice: unknown key ..." when a position is known,
// "file: users[2].uid: error: ..." when only a key path is.
std::string FormatDiagnostic(const Diagnostic& d);

bool HasErrors(const Diagnostics& diagnostics);

// Orders by file, then position, keeping the order of equal ones, so that a
// file's errors read top to bottom.
void SortByPosition(Diagnostics& diagnostics);

}  // namespace accord
