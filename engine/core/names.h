// SPDX-License-Identifier: Apache-2.0
// Account name rules (DOMAIN §1) and "did you mean" suggestions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace accord {

// Short names are at most 244 bytes of POSIX portable characters.
inline constexpr std::size_t kMaxShortNameBytes = 244;

// Whether `name` can name an account, and why not. Capitals are allowed
// here: an existing account named "Bob" is managed by that exact name.
Status CheckShortName(std::string_view name);

// The same for an account Accord creates, whose name must be lowercase.
Status CheckNewShortName(std::string_view name);
bool HasCapitals(std::string_view name);

// Whether `full_name` is a valid full name (not empty, no control characters).
Status CheckFullName(std::string_view full_name);

// A role account (DOMAIN §1: names starting with '_', like the agent's
// _jumpcloudserviceaccount) belongs to a daemon or agent, not a person.
inline bool IsRoleAccount(std::string_view name) { return !name.empty() && name.front() == '_'; }

// A shell that refuses logins (false, nologin): its account never logs in
// at the Mac's login window.
inline bool IsNoLoginShell(std::string_view shell) {
  return shell == "/usr/bin/false" || shell == "/bin/false" || shell == "/sbin/nologin" ||
         shell == "/usr/sbin/nologin";
}

std::string ToLower(std::string_view s);
std::string ToUpper(std::string_view s);

// Levenshtein distance: the fewest insertions, deletions and substitutions
// that turn `a` into `b`.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` by edit distance, or "" when none is close
// enough to be a plausible typo.
std::string ClosestMatch(std::string_view word, std::span<const std::string_view> candidates);

// "; did you mean 'x'?" for the closest candidate, or "" when none is close.
std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates);

// Renders `s` for a message: printable ASCII as is, anything else escaped, so
// that a name with a newline or escape sequence cannot forge output.
std::string Printable(std::string_view s);

// `s` in double quotes, with `"` and `\` escaped and control bytes as \xNN:
// valid as a YAML double-quoted scalar, and safe to print.
std::string DoubleQuoted(std::string_view s);

// A path as the file system reads it, without a trailing '/':
// "/Users/a/../b/" is "/Users/b" (std::filesystem's lexically_normal,
// skipped for a path already in that form, as nearly every home is).
std::string NormalPath(std::string_view path);

// "1 admin", "2 admins": counts in messages.
std::string CountOf(int n, const std::string& singular, const std::string& plural);

// "a, b, c" (with ", " as `separator`); "" for none.
std::string Join(const std::vector<std::string>& items, std::string_view separator);
// "a, b and c", as a sentence lists them; "" for none.
std::string JoinWords(const std::vector<std::string>& items);

}  // namespace accord
