// A fake Mac for tests: plays the macOS tools the provider runs, rendering
// their output from a DeviceState in the formats of the shared fixtures.
// Table-driven by program and verb; an unknown command fails loudly; any
// command's result can be replaced to inject a failure; it counts runs.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "macos/command_runner.h"
#include "model/device_state.h"

namespace accord::test {

class FakeMac : public CommandRunner {
 public:
  explicit FakeMac(DeviceState state) : state_(std::move(state)) {}

  Result<CommandResult> Run(const Command& command) override;

  // Replaces the result of the command whose argv joined by spaces is `line`.
  void Inject(const std::string& line, CommandResult result) { injected_[line] = std::move(result); }

  int runs() const { return runs_; }
  const DeviceState& state() const { return state_; }

 private:
  DeviceState state_;
  std::map<std::string, CommandResult> injected_;
  int runs_ = 0;
};

}  // namespace accord::test
