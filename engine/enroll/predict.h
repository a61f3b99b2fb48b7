// SPDX-License-Identifier: Apache-2.0
// Predicting enrollment, a pure stage: the events that installing an agent,
// enrolling in an MDM, binding directory users, a FileVault policy or the
// agent's removal will cause on this Mac, in the order they happen. Each
// event is a step on the one device model (model/effect), judged by the same
// safety rules as every plan step (safety/step_judge); but its order is the
// agent's and the MDM's, not Accord's, so an event that would break a rule
// is refused where it stands. Then a verdict: ready, ready with warnings,
// or not ready, each reason with its fix.
#pragma once

#include <string>

#include "model/device_state.h"
#include "model/enrollment.h"
#include "model/prediction.h"

namespace accord {

Prediction PredictEnrollment(const Enrollment& enrollment, const DeviceState& device,
                             const std::string& device_source);

// Not ready when any event is refused or blocked (an event skipped because
// one it depends on will not run is named by that one); ready with warnings
// when something warns; ready otherwise. An event skipped as already done
// by an earlier one holds nothing up.
Readiness Judge(const Prediction& prediction, std::vector<ReadinessReason> warnings);

}  // namespace accord
