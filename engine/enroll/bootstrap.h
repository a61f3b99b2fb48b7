// SPDX-License-Identifier: Apache-2.0
// Will enrolling in this MDM escrow a Bootstrap Token? Only where the MDM
// supports it, never on a headless Mac, and otherwise by the rule of the
// Mac's macOS version (bootstrap.cc names the sources): before 10.15.4 the
// source document's (an admin first account, a SecureToken admin's
// login), since then any SecureToken holder's graphical login. Cannot tell
// when the Mac does not show enough, or the version is unknown and the
// rules disagree.
#pragma once

#include <optional>
#include <string>

#include "model/device_state.h"
#include "model/enrollment.h"
#include "model/prediction.h"

namespace accord {

struct BootstrapForecast {
  Known<bool> escrowed;
  std::string why;                         // said beside the MDM event
  std::optional<ReadinessReason> warning;  // when none will be, or cannot tell
};

BootstrapForecast ForecastBootstrap(const MdmSpec& mdm, const DeviceState& device, bool headless);

}  // namespace accord
