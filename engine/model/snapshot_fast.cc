// SPDX-License-Identifier: Apache-2.0
// A device snapshot read from nlohmann/json's SAX events, for snapshots the
// strict reader would accept as they are (see snapshot_fast.h). Every
// handler returns false, which stops the parse, wherever that reader would
// say anything; the rules mirrored here are its own (snapshot_codec.cc:
// Reader; core/json_reader.cc: String, Bool, Integer).
#include "model/snapshot_fast.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "model/snapshot_keys.h"

namespace accord {
namespace {

using Json = nlohmann::json;

// What is being read: an object or an array of the contract.
enum class In {
  kTop,
  kMdm,
  kBootstrap,
  kVolume,
  kFileVault,
  kUsers,
  kUser,
  kHomes,
  kHome,
  kPending
};

struct Frame {
  In in;
  std::string_view key;    // an object's current key
  std::uint32_t seen = 0;  // an object's keys so far, by their place in its list
};

// The keys an object may hold (empty for an array).
std::span<const std::string_view> KeysOf(In in) {
  switch (in) {
    case In::kTop: return snapshot::kTopKeys;
    case In::kMdm: return snapshot::kMdmKeys;
    case In::kBootstrap: return snapshot::kBootstrapKeys;
    case In::kVolume: return snapshot::kVolumeKeys;
    case In::kFileVault: return snapshot::kFileVaultKeys;
    case In::kUser: return snapshot::kUserKeys;
    case In::kHome: return snapshot::kHomeKeys;
    default: return {};
  }
}

// A scalar value; a null leaves a field unknown.
struct Null {};
using Scalar = std::variant<Null, bool, std::int64_t, std::string>;

// Sets a Known<T> from a scalar that must be a T or null.
template <typename T>
bool Set(Known<T>& field, Scalar& v) {
  if (std::holds_alternative<Null>(v)) return true;
  if (!std::holds_alternative<T>(v)) return false;
  field = std::move(std::get<T>(v));
  return true;
}

// An account ID as the strict reader takes it (JsonFields::Integer with
// -2^31..2^32-1, then NormalizeUid).
bool SetId(Known<std::int64_t>& field, Scalar& v) {
  if (std::holds_alternative<Null>(v)) return true;
  const std::int64_t* id = std::get_if<std::int64_t>(&v);
  if (!id || *id < snapshot::kIdMin || *id > snapshot::kIdMax) return false;
  field = NormalizeUid(*id);
  return true;
}

struct UserText {
  std::string_view key;
  Known<std::string> ObservedUser::*field;
};
constexpr UserText kUserTexts[] = {{"full_name", &ObservedUser::full_name},
                                   {"shell", &ObservedUser::shell},
                                   {"home", &ObservedUser::home},
                                   {"guid", &ObservedUser::guid},
                                   {"password_set_from", &ObservedUser::password_set_from},
                                   {"password_last_set", &ObservedUser::password_last_set}};
struct UserFlag {
  std::string_view key;
  Known<bool> ObservedUser::*field;
};
constexpr UserFlag kUserFlags[] = {
    {"hidden", &ObservedUser::hidden},
    {"admin", &ObservedUser::admin},
    {"secure_token", &ObservedUser::secure_token},
    {"filevault_password_in_sync", &ObservedUser::filevault_password_in_sync},
    {"keychain_in_sync", &ObservedUser::keychain_in_sync},
    {"volume_owner", &ObservedUser::volume_owner}};

class Handler {
 public:
  // nlohmann/json's SAX interface: each returns whether to go on.
  bool null() { return Value(Scalar(Null{})); }
  bool boolean(bool v) { return Value(Scalar(v)); }
  bool number_integer(std::int64_t v) { return Value(Scalar(v)); }
  bool number_unsigned(std::uint64_t v) {
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
    return Value(Scalar(static_cast<std::int64_t>(v)));
  }
  bool number_float(double, const std::string&) { return false; }  // no field has a fraction
  bool string(std::string& v) { return Value(Scalar(std::move(v))); }
  bool binary(Json::binary_t&) { return false; }
  bool parse_error(std::size_t, const std::string&, const Json::exception&) { return false; }

  bool start_object(std::size_t) {
    if (stack_.empty()) return Open(In::kTop);
    const Frame& top = stack_.back();
    switch (top.in) {
      case In::kTop:
        if (top.key == "mdm") return Open(In::kMdm);
        if (top.key == "volume") return Open(In::kVolume);
        if (top.key == "filevault") return Open(In::kFileVault);
        return false;
      case In::kMdm: return top.key == "bootstrap_token" && Open(In::kBootstrap);
      case In::kUsers: user_ = ObservedUser{}; return Open(In::kUser);
      case In::kHomes:
        home_ = ObservedHome{};
        home_path_.reset();
        return Open(In::kHome);
      default: return false;
    }
  }
  bool start_array(std::size_t) {
    if (stack_.empty() || stack_.back().in != In::kTop) return false;
    std::string_view key = stack_.back().key;
    if (key == "users") return Open(In::kUsers);
    if (key == "homes") return Open(In::kHomes);
    if (key == "pending") return Open(In::kPending);
    return false;
  }
  bool key(std::string& k) {
    Frame& top = stack_.back();
    const std::span<const std::string_view> keys = KeysOf(top.in);
    auto known = std::find(keys.begin(), keys.end(), k);
    if (known == keys.end()) return false;  // unknown
    const std::uint32_t bit = 1u << (known - keys.begin());
    if (top.seen & bit) return false;  // said twice
    top.seen |= bit;
    top.key = *known;
    return true;
  }
  bool end_object() {
    In in = stack_.back().in;
    stack_.pop_back();
    switch (in) {
      case In::kUser:
        if (user_.name.empty()) return false;  // every user needs a name
        state_.users.push_back(std::move(user_));
        return true;
      case In::kHome:
        if (!home_path_ || home_path_->empty() || home_path_->front() != '/') return false;
        home_.path = std::move(*home_path_);
        state_.homes.push_back(std::move(home_));
        return true;
      case In::kTop: return format_ok_ && users_seen_ && NamesOnce();
      default: return true;
    }
  }
  bool end_array() {
    stack_.pop_back();
    return true;
  }

  DeviceState Take() { return std::move(state_); }

 private:
  bool Open(In in) {
    if (in == In::kUsers) users_seen_ = true;
    stack_.push_back({in, {}, 0});
    return true;
  }

  bool Value(Scalar v) {
    if (stack_.empty()) return false;  // a document that is not an object
    Frame& top = stack_.back();
    const std::string_view key = top.key;
    const bool null = std::holds_alternative<Null>(v);
    switch (top.in) {
      case In::kTop:
        if (key == "accord_device") {
          const std::int64_t* format = std::get_if<std::int64_t>(&v);
          format_ok_ = format && *format == kDeviceSnapshotFormat;
          return format_ok_;
        }
        if (key == "version") return null || std::holds_alternative<std::string>(v);
        if (key == "name") return Set(state_.name, v);
        if (key == "serial") return Set(state_.serial, v);
        if (key == "hardware_uuid") return Set(state_.hardware_uuid, v);
        if (key == "os_version") return Set(state_.os_version, v);
        if (key == "console_user") return Set(state_.console_user, v);
        // mdm, volume, filevault, homes and pending may be null; users may not.
        return null && key != "users";
      case In::kMdm:
        if (key == "enrolled") return Set(state_.mdm.enrolled, v);
        if (key == "recovery_key_escrow_payload") {
          return Set(state_.mdm.recovery_key_escrow_payload, v);
        }
        return null;  // bootstrap_token: null
      case In::kBootstrap:
        if (key == "supported") return Set(state_.mdm.bootstrap_token_supported, v);
        return Set(state_.mdm.bootstrap_token_escrowed, v);
      case In::kVolume: return Set(state_.volume_case_sensitive, v);
      case In::kFileVault: return FileVaultValue(key, v);
      case In::kUser: return UserValue(key, v);
      case In::kHome:
        if (key == "uid") return SetId(home_.uid, v);
        return Set(home_path_, v);
      case In::kPending:
        if (!std::holds_alternative<std::string>(v)) return false;
        state_.pending.push_back(std::move(std::get<std::string>(v)));
        return true;
      default: return false;  // a user or home that is not an object
    }
  }

  bool FileVaultValue(std::string_view key, Scalar& v) {
    FileVaultState& fv = state_.filevault;
    if (key == "status") {
      Known<std::string> status;
      if (!Set(status, v)) return false;
      if (!status) return true;
      fv.status = ParseFileVaultStatus(*status);
      return fv.status.has_value();
    }
    if (key == "deferred_user") return Set(fv.deferred_user, v);
    if (key == "deferred_since") return Set(fv.deferred_since, v);
    if (key == "personal_recovery_key") return Set(fv.personal_recovery_key, v);
    if (key == "recovery_key_escrowed") return Set(fv.recovery_key_escrowed, v);
    if (key == "institutional_recovery_key") return Set(fv.institutional_recovery_key, v);
    if (key == "escrow_pending_since") return Set(fv.escrow_pending_since, v);
    if (key == "escrow_pending") {
      Known<bool> pending;
      if (!Set(pending, v)) return false;
      fv.escrow_pending = pending.value_or(false);
      return true;
    }
    return false;
  }

  bool UserValue(std::string_view key, Scalar& v) {
    if (key == "name") {
      Known<std::string> name;
      if (!Set(name, v) || !name) return false;
      user_.name = std::move(*name);
      return true;
    }
    if (key == "uid") return SetId(user_.uid, v);
    if (key == "gid") return SetId(user_.gid, v);
    for (const UserText& t : kUserTexts) {
      if (t.key == key) return Set(user_.*t.field, v);
    }
    for (const UserFlag& f : kUserFlags) {
      if (f.key == key) return Set(user_.*f.field, v);
    }
    return false;  // a key of the contract this reader does not know: the strict one reads it
  }

  // Each user once (the strict reader names the second).
  bool NamesOnce() const {
    std::vector<std::string_view> names;
    names.reserve(state_.users.size());
    for (const ObservedUser& u : state_.users) names.push_back(u.name);
    std::sort(names.begin(), names.end());
    return std::adjacent_find(names.begin(), names.end()) == names.end();
  }

  std::vector<Frame> stack_;
  DeviceState state_;
  ObservedUser user_;
  ObservedHome home_;
  Known<std::string> home_path_;
  bool format_ok_ = false;
  bool users_seen_ = false;
};

}  // namespace

std::optional<DeviceState> ReadWellFormedSnapshot(const std::string& text) {
  Handler handler;
  if (!Json::sax_parse(text, &handler)) return std::nullopt;
  return handler.Take();
}

}  // namespace accord
