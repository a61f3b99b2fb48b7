// SPDX-License-Identifier: Apache-2.0
// Check stage: order the diff's changes into steps with a dependency graph,
// simulate them one by one on the device model, and keep every rule of
// DOMAIN §4 true after every single step, since power can fail between any
// two. A step that would break a rule waits for others to make it safe and
// is refused (with the rule id, the accounts, and a remedy) only when no
// order helps; its dependents are skipped.
#pragma once

#include "core/result.h"
#include "model/desired_state.h"
#include "model/device_state.h"
#include "model/plan.h"

namespace accord {

// Errors only for a dependency cycle, named as "a → b → a".
Result<Plan> Check(Plan plan, const DesiredState& desired, const DeviceState& device);

}  // namespace accord
