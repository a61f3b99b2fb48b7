// SPDX-License-Identifier: Apache-2.0
// `plan --fleet --format json`: the fleet plan as one document for scripts
// (schemas/fleet-plan.schema.json): each Mac's status and counts, its
// refused and blocked steps with rule ids and fixes, its errors with their
// places, and the result names of the inventory that were ignored. Read
// back by fleet_json_reader.cc.
#include <nlohmann/json.hpp>

#include "core/version.h"
#include "model/rules.h"
#include "render/counts_json.h"
#include "render/fleet_render.h"

namespace accord {
namespace {

using Json = nlohmann::ordered_json;

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json ErrorJson(const Diagnostic& d) {
  return {{"file", OrNull(d.file)},
          {"line", d.pos.line > 0 ? Json(d.pos.line) : Json(nullptr)},
          {"column", d.pos.line > 0 && d.pos.column > 0 ? Json(d.pos.column) : Json(nullptr)},
          {"key_path", OrNull(d.key_path)},
          {"message", d.message}};
}

Json ErrorsJson(const Diagnostics& errors) {
  Json out = Json::array();
  for (const Diagnostic& d : errors) out.push_back(ErrorJson(d));
  return out;
}

// "error", "refused-or-blocked", "changes" or "no-changes".
const char* Status(const MacReport& m) {
  if (!m.counts) return "error";
  if (m.counts->refused + m.counts->blocked > 0) return "refused-or-blocked";
  return m.changes ? "changes" : "no-changes";
}

Json LastApplyJson(const MacReport& m) {
  if (!m.last_apply) return nullptr;
  const LastApply& a = *m.last_apply;
  return {{"time", OrNull(a.time)},
          {"result", OrNull(a.result)},
          {"exit_status", a.exit_status ? Json(*a.exit_status) : Json(nullptr)},
          {"desired_fingerprint", OrNull(a.desired_fingerprint)},
          {"same_desired", m.same_desired ? Json(*m.same_desired) : Json(nullptr)}};
}

Json MacJson(const MacReport& m) {
  Json stopped = Json::array();
  for (const StoppedStep& c : m.stopped) {
    stopped.push_back({{"id", c.id},
                       {"title", c.title},
                       {"outcome", ToString(c.outcome)},
                       {"rule", c.rule ? Json(*c.rule) : Json(nullptr)},
                       {"reason", c.why},
                       {"fix", OrNull(c.fix)},
                       {"accepted", c.accepted ? Json(*c.accepted) : Json(nullptr)}});
  }
  Json runs = Json::array();
  for (const RunStep& r : m.runs) {
    runs.push_back(
        {{"title", r.title}, {"sign", std::string(1, r.sign)}, {"irreversible", r.irreversible}});
  }
  return {{"hardware_uuid", m.hardware_uuid},
          {"name", m.name ? Json(*m.name) : Json(nullptr)},
          {"inventory_index", m.index},
          {"source", OrNull(m.source)},
          {"layers", m.layers},
          {"status", Status(m)},
          {"changes", m.changes},
          {"summary", m.counts ? CountsJson(*m.counts) : Json(nullptr)},
          {"runs", runs},
          {"stopped", stopped},
          {"unknown", m.unknown.get()},
          {"errors", ErrorsJson(m.errors)},
          {"error_kind", m.counts ? Json(nullptr) : Json(m.config_error ? "config" : "data")},
          {"last_apply", LastApplyJson(m)}};
}

}  // namespace

std::string RenderFleetJson(const FleetReport& report) {
  FleetSummary s = Summarize(report);
  Json macs = Json::array();
  for (const MacReport& m : report.macs) macs.push_back(MacJson(m));
  Json doc = {
      {"accord_fleet_plan", 1},
      {"version", AccordVersion()},
      {"fleet_file", report.fleet_file},
      {"shard", report.shard ? Json{{"index", report.shard->index}, {"count", report.shard->count}}
                             : Json(nullptr)},
      {"summary",
       {{"macs", s.macs},
        {"changing", s.changing},
        {"refused_or_blocked", s.refused_or_blocked},
        {"errors", s.errors},
        {"steps", CountsJson(s.steps)}}},
      {"macs", macs},
      {"compose_errors", ErrorsJson(report.compose_errors)},
      {"ignored_results", report.ignored_results}};
  // Names from the inventory may not be valid UTF-8: replaced, never thrown on.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace accord
