// SPDX-License-Identifier: Apache-2.0
// Bounded, validated reading of input files.
#include "core/text_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/utf8.h"

namespace accord {

SourcePos PositionOfOffset(const std::string& text, std::size_t offset) {
  SourcePos pos{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

namespace {

// The checks every input gets: no NUL byte, valid UTF-8.
Status CheckText(std::string_view text, const std::string& path) {
  for (std::size_t i = 0; i < text.size();) {
    // Most input is ASCII: eight bytes at a time while none is NUL or >= 0x80.
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    std::uint64_t word = 0;
    if (i + 8 <= text.size() && (std::memcpy(&word, text.data() + i, 8), true) &&
        ((word | ((word - kOnes) & ~word)) & kHighs) == 0) {
      i += 8;
      continue;
    }
    if (static_cast<unsigned char>(text[i]) - 1u < 0x7fu) {  // ASCII but NUL
      ++i;
      continue;
    }
    if (text[i] == '\0') {
      return SingleError(path, PositionOfOffset(std::string(text.substr(0, i)), i), "",
                         "NUL byte: this is a binary file, not text");
    }
    char32_t cp = 0;
    std::size_t n = Utf8Length(text, i, cp);
    if (n == 0) {
      return SingleError(path, PositionOfOffset(std::string(text.substr(0, i)), i), "",
                         "invalid UTF-8");
    }
    i += n;
  }
  return OkStatus();
}

Result<std::string> CheckedText(std::string text, const std::string& path) {
  if (Status checked = CheckText(text, path); !checked.ok()) return checked.errors();
  return text;
}

}  // namespace

Result<std::string> ReadTextFile(const std::string& path, std::size_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return SingleError(path, {}, "", std::string("cannot read: ") + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return SingleError(path, {}, "", "is a directory, not a file");
  if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > max_bytes) {
    return SingleError(path, {}, "",
                       "file is " + std::to_string(st.st_size) + " bytes; inputs are limited to " +
                           std::to_string(max_bytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return SingleError(path, {}, "", std::string("cannot open: ") + std::strerror(errno));
  // Read at most one byte past the limit (or past its size, for a regular
  // file) so a growing or special file is still bounded, and a small file
  // under a large limit costs only its size.
  std::size_t want = max_bytes;
  if (S_ISREG(st.st_mode)) want = std::min(want, static_cast<std::size_t>(st.st_size));
  std::string text(want + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_bytes) {
    return SingleError(
        path, {}, "",
        "file is larger than the input limit of " + std::to_string(max_bytes) + " bytes");
  }
  return CheckedText(std::move(text), path);
}

Result<std::string> ReadTextStream(std::istream& in, const std::string& name,
                                   std::size_t max_bytes) {
  // In chunks, so that a large limit costs only what arrives.
  std::string text;
  char chunk[65536];
  while (text.size() <= max_bytes && in.read(chunk, sizeof chunk).gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (text.size() > max_bytes) {
    return SingleError(name, {}, "",
                       "input is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  }
  return CheckedText(std::move(text), name);
}

Status ForEachLine(const std::string& path, std::size_t max_bytes,
                   const std::function<void(std::string_view line, int number)>& line) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return SingleError(path, {}, "", std::string("cannot read: ") + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return SingleError(path, {}, "", "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return SingleError(path, {}, "", std::string("cannot open: ") + std::strerror(errno));
  std::string pending;  // the line read so far
  std::size_t total = 0;
  int number = 0;
  auto emit = [&](std::string_view one) -> Status {
    ++number;
    Status checked = CheckText(one, path);
    if (!checked.ok()) {
      Diagnostics e = checked.errors();
      for (Diagnostic& d : e) d.pos.line = number;
      return e;
    }
    line(one, number);
    return OkStatus();
  };
  std::vector<char> chunk(1 << 20);
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    const std::size_t got = static_cast<std::size_t>(in.gcount());
    total += got;
    if (total > max_bytes) {
      return SingleError(
          path, {}, "",
          "file is larger than the input limit of " + std::to_string(max_bytes) + " bytes");
    }
    std::string_view data(chunk.data(), got);
    for (std::size_t nl; (nl = data.find('\n')) != std::string_view::npos;) {
      std::string_view one = data.substr(0, nl);
      if (!pending.empty()) {
        pending.append(one);
        one = pending;
      }
      if (Status s = emit(one); !s.ok()) return s;
      pending.clear();
      data.remove_prefix(nl + 1);
    }
    pending.append(data);
  }
  if (!pending.empty()) return emit(pending);
  return OkStatus();
}

}  // namespace accord
