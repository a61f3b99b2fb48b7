// YAML → DesiredState, with every structural error pinned to line:column.
#include "load/yaml_loader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string_view>

#include "core/names.h"

namespace accord {
namespace {

using Keys = std::span<const std::string_view>;

constexpr std::array<std::string_view, 7> kTopKeys = {
    "accord", "device", "uid_ranges", "authority", "users", "filevault", "policy"};
constexpr std::array<std::string_view, 2> kRangeKeys = {"first", "last"};
constexpr std::array<std::string_view, 2> kAuthorityKeys = {"user", "password"};
constexpr std::array<std::string_view, 14> kUserKeys = {"ensure",
                                                        "full_name",
                                                        "uid",
                                                        "uid_range",
                                                        "role",
                                                        "shell",
                                                        "home",
                                                        "hidden",
                                                        "secure_token",
                                                        "password",
                                                        "password_update",
                                                        "old_password",
                                                        "allow_keychain_reset",
                                                        "remove_home"};
constexpr std::array<std::string_view, 3> kSecretKeys = {"env", "file", "keychain"};
constexpr std::array<std::string_view, 2> kFileVaultKeys = {"enabled", "recovery_key"};
constexpr std::array<std::string_view, 2> kRecoveryKeyKeys = {"personal", "escrow"};
constexpr std::array<std::string_view, 2> kPolicyKeys = {"unmanaged_users", "min_token_admins"};

constexpr std::array<std::string_view, 2> kEnsureValues = {"present", "absent"};
constexpr std::array<std::string_view, 2> kRoleValues = {"admin", "standard"};
constexpr std::array<std::string_view, 3> kPasswordUpdateValues = {"on_create", "reset", "change"};
constexpr std::array<std::string_view, 2> kEscrowValues = {"required", "optional"};
constexpr std::array<std::string_view, 3> kUnmanagedValues = {"ignore", "report", "remove"};

// yaml-cpp 0.7 (Debian 12's) loops forever in LoadAll on some inputs (", "):
// its parser starts document after document at the same place (yaml-cpp
// issues #1040 and #499, fixed for LoadAll by PR #1319 in later releases).
// So documents are first walked through YAML::Parser with this handler,
// which notes where each starts and where its first node is; a document
// that starts where the previous one did makes no progress, and the walk
// stops there with an error.
class DocumentMarks : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> start;       // of the document being walked
  std::optional<YAML::Mark> first_node;  // its first node, for messages

  void OnDocumentStart(const YAML::Mark& m) override {
    start = m;
    first_node.reset();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { Node(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { Node(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Node(m);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Node(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Node(m);
  }
  void OnMapEnd() override {}

 private:
  void Node(const YAML::Mark& m) {
    if (!first_node) first_node = m;
  }
};

struct Documents {
  int count = 0;                     // 0, 1 or 2 (two or more)
  std::optional<YAML::Mark> second;  // where the second one starts
  std::optional<YAML::Mark> stuck;   // where the parser stopped making progress
};

// At most three documents are walked: enough to know whether there is more
// than one, and whether the parser is stuck. Throws YAML::Exception on
// syntax errors, as loading would.
Documents WalkDocuments(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentMarks marks;
  Documents out;
  std::optional<int> previous;
  for (int walked = 0; walked < 3 && parser.HandleNextDocument(marks); ++walked) {
    int at = marks.start ? marks.start->pos : -1;
    if (previous && at <= *previous) {
      out.stuck = marks.start;
      return out;
    }
    previous = at;
    out.count = std::min(out.count + 1, 2);
    if (walked == 1) out.second = marks.first_node ? marks.first_node : marks.start;
  }
  return out;
}

SourcePos PosOf(const YAML::Mark& mark) {
  if (mark.is_null()) return {1, 1};
  return {mark.line + 1, mark.column + 1};
}

std::string Join(Keys keys) {
  std::string out;
  for (std::string_view k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

bool IsPlain(const YAML::Node& n) { return n.IsScalar() && n.Tag() != "!"; }

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

// "an integer", "a mapping": what the user wrote, for "expected X, got Y".
std::string KindOf(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing (null)";
  if (n.IsMap()) return "a mapping";
  if (n.IsSequence()) return "a sequence";
  if (!IsPlain(n)) return "a quoted string";
  const std::string& s = n.Scalar();
  if (IsTrue(s) || IsFalse(s) || IsLegacyBool(s)) return "a boolean";
  if (LooksLikeInteger(s)) return "an integer";
  if (LooksLikeFloat(s)) return "a number";
  return "a string";
}

// One key/value pair of a mapping, with its path for messages.
struct Entry {
  std::string key;
  std::string path;
  YAML::Node key_node;
  YAML::Node value;
};

class Loader {
 public:
  explicit Loader(std::string file) : file_(std::move(file)) { state_.file = file_; }

  ParsedDesiredState Run(const std::string& text);

 private:
  void Error(SourcePos pos, const std::string& path, std::string message) {
    errors_.push_back({Severity::kError, file_, pos, path, std::move(message)});
  }
  void Error(const YAML::Node& at, const std::string& path, std::string message) {
    Error(PosOf(at.Mark()), path, std::move(message));
  }
  void ErrorAtValue(const Entry& e, std::string message) {
    // A missing value has no mark of its own: point at its key.
    const YAML::Node& at = e.value.IsNull() ? e.key_node : e.value;
    Error(at, e.path, std::move(message));
  }
  void TypeError(const Entry& e, const std::string& expected) {
    ErrorAtValue(e, "expected " + expected + ", got " + KindOf(e.value));
  }

  bool CheckTabs(const std::string& text);
  std::vector<Entry> Entries(const YAML::Node& map, const std::string& path, Keys allowed);
  bool ExpectMap(const Entry& e, bool null_is_empty = false);

  std::optional<std::string> String(const Entry& e);
  std::optional<std::int64_t> Integer(const Entry& e, std::int64_t min, std::int64_t max);
  std::optional<bool> Bool(const Entry& e);
  std::optional<std::size_t> Choice(const Entry& e, Keys values);
  std::optional<SecretRef> Secret(const Entry& e);

  void Top(const YAML::Node& root);
  void Ranges(const Entry& e);
  void AuthoritySection(const Entry& e);
  void Users(const Entry& e);
  void User(const Entry& e);
  void FileVault(const Entry& e);
  void PolicySection(const Entry& e);

  std::string file_;
  DesiredState state_;
  Diagnostics errors_;
};

bool Loader::CheckTabs(const std::string& text) {
  bool found = false;
  int line = 1;
  bool at_line_start = true;
  int column = 1;
  for (char c : text) {
    if (c == '\n') {
      ++line;
      column = 1;
      at_line_start = true;
      continue;
    }
    if (at_line_start && c == '\t') {
      Error(SourcePos{line, column}, "",
            "tab character in indentation; YAML indents with spaces only");
      found = true;
      at_line_start = false;
    } else if (c != ' ') {
      at_line_start = false;
    }
    ++column;
  }
  return found;
}

std::vector<Entry> Loader::Entries(const YAML::Node& map, const std::string& path, Keys allowed) {
  std::vector<Entry> entries;
  std::map<std::string, SourcePos> seen;
  // yaml-cpp iterators hand out temporaries: copy the (cheap, shared) nodes.
  for (const auto& pair : map) {
    const YAML::Node k = pair.first;
    const YAML::Node v = pair.second;
    std::string where = path.empty() ? "" : path;
    if (!k.IsScalar()) {
      Error(k, where, "a key must be a plain name, got " + KindOf(k));
      continue;
    }
    std::string key = k.Scalar();
    std::string child = path.empty() ? key : path + "." + key;
    if (auto [pos, inserted] = seen.emplace(key, PosOf(k.Mark())); !inserted) {
      Error(k, where,
            "duplicate key " + Printable(key) + " (first defined at line " +
                std::to_string(pos->second.line) + ")");
      continue;
    }
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string hint = DidYouMean(key, allowed);
      Error(k, where,
            "unknown key " + Printable(key) +
                (hint.empty() ? "; valid keys are " + Join(allowed) : hint));
      continue;
    }
    state_.source.Add(child, PosOf(k.Mark()), v.IsNull() ? PosOf(k.Mark()) : PosOf(v.Mark()));
    entries.push_back({key, child, k, v});
  }
  return entries;
}

bool Loader::ExpectMap(const Entry& e, bool null_is_empty) {
  if (e.value.IsMap() || (null_is_empty && e.value.IsNull())) return true;
  TypeError(e, "a mapping");
  return false;
}

std::optional<std::string> Loader::String(const Entry& e) {
  if (!e.value.IsScalar() || (IsPlain(e.value) && KindOf(e.value) != "a string")) {
    TypeError(e, "a string (quote it if it is meant as text)");
    return std::nullopt;
  }
  return e.value.Scalar();
}

std::optional<std::int64_t> Loader::Integer(const Entry& e, std::int64_t min, std::int64_t max) {
  const std::string bounds = "between " + std::to_string(min) + " and " + std::to_string(max);
  if (!IsPlain(e.value) || !LooksLikeInteger(e.value.Scalar())) {
    TypeError(e, "an integer " + bounds);
    return std::nullopt;
  }
  const std::string& s = e.value.Scalar();
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

std::optional<bool> Loader::Bool(const Entry& e) {
  if (IsPlain(e.value) && IsTrue(e.value.Scalar())) return true;
  if (IsPlain(e.value) && IsFalse(e.value.Scalar())) return false;
  if (IsPlain(e.value) && IsLegacyBool(e.value.Scalar())) {
    ErrorAtValue(e, "expected true or false, got '" + e.value.Scalar() +
                        "' (a YAML 1.1 boolean; write true or false)");
  } else {
    TypeError(e, "true or false");
  }
  return std::nullopt;
}

std::optional<std::size_t> Loader::Choice(const Entry& e, Keys values) {
  if (!e.value.IsScalar()) {
    TypeError(e, "one of " + Join(values));
    return std::nullopt;
  }
  const std::string& s = e.value.Scalar();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (s == values[i]) return i;
  }
  ErrorAtValue(e, Printable(s) + " is not one of " + Join(values) + DidYouMean(s, values));
  return std::nullopt;
}

std::optional<SecretRef> Loader::Secret(const Entry& e) {
  // Never echo a scalar here: it may be a password written in plain text.
  if (e.value.IsScalar()) {
    ErrorAtValue(e,
                 "plaintext secrets are not allowed; use {env: NAME}, {file: PATH} or "
                 "{keychain: SERVICE}");
    return std::nullopt;
  }
  if (!e.value.IsMap()) {
    TypeError(e, "{env: NAME}, {file: PATH} or {keychain: SERVICE}");
    return std::nullopt;
  }
  std::vector<Entry> entries = Entries(e.value, e.path, kSecretKeys);
  if (entries.size() != 1) {
    if (entries.size() > 1 || e.value.size() == 0) {
      ErrorAtValue(e, "give exactly one of env, file or keychain");
    }
    return std::nullopt;
  }
  const Entry& source = entries.front();
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

void Loader::Top(const YAML::Node& root) {
  if (root.IsNull()) {
    Error(SourcePos{1, 1}, "", "the file is empty; a desired state starts with 'accord: 1'");
    return;
  }
  if (!root.IsMap()) {
    Error(root, "", "expected a mapping at the top level, got " + KindOf(root));
    return;
  }
  bool has_version = false;
  for (const Entry& e : Entries(root, "", kTopKeys)) {
    if (e.key == "accord") {
      has_version = true;
      if (auto v = Integer(e, 0, 1000); v && *v != kDesiredStateFormat) {
        ErrorAtValue(e, "unsupported format version " + std::to_string(*v) +
                            "; this Accord reads version " + std::to_string(kDesiredStateFormat));
      }
    } else if (e.key == "device") {
      state_.device = String(e);
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
    Error(root, "", "missing 'accord: 1' (the format version) at the top level");
  }
}

void Loader::Ranges(const Entry& e) {
  if (!ExpectMap(e, true)) return;
  for (const Entry& r : Entries(e.value, e.path, {})) {
    if (!ExpectMap(r)) continue;
    UidRange range{r.key, 0, 0};
    bool complete = true;
    bool has_first = false;
    bool has_last = false;
    for (const Entry& f : Entries(r.value, r.path, kRangeKeys)) {
      auto v = Integer(f, kMinUid, kMaxUid);
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
      Error(r.key_node, r.path,
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
  if (!ExpectMap(e)) return;
  Authority authority;
  bool has_user = false;
  for (const Entry& f : Entries(e.value, e.path, kAuthorityKeys)) {
    if (f.key == "user") {
      has_user = true;
      authority.user = String(f).value_or("");
    } else {
      authority.password = Secret(f);
    }
  }
  if (!has_user) Error(e.key_node, e.path, "authority needs 'user', the SecureToken admin");
  state_.authority = authority;
}

void Loader::Users(const Entry& e) {
  if (!ExpectMap(e, true)) return;
  for (const Entry& u : Entries(e.value, e.path, {})) User(u);
}

void Loader::User(const Entry& e) {
  if (!ExpectMap(e, true)) return;
  DesiredUser user;
  user.name = e.key;
  if (e.value.IsMap()) {
    for (const Entry& f : Entries(e.value, e.path, kUserKeys)) {
      const std::string& k = f.key;
      if (k == "ensure") {
        if (auto i = Choice(f, kEnsureValues))
          user.ensure = *i == 0 ? Ensure::kPresent : Ensure::kAbsent;
      } else if (k == "full_name") {
        user.full_name = String(f);
      } else if (k == "uid") {
        user.uid = Integer(f, kMinUid, kMaxUid);
      } else if (k == "uid_range") {
        user.uid_range = String(f);
      } else if (k == "role") {
        if (auto i = Choice(f, kRoleValues)) user.role = *i == 0 ? Role::kAdmin : Role::kStandard;
      } else if (k == "shell") {
        user.shell = String(f);
      } else if (k == "home") {
        user.home = String(f);
      } else if (k == "hidden") {
        user.hidden = Bool(f);
      } else if (k == "secure_token") {
        user.secure_token = Bool(f);
      } else if (k == "password") {
        user.password = Secret(f);
      } else if (k == "password_update") {
        if (auto i = Choice(f, kPasswordUpdateValues)) {
          user.password_update = static_cast<PasswordUpdate>(*i);
        }
      } else if (k == "old_password") {
        user.old_password = Secret(f);
      } else if (k == "allow_keychain_reset") {
        user.allow_keychain_reset = Bool(f).value_or(false);
      } else if (k == "remove_home") {
        user.remove_home = Bool(f).value_or(false);
      }
    }
  }
  state_.users.push_back(std::move(user));
}

void Loader::FileVault(const Entry& e) {
  if (!ExpectMap(e)) return;
  FileVaultSpec spec;
  for (const Entry& f : Entries(e.value, e.path, kFileVaultKeys)) {
    if (f.key == "enabled") {
      spec.enabled = Bool(f);
    } else if (ExpectMap(f)) {
      for (const Entry& k : Entries(f.value, f.path, kRecoveryKeyKeys)) {
        if (k.key == "personal") {
          spec.personal_recovery_key = Bool(k);
        } else if (auto i = Choice(k, kEscrowValues)) {
          spec.escrow = *i == 0 ? Escrow::kRequired : Escrow::kOptional;
        }
      }
    }
  }
  state_.filevault = spec;
}

void Loader::PolicySection(const Entry& e) {
  if (!ExpectMap(e)) return;
  for (const Entry& f : Entries(e.value, e.path, kPolicyKeys)) {
    if (f.key == "unmanaged_users") {
      if (auto i = Choice(f, kUnmanagedValues)) {
        state_.policy.unmanaged_users = static_cast<UnmanagedUsers>(*i);
      }
    } else if (auto v = Integer(f, 1, 64)) {
      state_.policy.min_token_admins = static_cast<int>(*v);
    }
  }
}

ParsedDesiredState Loader::Run(const std::string& text) {
  if (!CheckTabs(text)) {
    try {
      Documents documents = WalkDocuments(text);
      if (documents.stuck) {
        Error(PosOf(*documents.stuck), "",
              "YAML syntax error: the parser makes no progress here (stray ',' or similar)");
      } else if (documents.count > 1) {
        Error(PosOf(*documents.second), "",
              "more than one YAML document; a desired state is one document");
      } else {
        Top(documents.count == 0 ? YAML::Node() : YAML::Load(text));
      }
    } catch (const YAML::DeepRecursion& e) {
      Error(PosOf(e.mark), "", "nesting is too deep for a desired state");
    } catch (const YAML::Exception& e) {
      Error(PosOf(e.mark), "", "YAML syntax error: " + e.msg);
    }
  }
  SortByPosition(errors_);
  return {std::move(state_), std::move(errors_)};
}

}  // namespace

std::size_t ParseYamlOnlyForBenchmark(const std::string& text) {
  try {
    return YAML::Load(text).IsNull() ? 0 : 1;
  } catch (const YAML::Exception&) {
    return 0;
  }
}

ParsedDesiredState ParseDesiredStateYaml(const std::string& text, const std::string& file) {
  return Loader(file).Run(text);
}

}  // namespace accord
