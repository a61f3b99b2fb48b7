// SPDX-License-Identifier: Apache-2.0
// Terminal-safe text.
#include "core/terminal_text.h"

#include <cstdint>
#include <cstdio>
#include <cstring>

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

// The length of the run of printable ASCII (0x20-0x7e) at `from`, eight
// bytes at a time where it can: in a word, a high bit left by `w - 0x20`
// in a byte whose own high bit is clear marks a byte below 0x20, and one
// left by `w + 1` (or already set) a byte at or above 0x7f. Both tests are
// exact about whether any byte qualifies (a borrow or carry only follows
// a byte already found); the bytes are then read one by one from there.
std::size_t PlainRun(std::string_view text, std::size_t from) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  std::size_t end = from;
  for (; end + 8 <= text.size(); end += 8) {
    std::uint64_t w;
    std::memcpy(&w, text.data() + end, 8);
    std::uint64_t below = (w - kOnes * 0x20) & ~w;
    std::uint64_t above = (w + kOnes) | w;
    if ((below | above) & kHigh) break;
  }
  while (end < text.size() && text[end] >= 0x20 && text[end] < 0x7f) ++end;
  return end - from;
}

}  // namespace

std::string EscapeForTerminal(std::string_view text) {
  std::string out;
  AppendForTerminal(out, text);
  return out;
}

void AppendForTerminal(std::string& out, std::string_view text) {
  // Most text is printable ASCII, which stays as it is and is copied by runs.
  for (std::size_t i = 0; i < text.size();) {
    if (std::size_t run = PlainRun(text, i); run > 0) {
      out.append(text.substr(i, run));
      i += run;
      continue;
    }
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
}

}  // namespace accord
