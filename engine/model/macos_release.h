// SPDX-License-Identifier: Apache-2.0
// What a macOS version tells about the Bootstrap Token (DOMAIN §1), as one
// table every stage reads: the forecast of enrollment, and the plan that
// defers a grant to a user's next login.
//
// Apple Platform Deployment, "Use secure token, bootstrap token, and volume
// ownership in deployments": the Bootstrap Token came with macOS 10.15; on
// 10.15 it grants a SecureToken only to mobile accounts and to the
// administrator account created during MDM enrollment; "In macOS 11, the
// bootstrap token can grant a secure token to any user logging in". Since
// 10.15.4 it is generated and escrowed at the first graphical login of any
// SecureToken holder (VMware Workspace ONE, "Bootstrap Token"); before, only
// a SecureToken admin's login escrowed it (Jamf, "Manage Bootstrap Token").
#pragma once

#include <array>
#include <optional>
#include <string>

#include "model/device_state.h"

namespace accord {

// "14.5" → {14, 5, 0}, "10.15.7" → {10, 15, 7}; nullopt where it is not a
// version (sw_vers' ProductVersion has one to three numbers).
std::optional<std::array<int, 3>> ParseMacosVersion(const std::string& text);

enum class BootstrapEra {
  kNone,           // before 10.15: macOS has no Bootstrap Token
  kAdminEscrows,   // 10.15 to 10.15.3: a SecureToken admin's login escrows it
  kHolderEscrows,  // 10.15.4 to 10.15.7: any SecureToken holder's login
  kGrantsAnyone,   // 11 and later: it also grants any user a token at login
};

inline constexpr std::array<BootstrapEra, 4> kBootstrapEras = {
    BootstrapEra::kNone, BootstrapEra::kAdminEscrows, BootstrapEra::kHolderEscrows,
    BootstrapEra::kGrantsAnyone};

// The era of a version; unknown where the version is unknown or unreadable.
Known<BootstrapEra> EraOf(const Known<std::string>& os_version);

// The versions an era covers, as a sentence names them ("10.15 to 10.15.3").
const char* VersionsOf(BootstrapEra era);

// Whether an escrowed Bootstrap Token grants a SecureToken to a local
// account (not a mobile account, not the MDM-created administrator) at its
// next login: only from macOS 11. Unknown where the version is.
Known<bool> BootstrapGrantsLocalAccounts(const Known<std::string>& os_version);

}  // namespace accord
