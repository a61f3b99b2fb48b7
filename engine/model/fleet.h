// SPDX-License-Identifier: Apache-2.0
// Fleet: desired-state layers in order, each chosen for a Mac by a
// selector (fleet file format 1, schemas/fleet.schema.json), and the
// identity of a Mac those selectors read. Plain values.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostic.h"
#include "model/device_state.h"

namespace accord {

inline constexpr int kFleetFormat = 1;

// Which Macs a layer is for: `all`, or every list given must match (by any
// one of its entries): a name
// glob (fnmatch(3)), a serial number, a hardware UUID (both compared without
// regard to case), a label the inventory gives the Mac.
struct Selector {
  bool all = false;
  std::vector<std::string> names;
  std::vector<std::string> serials;
  std::vector<std::string> hardware_uuids;
  std::vector<std::string> labels;
  bool operator==(const Selector&) const = default;
};

struct FleetLayer {
  std::string name;      // `name:`, or the file's stem
  std::string file;      // the layer's path, relative to the fleet file's folder resolved
  std::size_t position;  // peers share one
  SourcePos declared;    // where the fleet file lists it
  Selector select;
  bool operator==(const FleetLayer&) const = default;
};

struct Fleet {
  std::string file;
  std::vector<FleetLayer> layers;  // by position, peers in file order
  bool operator==(const Fleet&) const = default;
};

// Who a Mac is, as the inventory says. Macs are keyed by hardware UUID.
struct MacIdentity {
  std::string hardware_uuid;
  Known<std::string> name;
  Known<std::string> serial;
  std::vector<std::string> labels;  // known to be all of them
  bool operator==(const MacIdentity&) const = default;
};

// One Mac of the inventory: who it is and what it looks like, or why it
// cannot be planned.
// The last apply on a Mac, as the device script's summary says it (the
// accord_last_apply query of /var/db/accord/last-apply.plist): when, how it
// ended, and the meaning fingerprint of the desired file it applied.
struct LastApply {
  std::string time;
  std::string result;  // the apply record's: complete, stopped, nothing_to_do, error, ...
  std::optional<std::int64_t> exit_status;
  std::string desired_fingerprint;  // "" where the summary predates it
  bool operator==(const LastApply&) const = default;
};

struct InventoryMac {
  MacIdentity identity;
  std::size_t index = 0;  // its place in the inventory's order (name, then UUID)
  // None when `errors` says why. Held apart, so that a Mac not made yet
  // (`complete`) costs a pointer, not a device state.
  std::shared_ptr<const DeviceState> device;
  std::string source;                // "osquery results a.log", "snapshot b.json"
  std::vector<std::string> unknown;  // facts the source does not have
  Diagnostics errors;
  std::optional<LastApply> last_apply = std::nullopt;
  // How this source makes a fact known, in place of the Mac's own tools
  // in every fix that names them (safety's kHowTokensAreRead, …): text
  // said → text meant. Empty for a snapshot or a capture bundle.
  std::vector<std::pair<std::string, std::string>> fixes = {};
  // Where the Mac's facts are made only when needed (a fleet's osquery
  // results, read with InventoryMode::kLazy): fills device, unknown and
  // fixes, or errors. A fleet's Macs are then never all held as device
  // states: each is made, planned and dropped (fleet/fleet_plan.cc).
  std::function<void(InventoryMac&)> complete = {};
};

// Runs `mac.complete`, once; nothing for a Mac read whole.
void Complete(InventoryMac& mac);

// Puts a fix in the words of the source `mac`'s facts came from
// (InventoryMac::fixes).
void InSourceWords(std::string& fix, const InventoryMac& mac);

// "lab-mac-07" or, without a name, the hardware UUID.
const std::string& Label(const MacIdentity& mac);

// Does `select` choose `mac`? nullopt when it cannot tell (a name glob and
// an unknown name): a layer is never applied, or left out, on a guess.
std::optional<bool> Selects(const Selector& select, const MacIdentity& mac);
// "labels engineering", "names lab-*": for messages.
std::string Describe(const Selector& select);

}  // namespace accord
