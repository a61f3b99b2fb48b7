// SPDX-License-Identifier: Apache-2.0
// `plan --fleet --format json`: the fleet plan as one document for scripts
// (schemas/fleet-plan.schema.json): each Mac's status and counts, its
// refused and blocked steps with rule ids and fixes, its errors with their
// places, and the result names of the inventory that were ignored.
#include <nlohmann/json.hpp>

#include "core/version.h"
#include "model/rules.h"
#include "render/fleet_render.h"

namespace accord {
namespace {

using Json = nlohmann::ordered_json;

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json CountsJson(const PlanSummary& s) {
  return {{"create", s.create},   {"change", s.change},   {"delete", s.destroy},
          {"refused", s.refused}, {"blocked", s.blocked}, {"deferred", s.deferred},
          {"skipped", s.skipped}};
}

Json ErrorJson(const Diagnostic& d) {
  return {{"file", OrNull(d.file)},
          {"line", d.pos.line > 0 ? Json(d.pos.line) : Json(nullptr)},
          {"column", d.pos.line > 0 ? Json(d.pos.column) : Json(nullptr)},
          {"key_path", OrNull(d.key_path)},
          {"message", d.message}};
}

Json ErrorsJson(const Diagnostics& errors) {
  Json out = Json::array();
  for (const Diagnostic& d : errors) out.push_back(ErrorJson(d));
  return out;
}

// "error", "refused-or-blocked", "changes" or "no-changes".
const char* Status(const MacPlan& m) {
  if (!m.plan) return "error";
  PlanSummary s = Summarize(*m.plan);
  if (s.refused + s.blocked > 0) return "refused-or-blocked";
  return s.HasChanges() ? "changes" : "no-changes";
}

Json MacJson(const MacPlan& m) {
  const MacIdentity& id = m.mac->identity;
  Json stopped = Json::array();
  if (m.plan) {
    for (const Change& c : m.plan->changes) {
      if (c.outcome != Outcome::kRefused && c.outcome != Outcome::kBlocked) continue;
      stopped.push_back({{"id", c.Id()},
                         {"outcome", ToString(c.outcome)},
                         {"rule", c.rule ? Json(RuleId(*c.rule)) : Json(nullptr)},
                         {"reason", c.Why()},
                         {"fix", OrNull(c.remedy)}});
    }
  }
  return {{"hardware_uuid", id.hardware_uuid},
          {"name", id.name ? Json(*id.name) : Json(nullptr)},
          {"source", OrNull(m.mac->source)},
          {"layers", m.layers},
          {"status", Status(m)},
          {"summary", m.plan ? CountsJson(Summarize(*m.plan)) : Json(nullptr)},
          {"stopped", stopped},
          {"unknown", m.mac->unknown},
          {"errors", ErrorsJson(m.errors)}};
}

}  // namespace

std::string RenderFleetJson(const FleetPlan& plan, const std::string& fleet_file) {
  FleetSummary s = Summarize(plan);
  Json macs = Json::array();
  for (const MacPlan& m : plan.macs) macs.push_back(MacJson(m));
  Json doc = {{"accord_fleet_plan", 1},
              {"version", AccordVersion()},
              {"fleet_file", fleet_file},
              {"summary",
               {{"macs", s.macs},
                {"changing", s.changing},
                {"refused_or_blocked", s.refused_or_blocked},
                {"errors", s.errors},
                {"steps", CountsJson(s.steps)}}},
              {"macs", macs},
              {"compose_errors", ErrorsJson(plan.compose_errors)},
              {"ignored_results", plan.ignored_results}};
  // Names from the inventory may not be valid UTF-8: replaced, never thrown on.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace accord
