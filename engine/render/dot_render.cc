// DOT rendering of step graphs.
#include "render/dot_render.h"

#include "render/text_render.h"

namespace accord {
namespace {

std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

const char* FillOf(Outcome outcome) {
  switch (outcome) {
    case Outcome::kRun: return "#c8e6c9";       // green
    case Outcome::kDeferred: return "#bbdefb";  // blue
    case Outcome::kBlocked: return "#ffe0b2";   // orange
    case Outcome::kRefused: return "#ffcdd2";   // red
    case Outcome::kSkipped: return "#eeeeee";   // grey
  }
  return "#ffffff";
}

}  // namespace

std::string RenderPlanDot(const Plan& plan) {
  std::string out = "digraph accord_plan {\n  rankdir=LR;\n";
  out += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (std::size_t i = 0; i < plan.changes.size(); ++i) {
    const Change& c = plan.changes[i];
    std::string label = std::to_string(i + 1) + ". " + StepTitle(c) + "\n" + ToString(c.outcome);
    if (c.rule) label += std::string(" [") + RuleId(*c.rule) + "]";
    out += "  " + Quoted(c.Id()) + " [label=" + Quoted(label) + ", fillcolor=\"" +
           FillOf(c.outcome) + "\"];\n";
  }
  for (const Change& c : plan.changes) {
    for (const Dependency& d : c.depends_on) {
      out += "  " + Quoted(d.id) + " -> " + Quoted(c.Id()) + " [label=" + Quoted(d.reason) + "];\n";
    }
  }
  return out + "}\n";
}

}  // namespace accord
