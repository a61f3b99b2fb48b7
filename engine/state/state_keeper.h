// SPDX-License-Identifier: Apache-2.0
// Keeps the local state file in step with an apply on a real Mac: wraps the
// Mac's executor and, after each step that took, records what the device
// model says the step left behind (state/local_state) and saves the file
// atomically, so a kill between steps loses nothing already done.
#pragma once

#include <functional>
#include <string>

#include "apply/executor.h"
#include "state/local_state.h"

namespace accord {

class LocalStateKeeper : public StepExecutor {
 public:
  // `current`: the Mac as planned (the observation merged with `record`).
  LocalStateKeeper(StepExecutor& inner, std::string dir, LocalState record, DeviceState current,
                   std::function<std::string()> now)
      : inner_(inner),
        dir_(std::move(dir)),
        record_(std::move(record)),
        current_(std::move(current)),
        now_(std::move(now)) {}

  StepResult Execute(const Change& step, const StepSecrets& secrets) override {
    return Recorded(step, inner_.Execute(step, secrets));
  }
  Status CheckCredentials(const std::vector<Credential>& c) override {
    return inner_.CheckCredentials(c);
  }
  StepResult RecordPending(const Change& step) override {
    return Recorded(step, inner_.RecordPending(step));
  }
  std::optional<DeviceState> ObserveNow() override { return inner_.ObserveNow(); }

 private:
  StepResult Recorded(const Change& step, StepResult result);

  StepExecutor& inner_;
  std::string dir_;
  LocalState record_;
  DeviceState current_;
  std::function<std::string()> now_;
};

}  // namespace accord
