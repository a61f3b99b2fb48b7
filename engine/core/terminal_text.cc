// SPDX-License-Identifier: Apache-2.0
// Terminal-safe text.
#include "core/terminal_text.h"

#include <cstdio>

#include "core/utf8.h"

namespace accord {
namespace {

// Code points that change how the rest of a line is shown or read: C0 and
// C1 controls, DEL, the Unicode bidirectional marks, embeddings, overrides
// and isolates, and the line and paragraph separators.
bool Unsafe(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string EscapeForTerminal(std::string_view text) {
  // Most text is printable ASCII (0x20-0x7e), which stays as it is.
  std::size_t plain = 0;
  while (plain < text.size() && text[plain] >= 0x20 && text[plain] < 0x7f) ++plain;
  std::string out(text.substr(0, plain));
  if (plain == text.size()) return out;
  out.reserve(text.size());
  for (std::size_t i = plain; i < text.size();) {
    char32_t cp = 0;
    std::size_t len = Utf8Length(text, i, cp);
    char buf[16];
    if (len == 0) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(text[i]));
      out += buf;
      ++i;
      continue;
    }
    if (Unsafe(cp)) {
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

}  // namespace accord
