// SPDX-License-Identifier: Apache-2.0
// The local state file's JSON (schemas/local-state.schema.json) ⇄
// LocalState. Strict like the snapshot: unknown or duplicate keys and a
// wrong format are errors naming their key path.
#pragma once

#include <string>

#include "core/result.h"
#include "state/local_state.h"

namespace accord {

Result<LocalState> ParseLocalState(const std::string& text, const std::string& file);

// Canonical text: fixed key order, two-space indent, trailing newline.
std::string SerializeLocalState(const LocalState& state);

}  // namespace accord
