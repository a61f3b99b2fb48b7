// SPDX-License-Identifier: Apache-2.0
// Planning a fleet: every Mac of the inventory gets the layers its
// selectors choose, composed once per distinct choice, and is planned on
// its own, in parallel on all cores. One Mac's error is that Mac's row;
// the others are planned all the same.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fleet/compose.h"
#include "model/fleet.h"
#include "model/fleet_report.h"
#include "model/plan.h"

namespace accord {

struct MacPlan {
  const InventoryMac* mac = nullptr;
  std::vector<std::string> layers;              // the names of the layers applied, in order
  std::shared_ptr<const DesiredState> desired;  // composed; shared by Macs with the same layers
  std::unique_ptr<Plan> plan;                   // (apart: a fleet holds a MacPlan per Mac)
  Diagnostics errors;                           // why there is no plan
  // The errors are the fleet file's or a layer's (the same for every Mac
  // that chooses it), not this Mac's data.
  bool config_error = false;
  std::vector<std::string> unknown = {};               // what its data could not show
  std::optional<LastApply> last_apply = std::nullopt;  // as its data says
  // What its reports say, when made as it was planned (and `plan` dropped).
  std::unique_ptr<MacReport> report = {};
};

struct FleetPlan {
  std::vector<MacPlan> macs;  // inventory order
  // Each distinct error of composing (a broken layer, a conflict) once,
  // however many Macs it stops: the per-Mac rows name only the first.
  Diagnostics compose_errors;
  // Result names in the inventory that are not Accord's queries, sorted:
  // reported, never dropped silently.
  std::vector<std::string> ignored_results = {};
};

// "Ignored the results of 2 queries that are not Accord's: a, b." (the
// first few named); "" when there are none.
std::string IgnoredLine(const std::vector<std::string>& names);

// `progress(done, total)` is called from the calling thread while the
// workers plan, about ten times a second, and once at the end.
// `planned`, when given, is called on the worker with each Mac as soon as
// it is planned (to make its report and drop its plan: a fleet's plans are
// then never all held).
FleetPlan PlanFleet(const FleetLayers& layers, const std::vector<InventoryMac>& macs,
                    unsigned threads, const std::function<void(std::size_t, std::size_t)>& progress,
                    const std::function<void(MacPlan&)>& planned = {});

// Shard K of N of a fleet (1 <= K <= N), for planning a fleet larger than
// one CI runner on several: the Macs whose hardware UUID (upper case)
// hashes, by SHA-256 read as a number, to K - 1 modulo N. The same on every
// run and every machine, and independent of the inventory's other Macs, so
// the N shards are disjoint and cover the fleet.
struct Shard {
  unsigned index = 1;
  unsigned count = 1;
};
bool InShard(const std::string& hardware_uuid, const Shard& shard);
// "K/N".
Result<Shard> ParseShard(const std::string& text);

// (Its reports, FleetReport, are made from it by render/fleet_render.h.)

}  // namespace accord
