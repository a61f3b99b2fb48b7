// SPDX-License-Identifier: Apache-2.0
// Where a real Mac keeps Accord's own files: one root-only folder
// (/var/db/accord on macOS) holding the apply lock, the local state file
// (state.json) and the apply log (apply.log, JSON lines, rotated to
// apply.log.1). Every write is atomic or a single append, so a kill at any
// moment leaves both files valid.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/result.h"
#include "state/local_state.h"

namespace accord {

inline constexpr const char* kStateFileName = "state.json";
inline constexpr const char* kApplyLogName = "apply.log";
inline constexpr std::size_t kApplyLogLimit = 1 << 20;  // rotated past 1 MiB

// Creates the folder (mode 0700) if it is missing; refuses one that others
// can write to or that another user owns.
Status PrepareStateDir(const std::string& dir);

struct LoadedState {
  LocalState state;
  // Why the file was ignored (corrupt, another format, foreign owner, loose
  // mode): its facts are then unknown, never trusted.
  std::optional<std::string> warning;
};

// A missing file is an empty record, without a warning.
LoadedState LoadLocalState(const std::string& dir);

// Replaces the state file atomically, mode 0600.
Status SaveLocalState(const std::string& dir, const LocalState& state);

// Appends one line (a JSON document, no newline inside) to the apply log,
// rotating it first if the line would take it past `limit`.
Status AppendApplyLog(const std::string& dir, const std::string& line,
                      std::size_t limit = kApplyLogLimit);

}  // namespace accord
