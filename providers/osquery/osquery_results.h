// SPDX-License-Identifier: Apache-2.0
// osquery's result formats → the rows of Accord's queries, per Mac. Reads
// osqueryd's filesystem-logger lines (snapshot, event "added"/"removed",
// and batch "diffResults") and Fleet's query-report JSON, with the quirks
// real senders have: numbers as strings or numbers, "added": "" for an
// empty list, hostIdentifier vs hostname. Sources: osquery's docs on
// logging ("Results logs": snapshot, differential and batched formats) and
// Fleet's REST API docs (GET /api/v1/fleet/queries/:id/report), both
// sampled in ../shared/fixtures/osquery/.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostic.h"

namespace accord {

// Column → value as text, in column order (a handful of columns: a flat
// list is smaller and faster than a map, and compares as rows do).
using OsqueryRow = std::vector<std::pair<std::string, std::string>>;

// What one Mac's data says, by query: "users", "admins", … (the query's
// name with any pack path and "accord_" prefix taken off).
struct HostRows {
  std::string hardware_uuid;
  std::string seen_as;  // hostIdentifier or host name, for messages
  std::map<std::string, std::vector<OsqueryRow>> tables;
  std::vector<std::string> labels;
  std::vector<std::string> files;  // where its rows came from
};

struct OsqueryData {
  std::map<std::string, HostRows> hosts;  // by hardware UUID, upper case
  // Errors that stop one Mac (its data is incomplete), by hardware UUID.
  std::map<std::string, Diagnostics> host_errors;
  // Errors no Mac can be named for (a line without any identity).
  Diagnostics errors;
  // Queries whose results were skipped: not Accord's ("processes", …).
  std::set<std::string> ignored;
};

// Result-log lines (one JSON object per line), or one pretty-printed result.
void ReadResultLog(const std::string& text, const std::string& file, OsqueryData& into);
// Fleet's query report ({"query_id", "results": [{host_name, columns}]}):
// `query` is the query's name (the report does not carry it: the file's).
void ReadFleetReport(const std::string& text, const std::string& file, const std::string& query,
                     OsqueryData& into);

// Does `text` look like a hardware UUID (8-4-4-4-12 hex digits)?
bool IsHardwareUuid(const std::string& text);

}  // namespace accord
