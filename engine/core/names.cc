// SPDX-License-Identifier: Apache-2.0
// Account name rules, suggestions, and the few text helpers messages share.
#include "core/names.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "core/utf8.h"

namespace accord {
namespace {

bool IsPortableNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

}  // namespace

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

Status CheckShortName(std::string_view name) {
  if (name.empty()) return "a short name must not be empty";
  if (name.size() > kMaxShortNameBytes) {
    return "a short name is at most " + std::to_string(kMaxShortNameBytes) +
           " bytes, this one has " + std::to_string(name.size());
  }
  if (name.front() == '-' || name.front() == '.') {
    return "a short name must not start with '" + std::string(1, name.front()) + "'";
  }
  for (char c : name) {
    if (!IsPortableNameChar(c)) {
      return "character " + Printable(std::string_view(&c, 1)) +
             " is not allowed in a short name (only a-z, 0-9, '_', '-' and '.')";
    }
  }
  if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "a short name of digits only would be read as a UID";
  }
  return OkStatus();
}

Status CheckFullName(std::string_view full_name) {
  if (full_name.empty()) return "a full name must not be empty (it is also a login alias)";
  for (char c : full_name) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return "a full name must not contain control characters";
  }
  if (!IsValidUtf8(full_name)) return "a full name must be valid UTF-8";
  return OkStatus();
}

bool HasCapitals(std::string_view name) {
  return std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

Status CheckNewShortName(std::string_view name) {
  if (Status valid = CheckShortName(name); !valid.ok()) return valid;
  if (HasCapitals(name)) {
    return "names Accord creates must be lowercase (macOS looks names up case-insensitively); "
           "use '" +
           ToLower(name) + "'";
  }
  return OkStatus();
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string ClosestMatch(std::string_view word, std::span<const std::string_view> candidates) {
  std::string best;
  std::size_t best_distance = 0;
  std::string lowered = ToLower(word);
  for (std::string_view candidate : candidates) {
    std::size_t d = EditDistance(lowered, candidate);
    if (best.empty() || d < best_distance) {
      best = std::string(candidate);
      best_distance = d;
    }
  }
  // A typo changes a few characters; anything further is a different word.
  std::size_t limit = std::max<std::size_t>(2, word.size() * 2 / 5);
  return best_distance <= limit ? best : std::string();
}

std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates) {
  std::string suggestion = ClosestMatch(word, candidates);
  return suggestion.empty() ? std::string() : "; did you mean '" + suggestion + "'?";
}

std::string Printable(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '\'' && c != '\\') {
      out += c;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    }
  }
  return out + "'";
}

}  // namespace accord

namespace accord {

std::string NormalPath(std::string_view path) {
  bool plain = !path.empty() && path.back() != '/' && path.back() != '.' &&
               path.find("//") == std::string_view::npos &&
               path.find("/./") == std::string_view::npos &&
               path.find("/../") == std::string_view::npos;
  if (plain) return std::string(path);
  std::string p = std::filesystem::path(path).lexically_normal().string();
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

std::string CountOf(int n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

std::string JoinWords(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  }
  return out;
}

std::string DoubleQuoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace accord
