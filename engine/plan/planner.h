// SPDX-License-Identifier: Apache-2.0
// The planning pipeline over values: desired + observed → Plan (Resolve,
// Diff, then Check for reboot-safety). Pure; nothing here can touch a Mac.
#pragma once

#include "core/result.h"
#include "model/desired_state.h"
#include "model/device_state.h"
#include "model/plan.h"

namespace accord {

Result<Plan> MakePlan(const DesiredState& desired, const DeviceState& device);

}  // namespace accord
