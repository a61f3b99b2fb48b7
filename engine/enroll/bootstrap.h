// Will enrolling in this MDM escrow a Bootstrap Token? Only where the MDM
// supports it, not when the Mac's first account is a standard user or
// account creation was skipped (the source document), and only with a
// SecureToken admin who logs in to escrow it (Apple Platform Deployment,
// "Use secure token, bootstrap token, and volume ownership in
// deployments": escrowed at a SecureToken user's login). Cannot tell when
// the Mac does not show enough.
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

BootstrapForecast ForecastBootstrap(const MdmSpec& mdm, const DeviceState& device);

}  // namespace accord
