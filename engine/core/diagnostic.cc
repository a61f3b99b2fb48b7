// SPDX-License-Identifier: Apache-2.0
// Formatting and ordering of diagnostics.
#include "core/diagnostic.h"

#include <algorithm>

namespace accord {

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out = d.file.empty() ? std::string("accord") : d.file;
  if (d.pos.line > 0) {
    out += ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column);
  }
  out += ": ";
  out += d.severity == Severity::kError ? "error: " : "warning: ";
  if (!d.key_path.empty()) out += d.key_path + ": ";
  out += d.message;
  return out;
}

bool HasErrors(const Diagnostics& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

void SortByPosition(Diagnostics& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     if (a.file != b.file) return a.file < b.file;
                     return a.pos < b.pos;
                   });
}

}  // namespace accord
