// SPDX-License-Identifier: Apache-2.0
// The semantic half of loading: rules over a structurally valid
// DesiredState (DOMAIN §1-2) that YAML types cannot express. Pure: positions
// come from the state's SourceMap.
#pragma once

#include "core/diagnostic.h"
#include "model/desired_state.h"

namespace accord {

// Every violation and warning, in no particular order (the caller sorts by
// position and keeps the warnings with the state).
Diagnostics ValidateDesiredState(const DesiredState& state);

}  // namespace accord
