// SPDX-License-Identifier: Apache-2.0
// Recording each step that took.
#include "state/state_keeper.h"

#include "model/effect.h"
#include "state/state_store.h"

namespace accord {

StepResult LocalStateKeeper::Recorded(const Change& step, StepResult result) {
  if (!result.ok()) return result;
  record_ = RecordStep(std::move(record_), step, current_, result.observed_after, now_());
  current_ = Effect(step, current_);
  if (Status saved = SaveLocalState(dir_, record_); !saved.ok()) {
    return StepResult("the step took, but recording it in the local state failed: " +
                      saved.message());
  }
  return result;
}

}  // namespace accord
