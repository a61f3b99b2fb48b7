// SPDX-License-Identifier: Apache-2.0
// Terminal escaping: every byte that could change how a line reads is
// escaped wherever it stands, including inside the eight-byte runs that
// are copied a word at a time.
#include "core/terminal_text.h"

#include <string>

#include "support/catch.h"

namespace accord {

TEST_CASE("printable text passes and controls are escaped", "[terminal]") {
  CHECK(EscapeForTerminal("alice Example-1") == "alice Example-1");
  CHECK(EscapeForTerminal("Zo\xc3\xab M\xc3\xbcller") == "Zo\xc3\xab M\xc3\xbcller");
  CHECK(EscapeForTerminal("a\nb") == "a\\u000ab");
  CHECK(EscapeForTerminal("\x1b[31mred") == "\\u001b[31mred");
  CHECK(EscapeForTerminal("x\x7fy") == "x\\u007fy");
  CHECK(EscapeForTerminal("evil\xe2\x80\xae") == "evil\\u202e");  // right-to-left override
  CHECK(EscapeForTerminal("bad\xff") == "bad\\xff");
  CHECK(EscapeForTerminal("") == "");
  std::string appended = "kept: ";
  AppendForTerminal(appended, "a\tb");
  CHECK(appended == "kept: a\\u0009b");
}

TEST_CASE("a byte is escaped at every position of a word-at-a-time run", "[terminal]") {
  // Every byte value at every offset of a 24-byte line: the result must be
  // the line with that byte alone escaped (or kept, when printable ASCII).
  for (int b = 0; b < 256; ++b) {
    const char byte = static_cast<char>(b);
    const bool printable = b >= 0x20 && b < 0x7f;
    const std::string alone = EscapeForTerminal(std::string(1, byte));
    if (printable) {
      CHECK(alone == std::string(1, byte));
    } else {
      CHECK(alone.front() == '\\');
    }
    for (std::size_t at = 0; at < 24; ++at) {
      std::string line(24, 'a');
      line[at] = byte;
      std::string want = std::string(at, 'a') + alone + std::string(23 - at, 'a');
      INFO("byte " << b << " at " << at);
      CHECK(EscapeForTerminal(line) == want);
    }
  }
}

}  // namespace accord
