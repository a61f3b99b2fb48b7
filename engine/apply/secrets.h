// SPDX-License-Identifier: Apache-2.0
// Secrets are resolved only at apply time, from the environment or a file,
// and live only in memory: they never reach stdout, logs or plan files.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/result.h"
#include "model/desired_state.h"

namespace accord {

// A secret value. It has no operator<< and no debug string on purpose.
class Secret {
 public:
  explicit Secret(std::string value) : value_(std::move(value)) {}
  const std::string& Reveal() const { return value_; }

 private:
  std::string value_;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
// Reads a generic password from the System keychain by its service name.
using KeychainLookup = std::function<Result<std::string>(const std::string& service)>;

struct SecretSources {
  EnvLookup env;
  KeychainLookup keychain;  // empty where there is no keychain (not a Mac)
};

// Reads `ref`: an environment variable, a file (relative paths are taken
// from `base_dir`, the desired-state file's folder; one trailing newline is
// dropped), or the System keychain. Errors name the reference, never a
// value.
Result<Secret> ResolveSecret(const SecretRef& ref, const std::string& base_dir,
                             const SecretSources& sources);

}  // namespace accord
