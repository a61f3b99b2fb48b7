// SPDX-License-Identifier: Apache-2.0
// The simulated Mac's executor: applies steps to a snapshot file through the
// shared device model, writing the snapshot atomically after every step and
// holding a lock against a concurrent apply. Faults can be injected so tests
// can fail any step.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "apply/executor.h"
#include "core/atomic_file.h"
#include "core/result.h"
#include "model/device_state.h"

namespace accord {

class SimExecutor : public StepExecutor {
 public:
  struct Faults {
    std::optional<std::size_t> fail_step;  // 0-based count of Execute calls
  };

  // Locks `snapshot_path` (via snapshot_path + ".lock") and reads it.
  static Result<std::unique_ptr<SimExecutor>> Open(const std::string& snapshot_path,
                                                   Faults faults = {});

  StepResult Execute(const Change& step, const StepSecrets& secrets) override;
  StepResult RecordPending(const Change& step) override;
  std::optional<DeviceState> ObserveNow() override { return state_; }

  const DeviceState& state() const { return state_; }
  // The simulated Mac after an event that is no step (the MDM's
  // confirmation of a recovery key's escrow), saved.
  Status Replace(DeviceState next);
  std::string Describe() const { return "snapshot " + path_; }

 private:
  SimExecutor(std::string path, FileLock lock, DeviceState state, Faults faults)
      : path_(std::move(path)), lock_(std::move(lock)), state_(std::move(state)), faults_(faults) {}
  Status Save();

  std::string path_;
  FileLock lock_;
  DeviceState state_;
  Faults faults_;
  std::size_t calls_ = 0;
};

}  // namespace accord
