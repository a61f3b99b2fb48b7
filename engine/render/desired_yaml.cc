// SPDX-License-Identifier: Apache-2.0
// Writing desired state as YAML by hand: a handful of shapes, every string
// double-quoted, so no value can be misread (no YAML 1.1 booleans, no
// numbers where text was meant).
#include "render/desired_yaml.h"

#include <type_traits>

#include "core/names.h"
#include "model/user_fields.h"

namespace accord {
namespace {

// A key as written: plain where it is a plain name, quoted otherwise.
std::string Key(const std::string& k) {
  bool plain = !k.empty();
  for (char c : k) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-' || c == '.');
  }
  return plain && k.front() != '-' ? k : DoubleQuoted(k);
}

std::string Secret(const SecretRef& s) {
  return std::string("{") + SourceKey(s.source) + ": " + DoubleQuoted(s.name) + "}";
}

class Writer {
 public:
  Writer(const DesiredState& s, const BlockComments& comments) : s_(s), comments_(comments) {}

  // `key: value` at `indent`, if `path` was set, with where it came from.
  void Line(int indent, const std::string& key, const std::string& value, const std::string& path) {
    out_ += std::string(static_cast<std::size_t>(indent), ' ') + Key(key) + ":";
    if (!value.empty()) out_ += " " + value;
    if (std::string origin = s_.source.Origin(path); !origin.empty()) out_ += "  # " + origin;
    out_ += "\n";
  }
  void Set(int indent, const std::string& key, const std::string& value, const std::string& path) {
    if (s_.source.Has(path)) Line(indent, key, value, path);
  }
  // The comments of `block`, inside it at `indent`, or, if it was not
  // written, as a commented-out block at `indent`.
  void Comments(const std::string& block, int indent, bool written) {
    auto it = comments_.find(block);
    if (it == comments_.end()) return;
    std::string pad(static_cast<std::size_t>(indent), ' ');
    std::string inner = written ? "" : "  ";
    if (!written) out_ += pad + "# " + block.substr(block.rfind('.') + 1) + ":\n";
    for (const std::string& line : it->second) out_ += pad + "# " + inner + line + "\n";
  }
  std::string Take() { return std::move(out_); }

 private:
  const DesiredState& s_;
  const BlockComments& comments_;
  std::string out_;
};

template <typename T>
std::string Text(const std::optional<T>& v, std::string (*f)(const T&)) {
  return v ? f(*v) : "null";
}
std::string Str(const std::string& s) { return DoubleQuoted(s); }
std::string Int(const std::int64_t& i) { return std::to_string(i); }
std::string Bool(const bool& b) { return b ? "true" : "false"; }
std::string Sec(const SecretRef& s) { return Secret(s); }

// A user field's value as YAML, by its type (model/user_fields.h).
std::string Yaml(const std::optional<std::string>& v) { return Text(v, Str); }
std::string Yaml(const std::optional<std::int64_t>& v) { return Text(v, Int); }
std::string Yaml(const std::optional<bool>& v) { return Text(v, Bool); }
std::string Yaml(bool v) { return Bool(v); }
std::string Yaml(const std::optional<SecretRef>& v) { return Text(v, Sec); }
template <typename E>
requires std::is_enum_v<E> std::string Yaml(E v) { return std::string(NameOf(v)); }
template <typename E>
requires std::is_enum_v<E> std::string Yaml(const std::optional<E>& v) {
  return v ? std::string(NameOf(*v)) : "null";
}

void User(Writer& w, const DesiredUser& u) {
  const std::string p = "users." + u.name + ".";
  w.Line(2, u.name, "", "users." + u.name);
  ForEachUserField([&](std::string_view key, auto field) {
    w.Set(4, std::string(key), Yaml(u.*decltype(field)::member), p + std::string(key));
  });
  w.Comments("users." + u.name, 4, true);
}

}  // namespace

std::string DesiredYamlHeader(const std::vector<std::string>& header) {
  std::string out;
  for (const std::string& line : header) out += "# " + line + "\n";
  return out;
}

std::string RenderDesiredYaml(const DesiredState& s, const std::vector<std::string>& header,
                              const BlockComments& comments) {
  Writer w(s, comments);
  w.Line(0, "accord", std::to_string(kDesiredStateFormat), "");
  w.Set(0, "device", Text(s.device, Str), "device");
  if (!s.uid_ranges.empty()) {
    w.Line(0, "uid_ranges", "", "");
    for (const UidRange& r : s.uid_ranges) {
      w.Line(2, r.name,
             "{first: " + std::to_string(r.first) + ", last: " + std::to_string(r.last) + "}",
             "uid_ranges." + r.name);
    }
  }
  if (s.authority) {
    w.Line(0, "authority", "", "authority");
    w.Line(2, "user", DoubleQuoted(s.authority->user), "authority.user");
    w.Set(2, "password", Text(s.authority->password, Sec), "authority.password");
  }
  w.Comments("authority", s.authority ? 2 : 0, s.authority.has_value());
  if (!s.users.empty()) {
    w.Line(0, "users", "", "");
    for (const DesiredUser& u : s.users) User(w, u);
  }
  if (s.filevault) {
    const FileVaultSpec& f = *s.filevault;
    bool enabled = s.source.Has("filevault.enabled");
    bool enabled_by = s.source.Has("filevault.enabled_by");
    bool personal = s.source.Has("filevault.recovery_key.personal");
    bool escrow = s.source.Has("filevault.recovery_key.escrow");
    bool decrypt = s.source.Has("filevault.allow_decrypt");
    w.Line(0, "filevault", enabled || enabled_by || personal || escrow || decrypt ? "" : "{}",
           "filevault");
    w.Set(2, "enabled", Text(f.enabled, Bool), "filevault.enabled");
    w.Set(2, "enabled_by", Text(f.enabled_by, Str), "filevault.enabled_by");
    w.Set(2, "allow_decrypt", Bool(f.allow_decrypt), "filevault.allow_decrypt");
    if (personal || escrow) {
      w.Line(2, "recovery_key", "", "filevault.recovery_key");
      w.Set(4, "personal", Text(f.personal_recovery_key, Bool), "filevault.recovery_key.personal");
      w.Set(4, "escrow", f.escrow == Escrow::kRequired ? "required" : "optional",
            "filevault.recovery_key.escrow");
    }
  }
  w.Comments("filevault", s.filevault ? 2 : 0, s.filevault.has_value());
  bool unmanaged = s.source.Has("policy.unmanaged_users");
  bool min_admins = s.source.Has("policy.min_token_admins");
  if (unmanaged || min_admins) {
    w.Line(0, "policy", "", "policy");
    w.Set(2, "unmanaged_users", ToString(s.policy.unmanaged_users), "policy.unmanaged_users");
    w.Set(2, "min_token_admins", std::to_string(s.policy.min_token_admins),
          "policy.min_token_admins");
  }
  return DesiredYamlHeader(header) + w.Take();
}

}  // namespace accord
