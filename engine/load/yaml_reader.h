// SPDX-License-Identifier: Apache-2.0
// Typed reading of a YamlNode tree with positioned errors: the checks every
// Accord YAML file shares (unknown keys with a suggestion, duplicate keys,
// wrong types named as the user wrote them, YAML 1.1 booleans refused),
// collected rather than thrown, and each key's place recorded in a SourceMap.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "load/yaml_tree.h"
#include "model/desired_state.h"
#include "model/source_map.h"

namespace accord {

// One key/value pair of a mapping, with its path for messages.
struct YamlEntry {
  std::string key;
  std::string path;  // "users.alice.uid"
  const YamlNode* key_node;
  const YamlNode* value;
};

class YamlReader {
 public:
  using Keys = std::span<const std::string_view>;

  // Records every accepted key's place in `source`, if given.
  YamlReader(std::string file, SourceMap* source) : file_(std::move(file)), source_(source) {}

  void Error(SourcePos pos, const std::string& path, std::string message);
  void Error(const YamlNode& at, const std::string& path, std::string message) {
    Error(at.pos, path, std::move(message));
  }
  // At the value, or at its key when the value is missing.
  void ErrorAtValue(const YamlEntry& e, std::string message);
  void TypeError(const YamlEntry& e, const std::string& expected);

  // The entries of `map` (whose path is `path`); unknown keys (unless
  // `allowed` is empty) and duplicates are reported and left out.
  std::vector<YamlEntry> Entries(const YamlNode& map, const std::string& path, Keys allowed);
  bool ExpectMap(const YamlEntry& e, bool null_is_empty = false);

  std::optional<std::string> String(const YamlEntry& e);
  std::optional<std::int64_t> Integer(const YamlEntry& e, std::int64_t min, std::int64_t max);
  std::optional<bool> Bool(const YamlEntry& e);
  std::optional<std::size_t> Choice(const YamlEntry& e, Keys values);
  // A sequence of strings, each reported at its own place when it is not one.
  std::optional<std::vector<std::string>> Strings(const YamlEntry& e);
  // {env: NAME}, {file: PATH} or {keychain: SERVICE}; a plain scalar is
  // refused without being echoed (it may be a password).
  std::optional<SecretRef> Secret(const YamlEntry& e);

  // A file's format key (accord_fleet: 1): an error unless it is `expected`
  // ("unsupported fleet format 2; this Accord reads version 1").
  void Format(const YamlEntry& e, std::int64_t expected, const std::string& what);

  const std::string& file() const { return file_; }
  Diagnostics TakeErrors() { return std::move(errors_); }
  // The errors so far in file order, taken.
  Diagnostics TakeSortedErrors();
  bool ok() const { return errors_.empty(); }

 private:
  std::string file_;
  SourceMap* source_;
  Diagnostics errors_;
};

// "an integer", "a mapping": what the user wrote, for "expected X, got Y".
std::string KindOf(const YamlNode& n);
std::string JoinKeys(YamlReader::Keys keys);

}  // namespace accord
