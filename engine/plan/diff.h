// SPDX-License-Identifier: Apache-2.0
// Diff stage: desired state + observed Mac (+ UID choices) → Plan. Every
// change carries its reason; changes that would break a rule visible from a
// single change (uid-immutable, uid-reuse, unknown-state, protected-account,
// escrow-before-enable) are refused here, never silently dropped.
#pragma once

#include "model/desired_state.h"
#include "model/device_state.h"
#include "model/plan.h"
#include "plan/resolve.h"

namespace accord {

// Changes come in file order of the users, then unmanaged accounts in the
// snapshot's order, then FileVault; the same inputs give the same plan.
Plan Diff(const DesiredState& desired, const DeviceState& device, const Resolution& resolution);

}  // namespace accord
