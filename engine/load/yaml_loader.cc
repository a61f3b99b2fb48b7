// SPDX-License-Identifier: Apache-2.0
// YAML → DesiredState, with every structural error pinned to line:column.
// The YAML itself is read by load/yaml_tree; this file knows the format.
#include "load/yaml_loader.h"

#include <array>
#include <optional>
#include <string_view>
#include <type_traits>

#include "core/names.h"
#include "load/yaml_reader.h"
#include "model/user_fields.h"

namespace accord {
namespace {

using Keys = YamlReader::Keys;
using Entry = YamlEntry;

constexpr std::array<std::string_view, 7> kTopKeys = {
    "accord", "device", "uid_ranges", "authority", "users", "filevault", "policy"};
constexpr std::array<std::string_view, 2> kRangeKeys = {"first", "last"};
constexpr std::array<std::string_view, 2> kAuthorityKeys = {"user", "password"};
constexpr std::array<std::string_view, 4> kFileVaultKeys = {"enabled", "enabled_by",
                                                            "allow_decrypt", "recovery_key"};
constexpr std::array<std::string_view, 2> kRecoveryKeyKeys = {"personal", "escrow"};
constexpr std::array<std::string_view, 2> kPolicyKeys = {"unmanaged_users", "min_token_admins"};

constexpr std::array<std::string_view, 2> kEscrowValues = {"required", "optional"};
constexpr std::array<std::string_view, 3> kUnmanagedValues = {"ignore", "report", "remove"};

class Loader {
 public:
  explicit Loader(const std::string& file) : r_(file, &state_.source) { state_.file = file; }

  ParsedDesiredState Run(const std::string& text);

 private:
  void Top(const YamlNode& root);
  void Ranges(const Entry& e);
  void AuthoritySection(const Entry& e);
  void Users(const Entry& e);
  void User(const Entry& e);
  // One user field's value, by its type (model/user_fields.h).
  void Read(const Entry& f, std::optional<std::string>& v) { v = r_.String(f); }
  // The only integer field is the UID.
  void Read(const Entry& f, std::optional<std::int64_t>& v) { v = r_.Integer(f, kMinUid, kMaxUid); }
  void Read(const Entry& f, std::optional<bool>& v) { v = r_.Bool(f); }
  void Read(const Entry& f, bool& v) { v = r_.Bool(f).value_or(false); }
  void Read(const Entry& f, std::optional<SecretRef>& v) { v = r_.Secret(f); }
  template <typename E>
  requires std::is_enum_v<E>
  void Read(const Entry& f, E& v) {
    if (auto i = r_.Choice(f, NamesOf(E{}))) v = static_cast<E>(*i);
  }
  template <typename E>
  requires std::is_enum_v<E>
  void Read(const Entry& f, std::optional<E>& v) {
    if (auto i = r_.Choice(f, NamesOf(E{}))) v = static_cast<E>(*i);
  }
  void FileVault(const Entry& e);
  void PolicySection(const Entry& e);

  DesiredState state_;
  YamlReader r_;
};

void Loader::Top(const YamlNode& root) {
  if (root.IsNull()) {
    r_.Error(SourcePos{1, 1}, "", "the file is empty; a desired state starts with 'accord: 1'");
    return;
  }
  if (!root.IsMap()) {
    r_.Error(root, "", "expected a mapping at the top level, got " + KindOf(root));
    return;
  }
  bool has_version = false;
  for (const Entry& e : r_.Entries(root, "", kTopKeys)) {
    if (e.key == "accord") {
      has_version = true;
      if (auto v = r_.Integer(e, 0, 1000); v && *v != kDesiredStateFormat) {
        r_.ErrorAtValue(e, "unsupported format version " + std::to_string(*v) +
                               "; this Accord reads version " +
                               std::to_string(kDesiredStateFormat));
      }
    } else if (e.key == "device") {
      state_.device = r_.String(e);
    } else if (e.key == "uid_ranges") {
      Ranges(e);
    } else if (e.key == "authority") {
      AuthoritySection(e);
    } else if (e.key == "users") {
      Users(e);
    } else if (e.key == "filevault") {
      FileVault(e);
    } else if (e.key == "policy") {
      PolicySection(e);
    }
  }
  if (!has_version) {
    r_.Error(root, "", "missing 'accord: 1' (the format version) at the top level");
  }
}

void Loader::Ranges(const Entry& e) {
  if (!r_.ExpectMap(e, true)) return;
  for (const Entry& r : r_.Entries(*e.value, e.path, {})) {
    if (!r_.ExpectMap(r)) continue;
    UidRange range{r.key, 0, 0};
    bool complete = true;
    bool has_first = false;
    bool has_last = false;
    for (const Entry& f : r_.Entries(*r.value, r.path, kRangeKeys)) {
      auto v = r_.Integer(f, kMinUid, kMaxUid);
      complete = complete && v.has_value();
      if (f.key == "first") {
        has_first = true;
        range.first = v.value_or(0);
      } else {
        has_last = true;
        range.last = v.value_or(0);
      }
    }
    if (!has_first || !has_last) {
      r_.Error(*r.key_node, r.path,
               std::string("a UID range needs both first and last; missing ") +
                   (has_first ? "last" : "first"));
      complete = false;
    }
    // Incomplete ranges are still recorded so references to them resolve;
    // they are marked empty so no UID is ever drawn from them.
    if (!complete) range = UidRange{r.key, 1, 0};
    state_.uid_ranges.push_back(range);
  }
}

void Loader::AuthoritySection(const Entry& e) {
  if (!r_.ExpectMap(e)) return;
  Authority authority;
  bool has_user = false;
  for (const Entry& f : r_.Entries(*e.value, e.path, kAuthorityKeys)) {
    if (f.key == "user") {
      has_user = true;
      authority.user = r_.String(f).value_or("");
    } else {
      authority.password = r_.Secret(f);
    }
  }
  if (!has_user) r_.Error(*e.key_node, e.path, "authority needs 'user', the SecureToken admin");
  state_.authority = authority;
}

void Loader::Users(const Entry& e) {
  if (!r_.ExpectMap(e, true)) return;
  for (const Entry& u : r_.Entries(*e.value, e.path, {})) User(u);
}

void Loader::User(const Entry& e) {
  if (!r_.ExpectMap(e, true)) return;
  DesiredUser user;
  user.name = e.key;
  if (e.value->IsMap()) {
    for (const Entry& f : r_.Entries(*e.value, e.path, kUserFieldKeys)) {
      ForEachUserField([&](std::string_view key, auto field) {
        if (f.key == key) Read(f, user.*decltype(field)::member);
      });
    }
  }
  state_.users.push_back(std::move(user));
}

void Loader::FileVault(const Entry& e) {
  if (!r_.ExpectMap(e)) return;
  FileVaultSpec spec;
  for (const Entry& f : r_.Entries(*e.value, e.path, kFileVaultKeys)) {
    if (f.key == "enabled") {
      spec.enabled = r_.Bool(f);
    } else if (f.key == "enabled_by") {
      spec.enabled_by = r_.String(f);
    } else if (f.key == "allow_decrypt") {
      spec.allow_decrypt = r_.Bool(f).value_or(false);
    } else if (r_.ExpectMap(f)) {
      for (const Entry& k : r_.Entries(*f.value, f.path, kRecoveryKeyKeys)) {
        if (k.key == "personal") {
          spec.personal_recovery_key = r_.Bool(k);
        } else if (auto i = r_.Choice(k, kEscrowValues)) {
          spec.escrow = *i == 0 ? Escrow::kRequired : Escrow::kOptional;
        }
      }
    }
  }
  state_.filevault = spec;
}

void Loader::PolicySection(const Entry& e) {
  if (!r_.ExpectMap(e)) return;
  for (const Entry& f : r_.Entries(*e.value, e.path, kPolicyKeys)) {
    if (f.key == "unmanaged_users") {
      if (auto i = r_.Choice(f, kUnmanagedValues)) {
        state_.policy.unmanaged_users = static_cast<UnmanagedUsers>(*i);
      }
    } else if (auto v = r_.Integer(f, 1, 64)) {
      state_.policy.min_token_admins = static_cast<int>(*v);
    }
  }
}

ParsedDesiredState Loader::Run(const std::string& text) {
  ParsedYaml yaml = ParseYaml(text, state_.file, "a desired state");
  if (yaml.errors.empty()) Top(yaml.root);
  Diagnostics errors = std::move(yaml.errors);
  Diagnostics found = r_.TakeErrors();
  errors.insert(errors.end(), found.begin(), found.end());
  SortByPosition(errors);
  return {std::move(state_), std::move(errors)};
}

}  // namespace

ParsedDesiredState ParseDesiredStateYaml(const std::string& text, const std::string& file) {
  return Loader(file).Run(text);
}

}  // namespace accord
