// SPDX-License-Identifier: Apache-2.0
// One osquery result (a result-log line, or a pretty-printed result) read
// straight from the JSON parser's events into the fields Accord uses: no
// document tree is built, and each value is kept as text whether it came
// as a string or a number (osquery's `numerics` setting). Shapes: osquery's
// logging docs ("snapshot", "added"/"removed" with "columns", batched
// "diffResults" whose lists Fleet may send as "").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "osquery/osquery_results.h"

namespace accord {

struct OsqueryResult {
  bool has_name = false;
  std::string name;
  std::string host_identifier;
  std::string hostname;
  std::string action;
  std::string host_uuid;  // decorations.host_uuid
  std::string labels;     // decorations.labels
  bool has_snapshot = false;
  std::vector<OsqueryRow> snapshot;
  bool has_diff = false;
  std::vector<OsqueryRow> added;
  std::vector<OsqueryRow> removed;
  bool has_columns = false;
  OsqueryRow columns;
};

struct ParsedResults {
  std::optional<OsqueryResult> result;  // when the value is an object
  // What the text is when it is not results.
  bool top_is_array = false;
  bool node_key = false;  // an osquery distributed write
  bool not_object = false;
  struct Failure {
    std::size_t byte;  // one past the offending character, as nlohmann counts
    std::string message;
  };
  std::optional<Failure> failure;
};

// `text` must hold exactly one JSON value (a line, or a whole file); the
// rows' column names and values are interned in `texts`.
ParsedResults ParseResults(std::string_view text, TextPool& texts);

}  // namespace accord
