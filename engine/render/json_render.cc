// SPDX-License-Identifier: Apache-2.0
// JSON rendering of plans and predictions (nlohmann/json, insertion-ordered), streamed:
// the document's frame is written by hand and each change is built and
// dumped on its own, so no tree of the whole plan is ever held.
#include "render/json_render.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "core/version.h"
#include "render/counts_json.h"

namespace accord {

nlohmann::ordered_json CountsJson(const PlanSummary& s) {
  return {{"create", s.create},
          {"change", s.change},
          {"delete", s.destroy},
          {"refused", s.refused},
          {"blocked", s.blocked},
          {"deferred", s.deferred},
          {"skipped", s.skipped},
          {"homes_erased", s.homes_erased},
          {"filevault_off", s.filevault_off},
          {"recovery_keys_replaced", s.keys_replaced},
          {"tokens_revoked", s.tokens_revoked}};
}

using Json = nlohmann::ordered_json;

Json ValueJson(const AttrValue& value) {
  struct Visitor {
    Json operator()(std::monostate) const { return nullptr; }
    Json operator()(bool b) const { return b; }
    Json operator()(std::int64_t i) const { return i; }
    Json operator()(const std::string& s) const { return s; }
    Json operator()(const SecretRef& s) const {
      return {{"secret", {{SourceKey(s.source), s.name}}}};
    }
  };
  return std::visit(Visitor{}, value);
}

namespace {

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }
Json OrNull(const Known<std::string>& s) { return s ? Json(*s) : Json(nullptr); }

// One change as its own small document (the plan is streamed change by
// change: memory stays that of one change, however long the plan).
Json ChangeJson(const Change& c) {
  Json attributes = Json::array();
  for (const Attribute& a : c.attributes) {
    Json attr = {{"name", ToString(a.name)}};
    if (a.before) attr["before"] = ValueJson(*a.before);
    attr["after"] = ValueJson(a.after);
    if (!a.note.empty()) attr["note"] = a.note;
    if (!a.origin.empty()) attr["origin"] = a.origin;
    attributes.push_back(attr);
  }
  Json depends_on = Json::array();
  for (const Dependency& d : c.depends_on) {
    depends_on.push_back({{"id", d.id}, {"reason", d.reason}});
  }
  Json change = {{"id", c.Id()},
                 {"action", ToString(c.action)},
                 {"sign", std::string(1, SignOf(c.action))},
                 {"user", OrNull(c.user)},
                 {"outcome", ToString(c.outcome)},
                 {"reason", c.Why()},
                 {"rule", c.rule ? Json(RuleId(*c.rule)) : Json(nullptr)},
                 {"remedy", OrNull(c.remedy)},
                 {"attributes", attributes},
                 {"depends_on", depends_on}};
  if (!c.notes.empty()) change["notes"] = c.notes;
  if (!c.origin.empty()) change["origin"] = c.origin;
  return change;
}

Json FindingJson(const Finding& f) {
  return {{"level", f.level == FindingLevel::kWarning ? "warning" : "note"},
          {"kind", f.kind},
          {"user", OrNull(f.user)},
          {"message", f.message}};
}

// `value` as it prints at `depth` inside the document: nlohmann's two-space
// layout, its lines shifted right. JSON escapes a newline inside a string,
// so every newline in the dump is structure.
void WriteAt(std::ostream& out, const Json& value, int depth) {
  // Names observed on a Mac may not be valid UTF-8: replaced, never thrown on.
  std::string text = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string shift(static_cast<std::size_t>(depth) * 2, ' ');
  std::size_t from = 0;
  while (true) {
    std::size_t nl = text.find('\n', from);
    out.write(text.data() + from,
              static_cast<std::streamsize>((nl == std::string::npos ? text.size() : nl) - from));
    if (nl == std::string::npos) break;
    out << '\n' << shift;
    from = nl + 1;
  }
}

// An array of `items`, at depth 1 in the document, one rendered at a time.
template <typename T, typename F>
void WriteArray(std::ostream& out, const std::vector<T>& items, F to_json) {
  if (items.empty()) {
    out << "[]";
    return;
  }
  out << "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out << (i ? ",\n    " : "\n    ");
    WriteAt(out, to_json(items[i]), 2);
  }
  out << "\n  ]";
}

// A plan and a prediction share their frame: the device, the changes,
// the findings and the totals.
template <typename T, typename F>
void WriteFrame(std::ostream& out, const std::string& file, const std::string& source,
                const Known<std::string>& name, const Known<std::string>& hardware_uuid,
                const Known<std::string>& os_version, const std::vector<T>& changes, F change_json,
                const std::vector<Finding>& findings, const PlanSummary& s) {
  Json device = {{"source", OrNull(source)}, {"name", OrNull(name)}};
  if (hardware_uuid) device["hardware_uuid"] = *hardware_uuid;
  device["os_version"] = OrNull(os_version);
  Json summary = CountsJson(s);
  out << "{\n  \"accord_plan\": " << kPlanFormat << ",\n  \"version\": ";
  WriteAt(out, Json(AccordVersion()), 1);
  out << ",\n  \"desired_file\": ";
  WriteAt(out, Json(file), 1);
  out << ",\n  \"device\": ";
  WriteAt(out, device, 1);
  out << ",\n  \"changes\": ";
  WriteArray(out, changes, change_json);
  out << ",\n  \"findings\": ";
  WriteArray(out, findings, FindingJson);
  out << ",\n  \"summary\": ";
  WriteAt(out, summary, 1);
}

}  // namespace

void WritePlanJson(const Plan& plan, std::ostream& out) {
  WriteFrame(out, plan.desired_file, plan.device_source, plan.device_name, plan.hardware_uuid,
             plan.os_version, plan.changes, ChangeJson, plan.findings, Summarize(plan));
  out << "\n}\n";
}

// A prediction is a plan document whose changes carry their event, with
// the verdict under "enrollment" (schemas/plan.schema.json).
void WritePredictionJson(const Prediction& p, std::ostream& out) {
  auto step_json = [](const EventStep& e) {
    Json change = ChangeJson(e.change);
    change["event"] = ToString(e.kind);
    return change;
  };
  WriteFrame(out, p.enrollment_file, p.device_source, p.device_name, std::nullopt, p.os_version,
             p.steps, step_json, p.findings, Summarize(p));
  Json reasons = Json::array();
  for (const ReadinessReason& r : p.readiness.reasons) {
    reasons.push_back({{"kind", r.kind},
                       {"event", OrNull(r.event)},
                       {"message", r.message},
                       {"fix", OrNull(r.fix)}});
  }
  Json enrollment = {{"file", p.enrollment_file},
                     {"verdict", ToString(p.readiness.verdict)},
                     {"reasons", reasons}};
  out << ",\n  \"enrollment\": ";
  WriteAt(out, enrollment, 1);
  out << "\n}\n";
}

std::string RenderPlanJson(const Plan& plan) {
  std::ostringstream out;
  WritePlanJson(plan, out);
  return out.str();
}

}  // namespace accord
