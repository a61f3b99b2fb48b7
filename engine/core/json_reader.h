// SPDX-License-Identifier: Apache-2.0
// Strict reading of Accord's own JSON documents (snapshots, the local state
// file): a nesting limit, positioned syntax errors, duplicate keys named by
// their path, and typed field readers that collect every error with its key
// path (users[2].uid) instead of stopping at the first.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace accord {

using Json = nlohmann::json;

// Parses `text`; errors carry file:line:column, or the duplicate key's path.
Result<Json> ParseStrictJson(const std::string& text, const std::string& file);

// "an object", "a string", …: for messages.
std::string KindOf(const Json& j);

// Reads fields of a parsed document, collecting errors. A missing field and
// `null` both read as "unknown" (nullopt).
class JsonFields {
 public:
  using Keys = std::span<const std::string_view>;

  explicit JsonFields(std::string file) : file_(std::move(file)) {}

  void Error(const std::string& path, std::string message);
  // Checks that `j` is an object holding only `allowed` keys.
  bool Object(const Json& j, const std::string& path, Keys allowed);
  std::optional<std::string> String(const Json& parent, const std::string& path, const char* key);
  std::optional<bool> Bool(const Json& parent, const std::string& path, const char* key);
  // An integer within [lo, hi], else an error naming `what`.
  std::optional<std::int64_t> Integer(const Json& parent, const std::string& path, const char* key,
                                      std::int64_t lo, std::int64_t hi, const char* what);
  // The elements of an array field (none if missing or null), each checked
  // by the caller with its own path "key[i]".
  const Json* Array(const Json& parent, const std::string& path, const char* key);

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  bool ok() const { return errors_.empty(); }
  const Diagnostics& errors() const { return errors_; }

 private:
  std::string file_;
  Diagnostics errors_;
};

}  // namespace accord
