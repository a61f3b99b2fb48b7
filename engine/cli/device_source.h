// SPDX-License-Identifier: Apache-2.0
// Where a verb observes its Mac: a device snapshot (the simulated Mac), a
// captured bundle replayed, or the Mac Accord runs on, whose observation is
// completed by Accord's local state file (state/local_state).
#pragma once

#include <string>
#include <vector>

#include "cli/cli.h"
#include "core/result.h"
#include "model/device_state.h"
#include "state/local_state.h"

namespace accord {

struct DeviceSource {
  std::string snapshot;        // --device SNAPSHOT
  std::string replay;          // --replay DIR
  std::string inventory = {};  // --inventory DIR --mac MAC: one Mac of a fleet's data
  std::string mac = {};
};

struct Observed {
  DeviceState state;
  std::string description;  // for plan headers: "snapshot x.json"
  // On a real Mac: the local record as read, what of it still holds, each
  // merge decision, and why the file was ignored, if it was.
  LocalState record;
  LocalState kept;
  std::vector<MergeNote> notes;
  std::vector<std::string> warnings;
};

// `mac` is the Mac Accord runs on (Io::mac), used when neither a snapshot
// nor a bundle is given.
Result<Observed> ObserveFrom(const DeviceSource& source, ThisMac* mac);

}  // namespace accord
