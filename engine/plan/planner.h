// SPDX-License-Identifier: Apache-2.0
// The planning pipeline over values: desired + observed → Plan (Resolve,
// Diff, then Check for reboot-safety). Pure; nothing here can touch a Mac.
#pragma once

#include "core/result.h"
#include "model/desired_state.h"
#include "model/device_state.h"
#include "model/plan.h"

namespace accord {

// What the command line may change about planning.
struct PlanOptions {
  // Plan even where the file's device: label does not name this Mac, or
  // cannot be shown to (the device-mismatch harm rule); the plan says so
  // in a warning. Without it, such a plan is an error at device:.
  bool allow_device_mismatch = false;
};

Result<Plan> MakePlan(const DesiredState& desired, const DeviceState& device,
                      const PlanOptions& options = {});

}  // namespace accord
