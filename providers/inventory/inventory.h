// SPDX-License-Identifier: Apache-2.0
// --inventory DIR: every Mac the fleet's own data describes, keyed by
// hardware UUID. Each file or folder is read by what it is: an Accord
// snapshot (<HARDWARE-UUID>.json), an `accord capture` bundle (a folder
// named by the hardware UUID), osquery result logs (*.log, *.jsonl, or
// JSON) or a Fleet query report (<query name>.json). One unreadable source
// is an error for its Mac, or for its file, never for the others.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "model/fleet.h"

namespace accord {

struct Inventory {
  std::vector<InventoryMac> macs;  // by name, then hardware UUID
  Diagnostics errors;              // sources no Mac can be named for
  std::set<std::string> ignored;   // osquery queries that are not Accord's
};

// kWhole makes every Mac's device state as it reads; kLazy leaves the Macs
// of osquery results to be made when planned (InventoryMac::complete), so
// that a fleet's memory follows its compact rows, not its device states.
enum class InventoryMode { kWhole, kLazy };

Inventory ReadInventory(const std::string& dir, InventoryMode mode = InventoryMode::kWhole);

// The one Mac `id` names in `inventory` (read from `dir`): its hardware
// UUID (any case) or its name; an error when none or several match.
Result<const InventoryMac*> FindMac(const Inventory& inventory, const std::string& id,
                                    const std::string& dir);

}  // namespace accord
