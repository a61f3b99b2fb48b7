// SPDX-License-Identifier: Apache-2.0
// The planning pipeline over values: desired + observed → Plan (Resolve,
// Diff, then Check for reboot-safety). Pure; nothing here can touch a Mac.
#pragma once

#include <optional>

#include "core/result.h"
#include "model/desired_state.h"
#include "model/device_state.h"
#include "model/plan.h"
#include "model/review.h"

namespace accord {

// What the command line may change about planning.
struct PlanOptions {
  // Plan even where the file's device: label does not name this Mac, or
  // cannot be shown to (the device-mismatch harm rule); the plan says so
  // in a warning. Without it, such a plan is an error at device:.
  bool allow_device_mismatch = false;
  // The steps a person reviewed for this Mac (apply --reviewed): a step
  // not among them is refused (not-reviewed) before the safety check, so
  // what depends on it is blocked and the rest is judged without it. A
  // review for another Mac, or a Mac whose hardware UUID cannot be
  // observed, is an error.
  std::optional<Review> review;
};

Result<Plan> MakePlan(const DesiredState& desired, const DeviceState& device,
                      const PlanOptions& options = {});

}  // namespace accord
