// A fake Mac for tests: plays the macOS tools the provider runs, rendering
// their output from a DeviceState in the formats of the shared fixtures.
// Table-driven by program and verb; an unknown command fails loudly; any
// command's result can be replaced to inject a failure; it counts runs.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "macos/command_runner.h"
#include "model/device_state.h"

namespace accord::test {

class FakeMac : public CommandRunner {
 public:
  explicit FakeMac(DeviceState state) : state_(std::move(state)) {}

  Result<CommandResult> Run(const Command& command) override;

  // Replaces the result of the command whose argv joined by spaces is
  // `line`: always, or for its next run only. An injected result changes
  // nothing on the fake Mac (a failure, or sysadminctl's silent no-op).
  void Inject(const std::string& line, CommandResult result) {
    injected_[line] = std::move(result);
  }
  void InjectOnce(const std::string& line, CommandResult result) {
    injected_once_[line].push_back(std::move(result));
  }

  int runs() const { return runs_; }
  const DeviceState& state() const { return state_; }
  // Every command run, as argv and stdin.
  const std::vector<Command>& recorded() const { return recorded_; }

 private:
  Result<CommandResult> Write(const std::vector<std::string>& argv, const std::string& in);

  DeviceState state_;
  std::map<std::string, CommandResult> injected_;
  std::map<std::string, std::vector<CommandResult>> injected_once_;
  std::vector<Command> recorded_;
  int runs_ = 0;
};

}  // namespace accord::test
