// SPDX-License-Identifier: Apache-2.0
// Lookups and names for the desired-state model.
#include "model/desired_state.h"

namespace accord {

const char* SourceKey(SecretRef::Source source) {
  switch (source) {
    case SecretRef::Source::kEnv: return "env";
    case SecretRef::Source::kFile: return "file";
    case SecretRef::Source::kKeychain: return "keychain";
  }
  return "env";
}

std::string Describe(const SecretRef& secret) {
  return std::string(SourceKey(secret.source)) + " " + secret.name;
}

const DesiredUser* DesiredState::FindUser(const std::string& name) const {
  for (const DesiredUser& u : users) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

const UidRange* DesiredState::FindRange(const std::string& name) const {
  for (const UidRange& r : uid_ranges) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

std::string DesiredState::FileVaultEnabler() const {
  if (filevault && filevault->enabled_by) return *filevault->enabled_by;
  return authority ? authority->user : std::string();
}

const char* ToString(Role role) { return role == Role::kAdmin ? "admin" : "standard"; }

const char* ToString(PasswordUpdate update) {
  switch (update) {
    case PasswordUpdate::kOnCreate: return "on_create";
    case PasswordUpdate::kReset: return "reset";
    case PasswordUpdate::kChange: return "change";
  }
  return "?";
}

const char* ToString(UnmanagedUsers policy) {
  switch (policy) {
    case UnmanagedUsers::kIgnore: return "ignore";
    case UnmanagedUsers::kReport: return "report";
    case UnmanagedUsers::kRemove: return "remove";
  }
  return "?";
}

}  // namespace accord
