// SPDX-License-Identifier: Apache-2.0
// The enrollment file's structure and its own rules (names, collisions).
#include "load/enrollment_loader.h"

#include <array>
#include <string_view>

#include "core/names.h"
#include "core/text_file.h"
#include "load/yaml_reader.h"

namespace accord {
namespace {

constexpr std::array<std::string_view, 6> kTopKeys = {
    "accord_enrollment", "agent", "mdm", "users", "filevault", "headless"};
constexpr std::array<std::string_view, 6> kAgentKeys = {
    "name", "service_account", "uid", "token_admin", "ensure", "password_length"};
constexpr std::array<std::string_view, 2> kPolicyKeys = {"min_length", "complex"};
constexpr std::int64_t kMaxPasswordLength = 1024;
constexpr std::array<std::string_view, 2> kTokenAdminKeys = {"user", "password"};
constexpr std::array<std::string_view, 5> kMdmKeys = {
    "name", "escrows_bootstrap_token", "enrollment", "skip_account_creation", "password_policy"};
constexpr std::array<std::string_view, 2> kEnrollmentValues = {"automated", "user_approved"};
constexpr std::array<std::string_view, 6> kUserKeys = {
    "take_over", "full_name", "role", "secure_token", "allow_keychain_reset", "password_sync"};
constexpr std::array<std::string_view, 2> kPasswordSyncValues = {"reset", "previous_password"};
constexpr std::array<std::string_view, 2> kFileVaultKeys = {"enabled_by", "escrow_recovery_key"};
constexpr std::array<std::string_view, 2> kEnsureValues = {"present", "absent"};
constexpr std::array<std::string_view, 2> kRoleValues = {"admin", "standard"};

class EnrollmentParser {
 public:
  explicit EnrollmentParser(const std::string& file) : r_(file, &e_.source) { e_.file = file; }

  Result<Enrollment> Run(const std::string& text) {
    ParsedYaml yaml = ParseYaml(text, e_.file, "an enrollment file");
    if (!yaml.errors.empty()) return yaml.errors;
    Top(yaml.root);
    if (r_.ok()) CrossChecks();
    Diagnostics errors = r_.TakeSortedErrors();
    if (!errors.empty()) return errors;
    return std::move(e_);
  }

 private:
  void Top(const YamlNode& root) {
    if (!root.IsMap()) {
      r_.Error(root, "",
               "an enrollment file is a mapping starting with 'accord_enrollment: 1', got " +
                   KindOf(root));
      return;
    }
    bool has_version = false;
    for (const YamlEntry& e : r_.Entries(root, "", kTopKeys)) {
      if (e.key == "accord_enrollment") {
        has_version = true;
        r_.Format(e, kEnrollmentFormat, "enrollment");
      } else if (e.key == "agent") {
        Agent(e);
      } else if (e.key == "mdm") {
        Mdm(e);
      } else if (e.key == "users") {
        Users(e);
      } else if (e.key == "filevault") {
        FileVault(e);
      } else {
        e_.headless = r_.Bool(e).value_or(false);
      }
    }
    if (!has_version) {
      r_.Error(root, "", "missing 'accord_enrollment: 1' (the enrollment file's format)");
    }
  }

  void Agent(const YamlEntry& e) {
    if (!r_.ExpectMap(e)) return;
    AgentSpec agent;
    bool has_account = false;
    for (const YamlEntry& f : r_.Entries(*e.value, e.path, kAgentKeys)) {
      if (f.key == "name") {
        agent.name = r_.String(f).value_or("");
      } else if (f.key == "service_account") {
        has_account = true;
        agent.service_account = ServiceAccountName(f).value_or("");
      } else if (f.key == "uid") {
        // Outside the people ranges: hidden and system accounts are below 500.
        if (auto uid = r_.Integer(f, kMinUid, kMaxUid)) {
          if (*uid >= kSystemUidLimit) {
            r_.ErrorAtValue(f, "uid " + std::to_string(*uid) +
                                   " is in the people range (500 and up); a service account's "
                                   "UID is below 500");
          }
          agent.uid = uid;
        }
      } else if (f.key == "token_admin") {
        agent.token_admin = TokenAdmin(f);
      } else if (f.key == "password_length") {
        agent.password_length = r_.Integer(f, 1, kMaxPasswordLength);
      } else if (auto i = r_.Choice(f, kEnsureValues)) {
        agent.ensure = *i == 0 ? Ensure::kPresent : Ensure::kAbsent;
      }
    }
    if (!has_account) {
      r_.Error(*e.key_node, e.path,
               "agent needs 'service_account', the hidden account it creates "
               "(e.g. _jumpcloudserviceaccount)");
    }
    if (agent.name.empty()) agent.name = "the agent";
    e_.agent = std::move(agent);
  }

  std::optional<PasswordPolicy> Policy(const YamlEntry& e) {
    if (!r_.ExpectMap(e)) return std::nullopt;
    PasswordPolicy policy;
    for (const YamlEntry& f : r_.Entries(*e.value, e.path, kPolicyKeys)) {
      if (f.key == "min_length") {
        policy.min_length = r_.Integer(f, 0, kMaxPasswordLength).value_or(0);
      } else {
        policy.complex = r_.Bool(f).value_or(false);
      }
    }
    return policy;
  }

  std::optional<std::string> ServiceAccountName(const YamlEntry& f) {
    std::optional<std::string> name = r_.String(f);
    if (!name) return std::nullopt;
    if (Status problem = CheckNewShortName(*name); !problem.ok()) {
      r_.ErrorAtValue(f, problem.message());
      return std::nullopt;
    }
    if (name->front() != '_') {
      r_.ErrorAtValue(f, Printable(*name) +
                             " is not a role account name; a service account is a hidden role "
                             "account whose name starts with '_' (e.g. _jumpcloudserviceaccount)");
      return std::nullopt;
    }
    return name;
  }

  std::optional<Authority> TokenAdmin(const YamlEntry& e) {
    if (!r_.ExpectMap(e)) return std::nullopt;
    Authority admin;
    bool has_user = false;
    bool has_password = false;
    for (const YamlEntry& f : r_.Entries(*e.value, e.path, kTokenAdminKeys)) {
      if (f.key == "user") {
        has_user = true;
        admin.user = AccountName(f).value_or("");
      } else {
        has_password = true;
        admin.password = r_.Secret(f);
      }
    }
    if (!has_user) r_.Error(*e.key_node, e.path, "token_admin needs 'user', a SecureToken admin");
    if (!has_password) {
      r_.Error(*e.key_node, e.path,
               "token_admin needs 'password' ({env: NAME}, {file: PATH} or {keychain: SERVICE}); "
               "without credentials, leave token_admin out");
    }
    return admin;
  }

  // A name as the directory or the Mac spells it: POSIX portable characters.
  std::optional<std::string> AccountName(const YamlEntry& f) {
    std::optional<std::string> name = r_.String(f);
    if (!name) return std::nullopt;
    if (Status problem = CheckShortName(*name); !problem.ok()) {
      r_.ErrorAtValue(f, problem.message());
      return std::nullopt;
    }
    return name;
  }

  void Mdm(const YamlEntry& e) {
    if (!r_.ExpectMap(e)) return;
    MdmSpec mdm;
    bool has_bootstrap = false;
    const YamlEntry* skip = nullptr;
    std::vector<YamlEntry> entries = r_.Entries(*e.value, e.path, kMdmKeys);
    for (const YamlEntry& f : entries) {
      if (f.key == "name") {
        mdm.name = r_.String(f).value_or("");
      } else if (f.key == "enrollment") {
        if (auto i = r_.Choice(f, kEnrollmentValues)) mdm.enrollment = EnrollmentKind(*i);
      } else if (f.key == "password_policy") {
        mdm.password_policy = Policy(f);
      } else if (f.key == "skip_account_creation") {
        mdm.skip_account_creation = r_.Bool(f).value_or(false);
        skip = &f;
      } else {
        has_bootstrap = true;
        mdm.escrows_bootstrap_token = r_.Bool(f).value_or(false);
      }
    }
    // Only Setup Assistant, in automated enrollment, can skip creating the
    // local account.
    if (skip && mdm.skip_account_creation && mdm.enrollment != EnrollmentKind::kAutomated) {
      r_.Error(*skip->key_node, skip->path,
               "skip_account_creation applies only to automated enrollment (ADE, in Setup "
               "Assistant): set mdm.enrollment: automated");
    }
    if (!has_bootstrap) {
      r_.Error(*e.key_node, e.path,
               "mdm needs 'escrows_bootstrap_token': true when the MDM supports and escrows a "
               "Bootstrap Token, false when it does not (some, like JumpCloud's, do "
               "not use it)");
    }
    if (mdm.name.empty()) mdm.name = "the MDM";
    e_.mdm = std::move(mdm);
  }

  void Users(const YamlEntry& e) {
    if (!r_.ExpectMap(e, true)) return;
    for (const YamlEntry& u : r_.Entries(*e.value, e.path, {})) {
      BoundUser user;
      if (Status problem = CheckShortName(u.key); !problem.ok()) {
        r_.Error(*u.key_node, u.path,
                 "bound user " + Printable(u.key) + ": " + problem.message() +
                     "; JumpCloud's Best Practices for macOS Accounts asks for POSIX characters "
                     "only, on the Mac and in "
                     "the directory");
        continue;
      }
      user.name = u.key;
      if (!r_.ExpectMap(u, true)) continue;
      for (const YamlEntry& f : r_.Entries(*u.value, u.path, kUserKeys)) {
        if (f.key == "take_over") {
          user.take_over = r_.Bool(f).value_or(false);
        } else if (f.key == "full_name") {
          user.full_name = r_.String(f);
          if (user.full_name) {
            if (Status problem = CheckFullName(*user.full_name); !problem.ok())
              r_.ErrorAtValue(f, problem.message());
          }
        } else if (f.key == "role") {
          if (auto i = r_.Choice(f, kRoleValues))
            user.role = *i == 0 ? Role::kAdmin : Role::kStandard;
        } else if (f.key == "secure_token") {
          user.secure_token = r_.Bool(f).value_or(true);
        } else if (f.key == "password_sync") {
          if (auto i = r_.Choice(f, kPasswordSyncValues)) user.password_sync = PasswordSync(*i);
        } else {
          user.allow_keychain_reset = r_.Bool(f).value_or(false);
        }
      }
      e_.users.push_back(std::move(user));
    }
  }

  void FileVault(const YamlEntry& e) {
    if (!r_.ExpectMap(e)) return;
    FileVaultPolicy policy;
    bool has_user = false;
    for (const YamlEntry& f : r_.Entries(*e.value, e.path, kFileVaultKeys)) {
      if (f.key == "enabled_by") {
        has_user = true;
        policy.enabled_by = AccountName(f).value_or("");
      } else {
        policy.escrow_recovery_key = r_.Bool(f).value_or(true);
      }
    }
    if (!has_user) {
      r_.Error(*e.key_node, e.path,
               "filevault needs 'enabled_by', the account whose password FileVault will share "
               "(as in JumpCloud's Best Practices for macOS Accounts)");
    }
    e_.filevault = std::move(policy);
  }

  // Rules between sections: names that would be one account on a Mac
  // (names are case-insensitive), and an agent removed while binding users.
  void CrossChecks() {
    if (!e_.agent) return;
    const AgentSpec& agent = *e_.agent;
    for (const BoundUser& u : e_.users) {
      if (!agent.service_account.empty() && ToLower(u.name) == ToLower(agent.service_account)) {
        SourcePos bound = e_.source.Key("users." + u.name);
        r_.Error(e_.source.Value("agent.service_account"), "agent.service_account",
                 "service account " + Printable(agent.service_account) +
                     " collides with bound user " + Printable(u.name) + " (line " +
                     std::to_string(bound.line) +
                     "); the agent's account and a person's would be one account");
      }
    }
    if (agent.token_admin && ToLower(agent.token_admin->user) == ToLower(agent.service_account)) {
      r_.Error(e_.source.Value("agent.token_admin.user"), "agent.token_admin.user",
               "the token admin is the service account itself; name the SecureToken admin whose "
               "credentials the installer is given");
    }
    if (agent.ensure == Ensure::kAbsent && !e_.users.empty()) {
      r_.Error(e_.source.Key("users"), "users",
               "users are bound by the agent, and this file removes it (agent.ensure: absent); "
               "bind users in another enrollment, or keep the agent");
    }
  }

  Enrollment e_;
  YamlReader r_;
};

}  // namespace

Result<Enrollment> ParseEnrollment(const std::string& text, const std::string& file) {
  return EnrollmentParser(file).Run(text);
}

bool LooksLikeEnrollmentFile(const std::string& text) {
  return text.rfind("accord_enrollment:", 0) == 0 ||
         text.find("\naccord_enrollment:") != std::string::npos;
}

Result<Enrollment> LoadEnrollmentFile(const std::string& path) {
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.errors();
  return ParseEnrollment(text.value(), path);
}

}  // namespace accord
