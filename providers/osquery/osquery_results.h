// SPDX-License-Identifier: Apache-2.0
// osquery's result formats → the rows of Accord's queries, per Mac. Reads
// osqueryd's filesystem-logger lines (snapshot, event "added"/"removed",
// and batch "diffResults") and Fleet's query-report JSON, with the quirks
// real senders have: numbers as strings or numbers, "added": "" for an
// empty list, hostIdentifier vs hostname. Sources: osquery's docs on
// logging ("Results logs": snapshot, differential and batched formats) and
// Fleet's REST API docs (GET /api/v1/fleet/queries/:id/report), both
// sampled in tests/providers/osquery/fixtures/.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostic.h"
#include "osquery/osquery_rows.h"

namespace accord {

// What one Mac's data says, by query: "users", "admins", … (the query's
// name with any pack path and "accord_" prefix taken off).
struct HostRows {
  std::shared_ptr<const TextPool> texts;  // what its rows' ids stand for
  std::string hardware_uuid;
  std::string seen_as;  // hostIdentifier or host name, for messages
  QueryTables tables;
  std::vector<std::string> labels;
  std::vector<std::string> files;  // where its rows came from
};

struct OsqueryData {
  std::shared_ptr<TextPool> texts = std::make_shared<TextPool>();
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
// The same for a result log read a line at a time by the caller (so that a
// fleet's log of hundreds of megabytes is never held whole): call the
// returned reader with each line and its number, in order.
std::function<void(std::string_view line, int number)> ResultLineReader(const std::string& file,
                                                                        OsqueryData& into);
// A file that stopped being readable part-way (`why`): every Mac it had
// rows for is incomplete, and is not planned.
void FailFile(const std::string& file, const Diagnostic& why, OsqueryData& into);

// Fleet's query report ({"query_id", "results": [{host_name, columns}]}):
// `query` is the query's name (the report does not carry it: the file's).
void ReadFleetReport(const std::string& text, const std::string& file, const std::string& query,
                     OsqueryData& into);

// Does `text` look like a hardware UUID (8-4-4-4-12 hex digits)?
bool IsHardwareUuid(const std::string& text);

}  // namespace accord
