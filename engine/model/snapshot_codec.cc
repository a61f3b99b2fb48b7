// SPDX-License-Identifier: Apache-2.0
// Strict snapshot JSON reading and canonical writing (nlohmann/json).
#include "model/snapshot_codec.h"

#include <array>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <string_view>

#include "core/json_reader.h"
#include "core/names.h"
#include "core/text_file.h"
#include "core/version.h"
#include "model/desired_state.h"
#include "model/snapshot_fast.h"
#include "model/snapshot_keys.h"

namespace accord {
namespace {

using OrderedJson = nlohmann::ordered_json;
using snapshot::kBootstrapKeys;
using snapshot::kFileVaultKeys;
using snapshot::kHomeKeys;
using snapshot::kMdmKeys;
using snapshot::kTopKeys;
using snapshot::kUserKeys;
using snapshot::kVolumeKeys;

class Reader : public JsonFields {
 public:
  explicit Reader(std::string file) : JsonFields(std::move(file)) {}

  Result<DeviceState> Run(const Json& root);

 private:
  // Account IDs as dscl (nobody is -2) or osquery (4294967294) reports
  // them, read as one value (NormalizeUid).
  Known<std::int64_t> Id(const Json& parent, const std::string& path, const char* key) {
    return NormalizeUid(
        Integer(parent, path, key, snapshot::kIdMin, snapshot::kIdMax, "a macOS account ID"));
  }

  void Mdm(const Json& j, const std::string& path, MdmState& mdm);
  void User(const Json& j, const std::string& path, DeviceState& state);
  void Home(const Json& j, const std::string& path, DeviceState& state);
  void FileVault(const Json& j, const std::string& path, FileVaultState& fv);

  std::set<std::string> names_;  // users seen so far, to catch duplicates
};

void Reader::Mdm(const Json& j, const std::string& path, MdmState& mdm) {
  if (j.is_null() || !Object(j, path, kMdmKeys)) return;
  mdm.enrolled = Bool(j, path, "enrolled");
  mdm.recovery_key_escrow_payload = Bool(j, path, "recovery_key_escrow_payload");
  auto bt = j.find("bootstrap_token");
  if (bt == j.end() || bt->is_null()) return;
  const std::string bt_path = Join(path, "bootstrap_token");
  if (!Object(*bt, bt_path, kBootstrapKeys)) return;
  mdm.bootstrap_token_supported = Bool(*bt, bt_path, "supported");
  mdm.bootstrap_token_escrowed = Bool(*bt, bt_path, "escrowed");
}

void Reader::User(const Json& j, const std::string& path, DeviceState& state) {
  if (!Object(j, path, kUserKeys)) return;
  ObservedUser u;
  Known<std::string> name = String(j, path, "name");
  if (!name || name->empty()) {
    Error(Join(path, "name"), "every user needs a name (the short name)");
    return;
  }
  u.name = *name;
  if (!names_.insert(u.name).second) {
    Error(Join(path, "name"), "user " + Printable(u.name) + " is listed twice");
    return;
  }
  u.uid = Id(j, path, "uid");
  u.gid = Id(j, path, "gid");
  u.full_name = String(j, path, "full_name");
  u.shell = String(j, path, "shell");
  u.home = String(j, path, "home");
  u.guid = String(j, path, "guid");
  u.hidden = Bool(j, path, "hidden");
  u.admin = Bool(j, path, "admin");
  u.secure_token = Bool(j, path, "secure_token");
  u.filevault_password_in_sync = Bool(j, path, "filevault_password_in_sync");
  u.keychain_in_sync = Bool(j, path, "keychain_in_sync");
  u.password_set_from = String(j, path, "password_set_from");
  u.password_last_set = String(j, path, "password_last_set");
  u.volume_owner = Bool(j, path, "volume_owner");
  state.users.push_back(std::move(u));
}

void Reader::Home(const Json& j, const std::string& path, DeviceState& state) {
  if (!Object(j, path, kHomeKeys)) return;
  Known<std::string> p = String(j, path, "path");
  if (!p || p->empty() || p->front() != '/') {
    Error(Join(path, "path"), "every home needs an absolute path");
    return;
  }
  state.homes.push_back({*p, Id(j, path, "uid")});
}

void Reader::FileVault(const Json& j, const std::string& path, FileVaultState& fv) {
  if (j.is_null() || !Object(j, path, kFileVaultKeys)) return;
  if (Known<std::string> status = String(j, path, "status")) {
    fv.status = ParseFileVaultStatus(*status);
    if (!fv.status) {
      Error(Join(path, "status"),
            Printable(*status) + " is not one of off, on, encrypting, decrypting, deferred");
    }
  }
  fv.deferred_user = String(j, path, "deferred_user");
  fv.deferred_since = String(j, path, "deferred_since");
  fv.personal_recovery_key = Bool(j, path, "personal_recovery_key");
  fv.recovery_key_escrowed = Bool(j, path, "recovery_key_escrowed");
  fv.institutional_recovery_key = Bool(j, path, "institutional_recovery_key");
  fv.escrow_pending = Bool(j, path, "escrow_pending").value_or(false);
  fv.escrow_pending_since = String(j, path, "escrow_pending_since");
}

Result<DeviceState> Reader::Run(const Json& root) {
  DeviceState state;
  if (!Object(root, "", kTopKeys)) return errors();
  auto version = root.find("accord_device");
  if (version == root.end()) {
    Error("accord_device", "missing: a device snapshot starts with \"accord_device\": 1");
  } else if (!version->is_number_integer() || *version != kDeviceSnapshotFormat) {
    Error("accord_device", "unsupported snapshot format " + version->dump() +
                               "; this Accord reads format " +
                               std::to_string(kDeviceSnapshotFormat));
  }
  String(root, "", "version");  // which Accord wrote it: informative, but a string
  state.name = String(root, "", "name");
  state.serial = String(root, "", "serial");
  state.hardware_uuid = String(root, "", "hardware_uuid");
  state.os_version = String(root, "", "os_version");
  state.console_user = String(root, "", "console_user");
  if (auto mdm = root.find("mdm"); mdm != root.end()) Mdm(*mdm, "mdm", state.mdm);
  if (auto volume = root.find("volume");
      volume != root.end() && !volume->is_null() && Object(*volume, "volume", kVolumeKeys)) {
    state.volume_case_sensitive = Bool(*volume, "volume", "case_sensitive");
  }
  auto users = root.find("users");
  if (users == root.end() || !users->is_array()) {
    Error("users", users == root.end() ? "missing: the list of accounts is required"
                                       : "expected an array, got " + KindOf(*users));
  } else {
    for (std::size_t i = 0; i < users->size(); ++i) {
      User((*users)[i], "users[" + std::to_string(i) + "]", state);
    }
  }
  if (auto homes = root.find("homes"); homes != root.end() && !homes->is_null()) {
    if (!homes->is_array()) {
      Error("homes", "expected an array, got " + KindOf(*homes));
    } else {
      for (std::size_t i = 0; i < homes->size(); ++i) {
        Home((*homes)[i], "homes[" + std::to_string(i) + "]", state);
      }
    }
  }
  if (auto fv = root.find("filevault"); fv != root.end())
    FileVault(*fv, "filevault", state.filevault);
  if (auto pending = root.find("pending"); pending != root.end() && !pending->is_null()) {
    if (!pending->is_array()) {
      Error("pending", "expected an array of step ids, got " + KindOf(*pending));
    } else {
      for (std::size_t i = 0; i < pending->size(); ++i) {
        if (!(*pending)[i].is_string()) {
          Error("pending[" + std::to_string(i) + "]",
                "expected a step id, got " + KindOf((*pending)[i]));
        } else {
          state.pending.push_back((*pending)[i].get<std::string>());
        }
      }
    }
  }
  if (!ok()) return errors();
  return state;
}

template <typename T>
OrderedJson OrNull(const Known<T>& v) {
  return v ? OrderedJson(*v) : OrderedJson(nullptr);
}

}  // namespace

Result<DeviceState> ParseSnapshot(const std::string& text, const std::string& file) {
  if (std::optional<DeviceState> state = ReadWellFormedSnapshot(text)) return std::move(*state);
  return ParseSnapshotStrictly(text, file);
}

Result<DeviceState> ParseSnapshotStrictly(const std::string& text, const std::string& file) {
  Result<Json> root = ParseStrictJson(text, file);
  if (!root.ok()) return root.errors();
  return Reader(file).Run(root.value());
}

std::string SerializeSnapshot(const DeviceState& s) {
  OrderedJson users = OrderedJson::array();
  for (const ObservedUser& u : s.users) {
    users.push_back({{"name", u.name},
                     {"uid", OrNull(u.uid)},
                     {"gid", OrNull(u.gid)},
                     {"full_name", OrNull(u.full_name)},
                     {"shell", OrNull(u.shell)},
                     {"home", OrNull(u.home)},
                     {"guid", OrNull(u.guid)},
                     {"hidden", OrNull(u.hidden)},
                     {"admin", OrNull(u.admin)},
                     {"secure_token", OrNull(u.secure_token)},
                     {"filevault_password_in_sync", OrNull(u.filevault_password_in_sync)},
                     {"keychain_in_sync", OrNull(u.keychain_in_sync)},
                     {"password_set_from", OrNull(u.password_set_from)}});
    // Additive (format 1 still): written only where it was observed, so
    // snapshots of the simulated Mac read as before.
    if (u.password_last_set) users.back()["password_last_set"] = *u.password_last_set;
    if (u.volume_owner) users.back()["volume_owner"] = *u.volume_owner;
  }
  OrderedJson homes = OrderedJson::array();
  for (const ObservedHome& h : s.homes) homes.push_back({{"path", h.path}, {"uid", OrNull(h.uid)}});
  const FileVaultState& fv = s.filevault;
  OrderedJson doc = {{"accord_device", kDeviceSnapshotFormat},
                     {"version", AccordVersion()},
                     {"name", OrNull(s.name)}};
  // Who the Mac is beyond its name: written where known (absent = unknown,
  // as in snapshots written before Accord observed them).
  if (s.serial) doc["serial"] = *s.serial;
  if (s.hardware_uuid) doc["hardware_uuid"] = *s.hardware_uuid;
  OrderedJson rest = {
      {"os_version", OrNull(s.os_version)},
      {"mdm",
       {{"enrolled", OrNull(s.mdm.enrolled)},
        {"recovery_key_escrow_payload", OrNull(s.mdm.recovery_key_escrow_payload)},
        {"bootstrap_token",
         {{"supported", OrNull(s.mdm.bootstrap_token_supported)},
          {"escrowed", OrNull(s.mdm.bootstrap_token_escrowed)}}}}},
      {"users", users},
      {"homes", homes},
      {"filevault",
       {{"status", fv.status ? OrderedJson(ToString(*fv.status)) : OrderedJson(nullptr)},
        {"deferred_user", OrNull(fv.deferred_user)},
        {"personal_recovery_key", OrNull(fv.personal_recovery_key)},
        {"recovery_key_escrowed", OrNull(fv.recovery_key_escrowed)},
        {"institutional_recovery_key", OrNull(fv.institutional_recovery_key)},
        {"deferred_since", OrNull(fv.deferred_since)},
        {"escrow_pending", fv.escrow_pending},
        {"escrow_pending_since", OrNull(fv.escrow_pending_since)}}},
      {"pending", s.pending},
      {"console_user", OrNull(s.console_user)},
      {"volume", {{"case_sensitive", OrNull(s.volume_case_sensitive)}}}};
  doc.update(rest);
  // Names observed on a Mac may not be valid UTF-8: replaced, never thrown on.
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace accord
