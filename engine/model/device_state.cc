// SPDX-License-Identifier: Apache-2.0
// Lookups and names for the observed-device model.
#include "model/device_state.h"

namespace accord {

const ObservedUser* DeviceState::FindUser(const std::string& name) const {
  for (const ObservedUser& u : users) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

std::string MacName(const Known<std::string>& name) { return name.value_or("this Mac"); }

const char* ToString(FileVaultStatus status) {
  switch (status) {
    case FileVaultStatus::kOff: return "off";
    case FileVaultStatus::kOn: return "on";
    case FileVaultStatus::kEncrypting: return "encrypting";
    case FileVaultStatus::kDecrypting: return "decrypting";
    case FileVaultStatus::kDeferred: return "deferred";
  }
  return "?";
}

std::optional<FileVaultStatus> ParseFileVaultStatus(const std::string& text) {
  for (auto s : {FileVaultStatus::kOff, FileVaultStatus::kOn, FileVaultStatus::kEncrypting,
                 FileVaultStatus::kDecrypting, FileVaultStatus::kDeferred}) {
    if (text == ToString(s)) return s;
  }
  return std::nullopt;
}

}  // namespace accord
