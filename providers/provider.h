// SPDX-License-Identifier: Apache-2.0
// The provider seam: the one narrow interface through which Accord learns
// the state of a Mac. Implementations: sim (a snapshot file) and macOS (the
// real tools through a command runner, live or replayed from a capture
// bundle). osquery results are read per Mac of an inventory
// (providers/osquery), not through this seam: one file holds many Macs.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "model/device_state.h"

namespace accord {

class DeviceProvider {
 public:
  virtual ~DeviceProvider() = default;

  // Reads the device's current state. Never changes anything.
  virtual Result<DeviceState> Observe() = 0;

  // A short description for plan headers and logs, e.g. "snapshot x.json".
  virtual std::string Describe() const = 0;

  // What the last Observe read and did not understand (a tool's answer in
  // words no parser knows), each said as a warning; a snapshot has none.
  virtual std::vector<std::string> NotUnderstood() const { return {}; }
};

}  // namespace accord
