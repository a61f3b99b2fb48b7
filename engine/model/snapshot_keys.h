// SPDX-License-Identifier: Apache-2.0
// The keys a device snapshot (contract v1, DOMAIN §3) may hold, object by
// object, and the range of its account IDs: one list for the strict reader
// and the fast one.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace accord::snapshot {

// Account IDs as dscl (signed, nobody -2) or osquery (unsigned, 4294967294)
// print them: both 32-bit readings are accepted, then NormalizeUid'd.
inline constexpr std::int64_t kIdMin = -2147483648LL;
inline constexpr std::int64_t kIdMax = 4294967295LL;

inline constexpr std::array<std::string_view, 13> kTopKeys = {
    "accord_device", "version", "name",      "serial",  "hardware_uuid", "os_version", "mdm",
    "users",         "homes",   "filevault", "pending", "console_user",  "volume"};
inline constexpr std::array<std::string_view, 1> kVolumeKeys = {"case_sensitive"};
inline constexpr std::array<std::string_view, 3> kMdmKeys = {"enrolled", "bootstrap_token",
                                                             "recovery_key_escrow_payload"};
inline constexpr std::array<std::string_view, 2> kBootstrapKeys = {"supported", "escrowed"};
inline constexpr std::array<std::string_view, 15> kUserKeys = {"name",
                                                               "uid",
                                                               "gid",
                                                               "full_name",
                                                               "shell",
                                                               "home",
                                                               "guid",
                                                               "hidden",
                                                               "admin",
                                                               "secure_token",
                                                               "filevault_password_in_sync",
                                                               "keychain_in_sync",
                                                               "password_set_from",
                                                               "password_last_set",
                                                               "volume_owner"};
inline constexpr std::array<std::string_view, 2> kHomeKeys = {"path", "uid"};
inline constexpr std::array<std::string_view, 8> kFileVaultKeys = {"status",
                                                                   "deferred_user",
                                                                   "personal_recovery_key",
                                                                   "recovery_key_escrowed",
                                                                   "institutional_recovery_key",
                                                                   "deferred_since",
                                                                   "escrow_pending",
                                                                   "escrow_pending_since"};

}  // namespace accord::snapshot
