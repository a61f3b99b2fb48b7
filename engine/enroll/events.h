// SPDX-License-Identifier: Apache-2.0
// Running a prediction's events on the one device model, in the order the
// agent and the MDM make them: an event whose prerequisite will not run is
// skipped, one that earlier events already did is skipped, one whose
// precondition fails is blocked, and one that would break a rule in some
// possible world is refused where it stands (no order is Accord's to
// choose). The rest change the predicted Mac.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "model/device_state.h"
#include "model/enrollment.h"
#include "model/plan.h"
#include "model/prediction.h"

namespace accord {

inline bool Runs(const Change& c) {
  return c.outcome == Outcome::kRun || c.outcome == Outcome::kDeferred;
}

class EventRunner {
 public:
  // Checks what an event needs on the Mac as it is just before it; may Stop it.
  using Precondition = std::function<void(Change&)>;

  EventRunner(const Enrollment& enrollment, const DeviceState& device)
      : e_(enrollment), state_(device) {}

  // The steps added from now on are part of a `kind` event.
  void Begin(EventKind kind) { kind_ = kind; }
  void Add(Change c, std::vector<Dependency> after = {}, const Precondition& needs = {});
  const Change* Find(const std::string& id) const;
  // The Mac after the events so far.
  const DeviceState& state() const { return state_; }
  std::vector<EventStep> Take() { return std::move(events_); }

 private:
  bool Redundant(const Change& c) const;
  DesiredUser Declared(const std::string& name) const;
  void JudgeEvent(Change& c);

  const Enrollment& e_;
  DeviceState state_;
  EventKind kind_ = EventKind::kAgentInstall;
  std::vector<EventStep> events_;
  std::set<std::string> done_;  // skipped because earlier events did them: done all the same
};

}  // namespace accord
