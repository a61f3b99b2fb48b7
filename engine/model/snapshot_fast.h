// SPDX-License-Identifier: Apache-2.0
// The common case of reading a device snapshot, without a JSON tree:
// nlohmann/json's SAX events go straight into a DeviceState. It reads only
// what the strict reader (snapshot_codec.cc) would accept without a word,
// and gives up at the first thing that reader would comment on: an unknown
// or repeated key, a wrong type, a value out of range, a missing required
// field, a user listed twice, nesting the contract does not have, any
// syntax error. ParseSnapshot then reads the text the strict way, so every
// message is the strict reader's. That both give the same state wherever
// this one answers is tested over every example snapshot and thousands of
// generated and damaged ones (tests/engine/model/snapshot_fast_test.cc).
#pragma once

#include <optional>
#include <string>

#include "model/device_state.h"

namespace accord {

std::optional<DeviceState> ReadWellFormedSnapshot(const std::string& text);

}  // namespace accord
