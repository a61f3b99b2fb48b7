// JSON rendering of plans (nlohmann/json, insertion-ordered).
#include "render/json_render.h"

#include <nlohmann/json.hpp>

namespace accord {
namespace {

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

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }
Json OrNull(const Known<std::string>& s) { return s ? Json(*s) : Json(nullptr); }

}  // namespace

std::string RenderPlanJson(const Plan& plan) {
  Json changes = Json::array();
  for (const Change& c : plan.changes) {
    Json attributes = Json::array();
    for (const Attribute& a : c.attributes) {
      Json attr = {{"name", a.name}};
      if (a.before) attr["before"] = ValueJson(*a.before);
      attr["after"] = ValueJson(a.after);
      if (!a.note.empty()) attr["note"] = a.note;
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
                   {"reason", c.reason},
                   {"rule", c.rule ? Json(RuleId(*c.rule)) : Json(nullptr)},
                   {"remedy", OrNull(c.remedy)},
                   {"attributes", attributes},
                   {"depends_on", depends_on}};
    if (!c.notes.empty()) change["notes"] = c.notes;
    changes.push_back(std::move(change));
  }
  Json findings = Json::array();
  for (const Finding& f : plan.findings) {
    findings.push_back({{"level", f.level == FindingLevel::kWarning ? "warning" : "note"},
                        {"kind", f.kind},
                        {"user", OrNull(f.user)},
                        {"message", f.message}});
  }
  PlanSummary s = Summarize(plan);
  Json doc = {{"accord_plan", kPlanFormat},
              {"desired_file", plan.desired_file},
              {"device",
               {{"source", OrNull(plan.device_source)},
                {"name", OrNull(plan.device_name)},
                {"os_version", OrNull(plan.os_version)}}},
              {"changes", changes},
              {"findings", findings},
              {"summary",
               {{"create", s.create},
                {"change", s.change},
                {"delete", s.destroy},
                {"refused", s.refused},
                {"blocked", s.blocked},
                {"deferred", s.deferred},
                {"skipped", s.skipped}}}};
  // Names observed on a Mac may not be valid UTF-8: replaced, never thrown on.
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace accord
