// SPDX-License-Identifier: Apache-2.0
// Steps on the simulated Mac: Effect, then an atomic snapshot write.
#include "sim/sim_executor.h"

#include "core/atomic_file.h"
#include "core/clock.h"
#include "core/text_file.h"
#include "model/effect.h"
#include "model/snapshot_codec.h"

namespace accord {

Result<std::unique_ptr<SimExecutor>> SimExecutor::Open(const std::string& path, Faults faults) {
  // A snapshot made read-only (or owned by someone else) is not replaced:
  // refuse before the first step, while nothing has changed.
  if (Status replace = MayReplace(path); !replace.ok()) {
    return SingleError(path, {}, "", "cannot apply to this snapshot: " + replace.message());
  }
  Result<FileLock> lock = FileLock::Acquire(path + ".lock");
  if (!lock.ok()) return SingleError(path, {}, "", lock.errors().front().message);
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.errors();
  Result<DeviceState> state = ParseSnapshot(text.value(), path);
  if (!state.ok()) return state.errors();
  return std::unique_ptr<SimExecutor>(
      new SimExecutor(path, std::move(lock).value(), std::move(state).value(), faults));
}

StepResult SimExecutor::Execute(const Change& step, const StepSecrets&) {
  if (faults_.fail_step && calls_++ == *faults_.fail_step) {
    return std::string("injected failure (simulated Mac)");
  }
  DeviceState next = Effect(step, state_);
  // The simulated Mac keeps, in its snapshot, what a real Mac's local state
  // records: since when a new recovery key is escrow-pending.
  if (MakesRecoveryKey(step.action) && next.filevault.escrow_pending) {
    next.filevault.escrow_pending_since = UtcNow();
  }
  state_ = std::move(next);
  return Save();
}

Status SimExecutor::Replace(DeviceState next) {
  state_ = std::move(next);
  return Save();
}

StepResult SimExecutor::RecordPending(const Change& step) {
  state_ = Effect(step, state_);  // the device model records it
  return Save();
}

Status SimExecutor::Save() { return WriteFileAtomically(path_, SerializeSnapshot(state_)); }

}  // namespace accord
