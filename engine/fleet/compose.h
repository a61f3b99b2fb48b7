// SPDX-License-Identifier: Apache-2.0
// Compose: the layers a fleet file chooses for one Mac, merged in order into
// one desired state. Later layers override earlier ones attribute by
// attribute, users merge by short name, and `ensure: absent` drops what
// earlier layers said of a user (a later layer naming the user again
// starts it afresh). Every value keeps the place (layer file and
// line) that set it, in DesiredState::source. Only ReadLayers reads files
// (each layer once, through load/); composing and choosing are pure.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "model/desired_state.h"
#include "model/fleet.h"

namespace accord {

// A fleet file with each layer's file read and parsed (structure only: a
// layer may lean on another, e.g. a uid_range the base layer declares, so
// the rules are checked on the composed state).
struct FleetLayers {
  Fleet fleet;
  std::vector<Result<DesiredState>> layers;  // one per fleet.layers entry
};

// Reads every layer file; a layer that does not load keeps its errors, and
// only the Macs that choose it fail.
FleetLayers ReadLayers(Fleet fleet);

// The indexes of the layers that choose `mac`, in order, or an error when
// some selector cannot tell (it reads a fact the inventory does not have).
Result<std::vector<std::size_t>> ChooseLayers(const Fleet& fleet, const MacIdentity& mac);

// The names of the `chosen` layers, in order.
std::vector<std::string> LayerNames(const Fleet& fleet, const std::vector<std::size_t>& chosen);

// The composed, validated desired state of the chosen layers. Errors: a
// chosen layer that does not load, two layers at one position (peers) that
// set one attribute differently, UID ranges of two layers that overlap, and
// whatever the rules find in the result; each names its place(s).
Result<DesiredState> Compose(const FleetLayers& layers, const std::vector<std::size_t>& chosen);

// A per-Mac file is bound to its Mac (the device-mismatch harm rule): its
// device: is the hardware UUID, so that applied on any other Mac it stops
// before the first step.
DesiredState BoundTo(DesiredState desired, const MacIdentity& mac);

}  // namespace accord
