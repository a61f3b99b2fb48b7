// SPDX-License-Identifier: Apache-2.0
// Reading osquery result logs and Fleet query reports into rows per Mac.
#include "osquery/osquery_results.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/json_input.h"
#include "core/json_reader.h"
#include "core/names.h"
#include "core/text_file.h"
#include "osquery/result_sax.h"

namespace accord {
namespace {

using Json = nlohmann::json;

// The queries of Accord's pack (examples/gitops/queries), by short name.
constexpr std::array<std::string_view, 10> kQueries = {"system_info",
                                                       "users",
                                                       "admins",
                                                       "disk_encryption",
                                                       "homes",
                                                       "apfs_crypto_users",
                                                       "filevault_users",
                                                       "filevault_status",
                                                       "recovery_key_escrow",
                                                       "last_apply"};

// A query is Accord's by its own name at the end of the logged name,
// whatever the pack and its delimiter. osqueryd logs a pack's query as
// "pack" + delimiter + pack + delimiter + query, the delimiter being
// --pack_delimiter, "_" by default (osquery's docs, "Configuration":
// packs; its source, osquery/config/packs.cpp); Fleet and some
// deployments use "/". So "pack_accord_accord_users",
// "pack/accord/accord_users", "pack_it-macs_accord_users" and
// "accord_users" are all "users". A bare query name ("system_info") is
// Accord's only as the last "/" part, as Fleet's own packs name them
// ("pack/Global/system_info"): after "_" it could be anyone's query.
// "" when the name is not Accord's.
std::string ShortQuery(std::string_view name) {
  for (std::string_view q : kQueries) {
    for (std::string_view prefix : {std::string_view("accord_"), std::string_view()}) {
      const std::size_t size = prefix.size() + q.size();
      if (name.size() < size || name.substr(name.size() - q.size()) != q ||
          name.substr(name.size() - size, prefix.size()) != prefix) {
        continue;
      }
      if (name.size() == size) return std::string(q);
      const char before = name[name.size() - size - 1];
      if (before == '/' || (!prefix.empty() && before == '_')) return std::string(q);
    }
  }
  return "";
}

// Takes strings out of the parsed document rather than copying them.
std::string Text(Json& v) {
  if (v.is_string()) return std::move(v.get_ref<std::string&>());
  if (v.is_null()) return "";
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

OsqueryRow Row(Json& columns, TextPool& texts) {
  OsqueryRow row{&texts, texts.InternColumns({}), {}};
  if (!columns.is_object()) return row;
  std::vector<TextPool::Id> names;
  names.reserve(columns.size());
  row.values.reserve(columns.size());
  for (auto it = columns.begin(); it != columns.end(); ++it) {
    names.push_back(texts.Intern(it.key()));
    row.values.push_back(texts.Intern(Text(*it)));
  }
  row.columns = texts.InternColumns(names);
  return row;
}

Json Take(Json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() ? Json() : std::move(*it);
}

std::string StringField(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// The Mac `uuid` names, registered as seen in `file`.
HostRows& HostOf(OsqueryData& into, const std::string& uuid, const std::string& seen_as,
                 const std::string& file) {
  std::string key = ToUpper(uuid);
  HostRows& host = into.hosts[key];
  host.hardware_uuid = key;
  if (!host.texts) host.texts = into.texts;
  if (host.seen_as.empty()) host.seen_as = seen_as;
  if (host.files.empty() || host.files.back() != file) host.files.push_back(file);
  return host;
}

void Split(const std::string& list, std::vector<std::string>& into) {
  std::size_t from = 0;
  while (from <= list.size()) {
    std::size_t comma = std::min(list.find(',', from), list.size());
    std::string item = list.substr(from, comma - from);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty() && std::find(into.begin(), into.end(), item) == into.end()) {
      into.push_back(item);
    }
    from = comma + 1;
  }
}

class LogReader {
 public:
  LogReader(const std::string& file, OsqueryData& into) : file_(file), into_(into) {}

  // Applies one line's parsed results (ParseResults), in file order.
  void Line(std::string_view text, ParsedResults parsed, int line) {
    if (parsed.failure) {
      Diagnostic d =
          JsonParseError(parsed.failure->message,
                         parsed.failure->byte ? parsed.failure->byte : std::optional<std::size_t>(),
                         std::string(text), file_);
      // nlohmann counts lines within the one line given: keep the column only.
      if (auto at = d.message.find(" at line 1, column "); at != std::string::npos) {
        d.message.erase(at, d.message.find(':', at) - at);
      }
      d.message = "truncated or malformed result line: " + d.message;
      Fail(text, d, line);
      return;
    }
    if (!parsed.result) {
      Error({line, 1}, "not an osquery result: expected an object with \"name\" (the query)");
      return;
    }
    Apply(*parsed.result, line);
  }

  void Apply(OsqueryResult& r, int line) {
    SourcePos at{line, 1};
    if (!r.has_name) {
      Error(at,
            "not an osquery result: expected an object with \"name\" (the query), got an "
            "object without it");
      return;
    }
    std::string query = ShortQuery(r.name);
    if (query.empty()) {  // another query's results: not Accord's business
      into_.ignored.insert(r.name);
      return;
    }
    std::string seen_as = r.host_identifier.empty() ? r.hostname : r.host_identifier;
    std::string uuid = r.host_uuid;
    if (uuid.empty() && IsHardwareUuid(seen_as)) uuid = seen_as;
    if (uuid.empty()) {
      const OsqueryRow* first = r.has_columns ? &r.columns : nullptr;
      if (!r.snapshot.empty()) first = &r.snapshot.front();
      if (first) uuid = std::string(first->Value("hardware_uuid").value_or(""));
    }
    if (uuid.empty()) {
      Error(at, "result of " + query + " from host " +
                    (seen_as.empty() ? std::string("(unnamed)") : Printable(seen_as)) +
                    " has no hardware UUID: Accord keys Macs by it (decorations.host_uuid, or "
                    "--host_identifier=uuid)");
      return;
    }
    HostRows& host = Host(uuid, seen_as);
    Split(r.labels, host.labels);
    if (auto team = r.name.find("/team-"); team != std::string::npos) {
      Split(r.name.substr(team + 1, r.name.find('/', team + 1) - team - 1), host.labels);
    }
    RowList& rows = host.tables[query];
    if (r.action == "snapshot" || r.has_snapshot) {
      rows.Assign(r.snapshot);
    } else if (r.has_diff) {
      for (const OsqueryRow& row : r.removed) rows.Remove(row);
      for (const OsqueryRow& row : r.added) rows.Add(row);
    } else if ((r.action == "added" || r.action == "removed") && r.has_columns) {
      if (r.action == "added") {
        rows.Add(r.columns);
      } else {
        rows.Remove(r.columns);
      }
    } else {
      Error(at, "result of " + query +
                    " has neither snapshot, diffResults nor an "
                    "added/removed action");
    }
  }

 private:
  HostRows& Host(const std::string& uuid, const std::string& seen_as) {
    // A Mac's lines usually follow one another: look it up once for them.
    if (last_ && uuid == last_uuid_) {
      if (last_->seen_as.empty()) last_->seen_as = seen_as;
      return *last_;
    }
    last_uuid_ = uuid;
    last_ = &HostOf(into_, uuid, seen_as, file_);
    return *last_;
  }

  void Error(SourcePos at, std::string message) {
    into_.errors.push_back({Severity::kError, file_, at, "", std::move(message)});
  }

  // A line that does not parse belongs to whichever Mac its text names, if
  // any: that Mac's data is incomplete, so it is not planned.
  void Fail(std::string_view text, Diagnostic d, int line) {
    d.pos.line = line;
    std::string id = Quoted(text, "\"host_uuid\":\"");
    if (id.empty()) id = Quoted(text, "\"hostIdentifier\":\"");
    if (!id.empty() && (IsHardwareUuid(id) || text.find("\"host_uuid\"") != std::string::npos)) {
      into_.host_errors[ToUpper(id)].push_back(std::move(d));
    } else {
      into_.errors.push_back(std::move(d));
    }
  }

  // The string after `key` in raw text, if it is closed.
  static std::string Quoted(std::string_view text, std::string_view key) {
    auto at = text.find(key);
    if (at == std::string::npos) return "";
    at += key.size();
    auto end = text.find('"', at);
    return end == std::string::npos ? "" : std::string(text.substr(at, end - at));
  }

  const std::string& file_;
  OsqueryData& into_;
  std::string last_uuid_;
  HostRows* last_ = nullptr;  // map nodes stay where they are
};

}  // namespace

bool IsHardwareUuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (dash ? c != '-' : !hex) return false;
  }
  return true;
}

std::function<void(std::string_view, int)> ResultLineReader(const std::string& file,
                                                            OsqueryData& into) {
  auto reader = std::make_shared<LogReader>(file, into);
  return [reader, &into](std::string_view one, int number) {
    if (!one.empty() && one.back() == '\r') one.remove_suffix(1);
    if (one.find_first_not_of(" \t") != std::string::npos) {
      reader->Line(one, ParseResults(one, *into.texts), number);
    }
  };
}

void FailFile(const std::string& file, const Diagnostic& why, OsqueryData& into) {
  into.errors.push_back(why);
  for (auto& [uuid, host] : into.hosts) {
    if (std::find(host.files.begin(), host.files.end(), file) == host.files.end()) continue;
    into.host_errors[uuid].push_back({Severity::kError, why.file, why.pos, "",
                                      "its data is incomplete: " + file +
                                          " could not be read to its end (" + why.message + ")"});
  }
}

void ReadResultLog(const std::string& text, const std::string& file, OsqueryData& into) {
  LogReader reader(file, into);
  // One pretty-printed result (as osquery's docs show them) is one document.
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text.find('\n', first) != std::string::npos &&
      text.find('\n', first) < text.find_last_not_of(" \t\r\n")) {
    ParsedResults whole = ParseResults(text, *into.texts);
    if (!whole.failure) {
      if (whole.node_key) {
        into.errors.push_back({Severity::kError,
                               file,
                               {1, 1},
                               "",
                               "an osquery distributed write names its Mac only by node key; "
                               "collect Accord's queries as scheduled results instead"});
      } else if (whole.top_is_array) {
        into.errors.push_back({Severity::kError,
                               file,
                               {1, 1},
                               "",
                               "a bare array of rows (osqueryi --json) names neither the Mac nor "
                               "the query; collect Accord's queries as scheduled results"});
      } else if (whole.result) {
        reader.Apply(*whole.result, PositionOfOffset(text, first).line);
      } else {
        into.errors.push_back({Severity::kError,
                               file,
                               {1, 1},
                               "",
                               "not an osquery result: expected an object with \"name\""});
      }
      return;
    }
  }
  int number = 0;
  for (std::size_t from = 0; from < text.size();) {
    std::size_t nl = std::min(text.find('\n', from), text.size());
    ++number;
    std::string_view one(text.data() + from, nl - from);
    if (!one.empty() && one.back() == '\r') one.remove_suffix(1);
    if (one.find_first_not_of(" \t") != std::string::npos) {
      reader.Line(one, ParseResults(one, *into.texts), number);
    }
    from = nl + 1;
  }
}

void ReadFleetReport(const std::string& text, const std::string& file, const std::string& query,
                     OsqueryData& into) {
  auto error = [&](std::string message) {
    into.errors.push_back({Severity::kError, file, {1, 1}, "", std::move(message)});
  };
  std::string q = ShortQuery(query);
  if (q.empty()) {
    error(
        "a Fleet query report names no query; name the file after the Accord query it holds "
        "(accord_users.json, …), not " +
        Printable(query));
    return;
  }
  Result<Json> parsed = ParseStrictJson(text, file);
  if (!parsed.ok()) {
    into.errors.insert(into.errors.end(), parsed.errors().begin(), parsed.errors().end());
    return;
  }
  Json j = std::move(parsed).value();
  if (!j.is_object() || !j.contains("results") || !j["results"].is_array()) {
    error("not a Fleet query report: expected {\"query_id\": …, \"results\": [...]}");
    return;
  }
  // Fleet keeps a bounded number of rows per query report and says so
  // (REST API, "Get query report": report_clipped). A Mac planned from part
  // of its rows would be planned as a Mac without the accounts left out.
  if (auto clipped = j.find("report_clipped"); clipped != j.end() && *clipped == true) {
    error(
        "Fleet clipped this report (report_clipped: true): it lacks some Macs' rows, and no Mac "
        "is planned from part of its data; read osqueryd's result logs for a fleet this large");
    return;
  }
  Json& results = j["results"];
  for (std::size_t i = 0; i < results.size(); ++i) {
    Json& r = results[i];
    std::string seen_as = r.is_object() ? StringField(r, "host_name") : "";
    Json columns = r.is_object() ? Take(r, "columns") : Json();
    OsqueryRow row = Row(columns, *into.texts);
    const std::string uuid(row.Value("hardware_uuid").value_or(""));
    if (uuid.empty()) {
      into.errors.push_back(
          {Severity::kError,
           file,
           {},
           "results[" + std::to_string(i) + "]",
           "row of host " + (seen_as.empty() ? std::string("(unnamed)") : Printable(seen_as)) +
               " has no hardware_uuid column: Fleet reports name hosts by Fleet's own id; "
               "Accord's queries select system_info.uuid AS hardware_uuid"});
      continue;
    }
    HostOf(into, uuid, seen_as, file).tables[q].Add(row);
  }
}

}  // namespace accord
