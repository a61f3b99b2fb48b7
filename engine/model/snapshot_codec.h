// SPDX-License-Identifier: Apache-2.0
// Device snapshot JSON (contract v1, DOMAIN §3) ⇄ DeviceState: the wire
// form of observed state. Used by the simulated Mac, by plan fingerprints,
// by `accord observe`, and for snapshots captured on real Macs.
#pragma once

#include <string>

#include "core/result.h"
#include "model/device_state.h"

namespace accord {

// Strict: unknown and duplicate fields are errors, every error names the key
// path (users[2].uid); a syntax error also names line:column. `null` and an
// omitted field both mean "unknown"; `users` and `accord_device` are required.
// A well-formed snapshot is read without a JSON tree (snapshot_fast.h);
// anything else by the strict reader, whose messages these are.
Result<DeviceState> ParseSnapshot(const std::string& text, const std::string& file);
// The strict reader alone: for the tests that hold the two to one answer.
Result<DeviceState> ParseSnapshotStrictly(const std::string& text, const std::string& file);

// The canonical snapshot text: fixed key order, two-space indent, trailing
// newline. ParseSnapshot(SerializeSnapshot(s)) == s.
std::string SerializeSnapshot(const DeviceState& state);

}  // namespace accord
