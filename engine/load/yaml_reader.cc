// SPDX-License-Identifier: Apache-2.0
// Typed reading of YamlNode trees, shared by every YAML file Accord reads.
#include "load/yaml_reader.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "core/names.h"

namespace accord {
namespace {

constexpr std::array<std::string_view, 3> kSecretKeys = {"env", "file", "keychain"};

bool IsPlain(const YamlNode& n) { return n.IsScalar() && n.plain; }

bool LooksLikeInteger(const std::string& s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i >= s.size()) return false;
  if (s.size() > i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o')) return true;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

bool LooksLikeFloat(const std::string& s) {
  if (s == ".inf" || s == "-.inf" || s == ".nan" || s == ".NaN" || s == ".Inf") return true;
  bool digit = false;
  bool mark = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '.' || c == 'e' || c == 'E') {
      mark = true;
    } else if (c != '-' && c != '+') {
      return false;
    }
  }
  return digit && mark;
}

bool IsTrue(const std::string& s) { return s == "true" || s == "True" || s == "TRUE"; }
bool IsFalse(const std::string& s) { return s == "false" || s == "False" || s == "FALSE"; }
// YAML 1.1 booleans that yaml-cpp would accept but that surprise people.
bool IsLegacyBool(const std::string& s) {
  static constexpr std::array<std::string_view, 12> kWords = {
      "yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO"};
  return std::find(kWords.begin(), kWords.end(), s) != kWords.end();
}

// For each entry of a mapping, the index of the first entry with the same
// scalar key (its own index if none): found by sorting views of the keys,
// so a mapping of 10,000 users costs no allocation per key.
std::vector<std::size_t> FirstWithSameKey(const YamlNode& map) {
  const std::size_t n = map.entries.size();
  std::vector<std::size_t> first(n);
  std::vector<std::size_t> order;
  order.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    first[i] = i;
    if (map.entries[i].key.IsScalar()) order.push_back(i);
  }
  auto key = [&](std::size_t i) -> const std::string& { return map.entries[i].key.Scalar(); };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  for (std::size_t j = 1; j < order.size(); ++j) {
    if (key(order[j]) == key(order[j - 1])) first[order[j]] = first[order[j - 1]];
  }
  return first;
}

}  // namespace

std::string JoinKeys(YamlReader::Keys keys) {
  std::string out;
  for (std::string_view k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

// "an integer", "a mapping": what the user wrote, for "expected X, got Y".
std::string KindOf(const YamlNode& n) {
  if (n.IsNull()) return "nothing (null)";
  if (n.IsMap()) return "a mapping";
  if (n.IsSequence()) return "a sequence";
  if (!IsPlain(n)) return "a quoted string";
  const std::string& s = n.Scalar();
  if (IsTrue(s) || IsFalse(s) || IsLegacyBool(s)) return "a boolean";
  if (LooksLikeInteger(s)) return "an integer";
  if (LooksLikeFloat(s)) return "a number";
  return "a string";
}

void YamlReader::Error(SourcePos pos, const std::string& path, std::string message) {
  errors_.push_back({Severity::kError, file_, pos, path, std::move(message)});
}

void YamlReader::ErrorAtValue(const YamlEntry& e, std::string message) {
  // A missing value has no place of its own: point at its key.
  const YamlNode& at = e.value->IsNull() ? *e.key_node : *e.value;
  Error(at, e.path, std::move(message));
}

void YamlReader::TypeError(const YamlEntry& e, const std::string& expected) {
  ErrorAtValue(e, "expected " + expected + ", got " + KindOf(*e.value));
}

std::vector<YamlEntry> YamlReader::Entries(const YamlNode& map, const std::string& path,
                                           Keys allowed) {
  std::vector<YamlEntry> entries;
  entries.reserve(map.entries.size());
  const std::vector<std::size_t> first = FirstWithSameKey(map);
  for (std::size_t i = 0; i < map.entries.size(); ++i) {
    const auto& [k, v] = map.entries[i];
    if (!k.IsScalar()) {
      Error(k, path, "a key must be a plain name, got " + KindOf(k));
      continue;
    }
    const std::string& key = k.Scalar();
    if (first[i] != i) {
      Error(k, path,
            "duplicate key " + Printable(key) + " (first defined at line " +
                std::to_string(map.entries[first[i]].key.pos.line) + ")");
      continue;
    }
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string hint = DidYouMean(key, allowed);
      Error(k, path,
            "unknown key " + Printable(key) +
                (hint.empty() ? "; valid keys are " + JoinKeys(allowed) : hint));
      continue;
    }
    std::string child = path.empty() ? key : path + "." + key;
    if (source_) source_->Add(child, k.pos, v.IsNull() ? k.pos : v.pos);
    entries.push_back({key, std::move(child), &k, &v});
  }
  return entries;
}

bool YamlReader::ExpectMap(const YamlEntry& e, bool null_is_empty) {
  if (e.value->IsMap() || (null_is_empty && e.value->IsNull())) return true;
  TypeError(e, "a mapping");
  return false;
}

std::optional<std::string> YamlReader::String(const YamlEntry& e) {
  if (!e.value->IsScalar() || (IsPlain(*e.value) && KindOf(*e.value) != "a string")) {
    TypeError(e, "a string (quote it if it is meant as text)");
    return std::nullopt;
  }
  return e.value->Scalar();
}

std::optional<std::int64_t> YamlReader::Integer(const YamlEntry& e, std::int64_t min,
                                                std::int64_t max) {
  const std::string bounds = "between " + std::to_string(min) + " and " + std::to_string(max);
  if (!IsPlain(*e.value) || !LooksLikeInteger(e.value->Scalar())) {
    TypeError(e, "an integer " + bounds);
    return std::nullopt;
  }
  const std::string& s = e.value->Scalar();
  std::int64_t v = 0;
  const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
  auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && (v < min || v > max))) {
    ErrorAtValue(e, s + " is out of range: must be " + bounds);
    return std::nullopt;
  }
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    ErrorAtValue(e, "expected a decimal integer " + bounds + ", got '" + s + "'");
    return std::nullopt;
  }
  return v;
}

std::optional<bool> YamlReader::Bool(const YamlEntry& e) {
  if (IsPlain(*e.value) && IsTrue(e.value->Scalar())) return true;
  if (IsPlain(*e.value) && IsFalse(e.value->Scalar())) return false;
  if (IsPlain(*e.value) && IsLegacyBool(e.value->Scalar())) {
    ErrorAtValue(e, "expected true or false, got '" + e.value->Scalar() +
                        "' (a YAML 1.1 boolean; write true or false)");
  } else {
    TypeError(e, "true or false");
  }
  return std::nullopt;
}

std::optional<std::size_t> YamlReader::Choice(const YamlEntry& e, Keys values) {
  if (!e.value->IsScalar()) {
    TypeError(e, "one of " + JoinKeys(values));
    return std::nullopt;
  }
  const std::string& s = e.value->Scalar();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (s == values[i]) return i;
  }
  ErrorAtValue(e, Printable(s) + " is not one of " + JoinKeys(values) + DidYouMean(s, values));
  return std::nullopt;
}

std::optional<std::vector<std::string>> YamlReader::Strings(const YamlEntry& e) {
  if (!e.value->IsSequence()) {
    TypeError(e, "a list of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < e.value->items.size(); ++i) {
    YamlEntry item{e.key, e.path + "[" + std::to_string(i) + "]", e.key_node, &e.value->items[i]};
    if (auto s = String(item)) {
      out.push_back(*s);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<SecretRef> YamlReader::Secret(const YamlEntry& e) {
  // Never echo a scalar here: it may be a password written in plain text.
  if (e.value->IsScalar()) {
    ErrorAtValue(e,
                 "plaintext secrets are not allowed; use {env: NAME}, {file: PATH} or "
                 "{keychain: SERVICE}");
    return std::nullopt;
  }
  if (!e.value->IsMap()) {
    TypeError(e, "{env: NAME}, {file: PATH} or {keychain: SERVICE}");
    return std::nullopt;
  }
  std::vector<YamlEntry> entries = Entries(*e.value, e.path, kSecretKeys);
  if (entries.size() != 1) {
    if (entries.size() > 1 || e.value->entries.empty()) {
      ErrorAtValue(e, "give exactly one of env, file or keychain");
    }
    return std::nullopt;
  }
  const YamlEntry& source = entries.front();
  std::optional<std::string> name = String(source);
  if (!name) return std::nullopt;
  SecretRef ref;
  ref.name = *name;
  if (source.key == "env") {
    bool valid = !name->empty() && !(name->front() >= '0' && name->front() <= '9');
    for (char c : *name) {
      valid = valid && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_');
    }
    if (!valid) {
      ErrorAtValue(source, Printable(*name) + " is not an environment variable name");
      return std::nullopt;
    }
    ref.source = SecretRef::Source::kEnv;
  } else if (source.key == "keychain") {
    if (name->empty()) {
      ErrorAtValue(source, "the keychain service name must not be empty");
      return std::nullopt;
    }
    ref.source = SecretRef::Source::kKeychain;
  } else {
    if (name->empty()) {
      ErrorAtValue(source, "the secret file path must not be empty");
      return std::nullopt;
    }
    ref.source = SecretRef::Source::kFile;
  }
  return ref;
}

void YamlReader::Format(const YamlEntry& e, std::int64_t expected, const std::string& what) {
  if (auto v = Integer(e, 0, 1000); v && *v != expected) {
    ErrorAtValue(e, "unsupported " + what + " format " + std::to_string(*v) +
                        "; this Accord reads version " + std::to_string(expected));
  }
}

Diagnostics YamlReader::TakeSortedErrors() {
  Diagnostics errors = TakeErrors();
  SortByPosition(errors);
  return errors;
}

}  // namespace accord
