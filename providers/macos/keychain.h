// SPDX-License-Identifier: Apache-2.0
// Secrets from the System keychain, where MDMs and LAPS tools keep local
// admin passwords: `security find-generic-password -s SERVICE -w
// /Library/Keychains/System.keychain` through the runner. security(1):
// "-w Display only the password on stdout"; with the keychain named, the
// System keychain alone is searched. A missing item exits non-zero
// (44, errSecItemNotFound, "The specified item could not be found in the
// keychain." as Jamf and macOSLAPS scripts check). The value is never
// logged: the runner records argv, which holds only the service name.
#pragma once

#include <string>

#include "core/result.h"
#include "macos/command_runner.h"

namespace accord {

inline constexpr const char* kSystemKeychain = "/Library/Keychains/System.keychain";

// The password, without security's trailing newline; errors name the
// service, never a value.
Result<std::string> ReadKeychainSecret(CommandRunner& runner, const std::string& service);

}  // namespace accord
