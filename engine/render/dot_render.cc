// SPDX-License-Identifier: Apache-2.0
// DOT rendering of step graphs.
#include "render/dot_render.h"

#include "core/terminal_text.h"
#include "render/text_render.h"

namespace accord {
namespace {

// A DOT string; names inside are escaped as on a terminal, so that a label
// cannot be made to read differently from what it says.
std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : EscapeForTerminal(text)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Two lines of a node label (DOT's own line break).
std::string Label(const std::string& first, const std::string& second) {
  std::string a = Quoted(first);
  std::string b = Quoted(second);
  return a.substr(0, a.size() - 1) + "\\n" + b.substr(1);
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
    std::string outcome = ToString(c.outcome);
    if (c.rule) outcome += std::string(" [") + RuleId(*c.rule) + "]";
    out += "  " + Quoted(c.Id()) +
           " [label=" + Label(std::to_string(i + 1) + ". " + StepTitle(c), outcome) +
           ", fillcolor=\"" + FillOf(c.outcome) + "\"];\n";
  }
  for (const Change& c : plan.changes) {
    for (const Dependency& d : c.depends_on) {
      out += "  " + Quoted(d.id) + " -> " + Quoted(c.Id()) + " [label=" + Quoted(d.reason) + "];\n";
    }
  }
  return out + "}\n";
}

}  // namespace accord
