// Where a verb observes its Mac: a device snapshot (the simulated Mac), a
// captured bundle replayed, or, on macOS, the Mac itself.
#pragma once

#include <string>

#include "core/result.h"
#include "model/device_state.h"

namespace accord {

struct DeviceSource {
  std::string snapshot;  // --device SNAPSHOT
  std::string replay;    // --replay DIR
};

struct Observed {
  DeviceState state;
  std::string description;  // for plan headers: "snapshot x.json"
};

Result<Observed> ObserveFrom(const DeviceSource& source);

}  // namespace accord
