// SPDX-License-Identifier: Apache-2.0
// Reading a fleet plan's JSON (schemas/fleet-plan.schema.json) back into
// the report it was written from: every field checked, every error named
// by its key path. What the reports derive (totals, status) is recomputed
// from the Macs, never trusted.
#include <algorithm>
#include <array>

#include "core/json_reader.h"
#include "core/names.h"
#include "render/fleet_render.h"

namespace accord {
namespace {

using Keys = std::span<const std::string_view>;

constexpr std::array<std::string_view, 9> kTop = {
    "accord_fleet_plan", "version",         "fleet_file", "shard", "summary", "macs",
    "compose_errors",    "ignored_results", "$schema"};
constexpr std::array<std::string_view, 2> kShard = {"index", "count"};
constexpr std::array<std::string_view, 14> kMac = {
    "hardware_uuid", "name", "inventory_index", "source",  "layers", "status",     "changes",
    "summary",       "runs", "stopped",         "unknown", "errors", "error_kind", "last_apply"};
constexpr std::array<std::string_view, 5> kLastApply = {"time", "result", "exit_status",
                                                        "desired_fingerprint", "same_desired"};
constexpr std::array<std::string_view, 3> kRun = {"title", "sign", "irreversible"};
constexpr std::array<std::string_view, 11> kCounts = {
    "create",        "change",  "delete",       "refused",       "blocked",
    "deferred",      "skipped", "homes_erased", "filevault_off", "recovery_keys_replaced",
    "tokens_revoked"};
constexpr std::array<std::string_view, 7> kStopped = {"id",     "title", "outcome", "rule",
                                                      "reason", "fix",   "accepted"};
constexpr std::array<std::string_view, 5> kError = {"file", "line", "column", "key_path",
                                                    "message"};

class Reader {
 public:
  explicit Reader(const std::string& file) : f_(file) {}

  Result<FleetReport> Read(const Json& doc) {
    FleetReport r;
    if (!f_.Object(doc, "", Keys(kTop))) return f_.errors();
    std::optional<std::int64_t> format =
        f_.Integer(doc, "", "accord_fleet_plan", 1, 1, "the fleet plan format");
    if (!format)
      f_.Error("accord_fleet_plan",
               "not a fleet plan of format 1 (accord plan --fleet --format json)");
    r.fleet_file = f_.String(doc, "", "fleet_file").value_or("");
    r.shard = Shard(doc);
    r.compose_errors = Errors(doc, "", "compose_errors");
    compose_errors_ = r.compose_errors;
    if (const Json* macs = f_.Array(doc, "", "macs")) {
      for (std::size_t i = 0; i < macs->size(); ++i) {
        r.macs.push_back(Mac((*macs)[i], "macs[" + std::to_string(i) + "]", i));
      }
    }
    r.ignored_results = Strings(doc, "", "ignored_results");
    if (!f_.ok()) return f_.errors();
    return r;
  }

 private:
  // "shard": {"index": K, "count": N}, or null / absent for a whole fleet.
  std::optional<ShardOf> Shard(const Json& doc) {
    auto it = doc.find("shard");
    if (it == doc.end() || it->is_null()) return std::nullopt;
    if (!f_.Object(*it, "shard", Keys(kShard))) return std::nullopt;
    std::optional<std::int64_t> count = f_.Integer(*it, "shard", "count", 1, 1 << 20, "a count");
    std::optional<std::int64_t> index =
        f_.Integer(*it, "shard", "index", 1, count.value_or(1 << 20), "a shard of the count");
    if (!count || !index) return std::nullopt;
    return ShardOf{static_cast<unsigned>(*index), static_cast<unsigned>(*count)};
  }

  std::vector<std::string> Strings(const Json& parent, const std::string& path, const char* key) {
    std::vector<std::string> out;
    if (const Json* a = f_.Array(parent, path, key)) {
      for (std::size_t i = 0; i < a->size(); ++i) {
        const Json& s = (*a)[i];
        if (s.is_string()) {
          out.push_back(s.get<std::string>());
        } else {
          f_.Error(JsonFields::Join(path, key) + "[" + std::to_string(i) + "]",
                   "expected a string, got " + KindOf(s));
        }
      }
    }
    return out;
  }

  Diagnostics Errors(const Json& parent, const std::string& path, const char* key) {
    Diagnostics out;
    const Json* a = f_.Array(parent, path, key);
    if (!a) return out;
    for (std::size_t i = 0; i < a->size(); ++i) {
      const std::string at = JsonFields::Join(path, key) + "[" + std::to_string(i) + "]";
      const Json& e = (*a)[i];
      if (!f_.Object(e, at, Keys(kError))) continue;
      Diagnostic d;
      d.file = f_.String(e, at, "file").value_or("");
      d.pos.line = static_cast<int>(f_.Integer(e, at, "line", 1, 1 << 30, "a line").value_or(0));
      d.pos.column =
          static_cast<int>(f_.Integer(e, at, "column", 1, 1 << 30, "a column").value_or(0));
      d.key_path = f_.String(e, at, "key_path").value_or("");
      d.message = f_.String(e, at, "message").value_or("");
      out.push_back(std::move(d));
    }
    return out;
  }

  std::optional<PlanSummary> Counts(const Json& parent, const std::string& path) {
    auto it = parent.find("summary");
    if (it == parent.end() || it->is_null()) return std::nullopt;
    const std::string at = JsonFields::Join(path, "summary");
    if (!f_.Object(*it, at, Keys(kCounts))) return std::nullopt;
    auto n = [&](const char* key) {
      return static_cast<int>(f_.Integer(*it, at, key, 0, 1 << 30, "a count").value_or(0));
    };
    PlanSummary s;
    s.create = n("create");
    s.change = n("change");
    s.destroy = n("delete");
    s.refused = n("refused");
    s.blocked = n("blocked");
    s.deferred = n("deferred");
    s.skipped = n("skipped");
    // Counted apart since the harm table; absent from older reports (0).
    s.homes_erased = n("homes_erased");
    s.filevault_off = n("filevault_off");
    s.keys_replaced = n("recovery_keys_replaced");
    s.tokens_revoked = n("tokens_revoked");
    return s;
  }

  StoppedStep Stopped(const Json& j, const std::string& at) {
    StoppedStep s;
    if (!f_.Object(j, at, Keys(kStopped))) return s;
    s.id = f_.String(j, at, "id").value_or("");
    s.title = f_.String(j, at, "title").value_or(s.id);
    std::string outcome = f_.String(j, at, "outcome").value_or("");
    if (outcome == "blocked") {
      s.outcome = Outcome::kBlocked;
    } else if (outcome != "refused") {
      f_.Error(JsonFields::Join(at, "outcome"),
               "a stopped step is refused or blocked, not " + Printable(outcome));
    }
    s.rule = f_.String(j, at, "rule");
    s.why = f_.String(j, at, "reason").value_or("");
    s.fix = f_.String(j, at, "fix").value_or("");
    s.accepted = f_.String(j, at, "accepted");
    return s;
  }

  // A step that runs; absent from older reports (none).
  RunStep Run(const Json& j, const std::string& at) {
    RunStep r;
    if (!f_.Object(j, at, Keys(kRun))) return r;
    r.title = f_.String(j, at, "title").value_or("");
    std::string sign = f_.String(j, at, "sign").value_or("");
    if (sign == "+" || sign == "~" || sign == "-") {
      r.sign = sign[0];
    } else {
      f_.Error(JsonFields::Join(at, "sign"), "expected +, ~ or -, got " + Printable(sign));
    }
    r.irreversible = f_.Bool(j, at, "irreversible").value_or(false);
    return r;
  }

  // "last_apply": {...} or null; absent from older plans.
  void LastApplied(const Json& j, const std::string& at, MacReport& m) {
    auto it = j.find("last_apply");
    if (it == j.end() || it->is_null()) return;
    const std::string path = JsonFields::Join(at, "last_apply");
    if (!f_.Object(*it, path, Keys(kLastApply))) return;
    LastApply a;
    a.time = f_.String(*it, path, "time").value_or("");
    a.result = f_.String(*it, path, "result").value_or("");
    a.exit_status = f_.Integer(*it, path, "exit_status", -1000, 1000, "an exit status");
    a.desired_fingerprint = f_.String(*it, path, "desired_fingerprint").value_or("");
    m.last_apply = std::move(a);
    m.same_desired = f_.Bool(*it, path, "same_desired");
  }

  MacReport Mac(const Json& j, const std::string& at, std::size_t position) {
    MacReport m;
    if (!f_.Object(j, at, Keys(kMac))) return m;
    m.hardware_uuid = f_.String(j, at, "hardware_uuid").value_or("");
    if (m.hardware_uuid.empty()) f_.Error(JsonFields::Join(at, "hardware_uuid"), "missing");
    m.name = f_.String(j, at, "name");
    m.index = static_cast<std::size_t>(
        f_.Integer(j, at, "inventory_index", 0, std::int64_t{1} << 40, "an inventory position")
            .value_or(static_cast<std::int64_t>(position)));
    m.source = f_.String(j, at, "source").value_or("");
    m.layers = Strings(j, at, "layers");
    m.counts = Counts(j, at);
    m.changes =
        f_.Bool(j, at, "changes").value_or(f_.String(j, at, "status").value_or("") == "changes");
    if (const Json* runs = f_.Array(j, at, "runs")) {
      for (std::size_t i = 0; i < runs->size(); ++i) {
        m.runs.push_back(
            Run((*runs)[i], JsonFields::Join(at, "runs") + "[" + std::to_string(i) + "]"));
      }
    }
    if (const Json* stopped = f_.Array(j, at, "stopped")) {
      for (std::size_t i = 0; i < stopped->size(); ++i) {
        m.stopped.push_back(Stopped(
            (*stopped)[i], JsonFields::Join(at, "stopped") + "[" + std::to_string(i) + "]"));
      }
    }
    m.unknown = SharedTexts(Strings(j, at, "unknown"));
    m.errors = Errors(j, at, "errors");
    LastApplied(j, at, m);
    // Absent from older plans: an error shared with the composing errors is
    // a layer's.
    std::string kind = f_.String(j, at, "error_kind").value_or("");
    if (kind == "config") {
      m.config_error = true;
    } else if (kind.empty() && !m.errors.empty()) {
      m.config_error = std::find(compose_errors_.begin(), compose_errors_.end(),
                                 m.errors.front()) != compose_errors_.end();
    } else if (kind != "data" && !kind.empty()) {
      f_.Error(JsonFields::Join(at, "error_kind"),
               "expected config or data, got " + Printable(kind));
    }
    return m;
  }

  JsonFields f_;
  Diagnostics compose_errors_;
};

}  // namespace

Result<FleetReport> ReadFleetJson(const std::string& text, const std::string& file) {
  Result<Json> doc = ParseStrictJson(text, file);
  if (!doc.ok()) return doc.errors();
  return Reader(file).Read(doc.value());
}

}  // namespace accord
