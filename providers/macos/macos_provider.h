// SPDX-License-Identifier: Apache-2.0
// The macOS provider: observes a Mac through a command runner (the real
// tools, or a captured bundle replayed).
#pragma once

#include <string>

#include "macos/command_runner.h"
#include "provider.h"

namespace accord {

class MacosProvider : public DeviceProvider {
 public:
  MacosProvider(CommandRunner& runner, std::string description)
      : runner_(runner), description_(std::move(description)) {}

  Result<DeviceState> Observe() override;
  std::string Describe() const override { return description_; }
  std::vector<std::string> NotUnderstood() const override { return not_understood_; }

 private:
  std::vector<std::string> not_understood_;
  CommandRunner& runner_;
  std::string description_;
};

}  // namespace accord
