// SPDX-License-Identifier: Apache-2.0
// Fleet plan renderers: table, Markdown, JUnit XML.
#include "render/fleet_render.h"

#include <algorithm>
#include <cstdio>

#include "core/names.h"
#include "core/terminal_text.h"
#include "model/rules.h"
#include "render/text_render.h"

namespace accord {
namespace {

std::string Layers(const MacPlan& m) { return m.layers.empty() ? "-" : Join(m.layers, ","); }

const Change* FirstStopped(const Plan& plan) {
  for (const Change& c : plan.changes) {
    if (c.outcome == Outcome::kRefused || c.outcome == Outcome::kBlocked) return &c;
  }
  return nullptr;
}

std::string StopLabel(const Change& c) {
  return std::string(ToString(c.outcome)) +
         (c.rule ? std::string(" [") + RuleId(*c.rule) + "]" : "");
}

std::string FirstError(const MacPlan& m) {
  if (m.errors.empty()) return "error";
  return FormatDiagnostic(m.errors.front());
}

std::string Pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string Totals(const FleetSummary& s) {
  return std::to_string(s.macs) + " Macs: " + std::to_string(s.changing) + " to change, " +
         std::to_string(s.refused_or_blocked) + " with refused or blocked steps, " +
         std::to_string(s.errors) + " not planned (errors).";
}

std::string Markdown(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '<' || c == '>' || c == '[' ||
        c == ']' || c == '\\') {
      out += '\\';
    }
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out;
}

std::string Xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (u < 0x20 && c != '\n' && c != '\t') {
      out += ' ';  // not allowed in XML 1.0, even escaped
    } else {
      out += c;
    }
  }
  return out;
}

std::string MacTitle(const MacPlan& m) {
  const MacIdentity& id = m.mac->identity;
  return id.name ? *id.name + " (" + id.hardware_uuid + ")" : id.hardware_uuid;
}

}  // namespace

std::string RenderFleetTable(const FleetPlan& plan, const std::string& fleet_file) {
  std::vector<std::vector<std::string>> rows = {{"MAC", "LAYERS", "CREATE", "CHANGE", "DELETE",
                                                 "REFUSED", "BLOCKED", "DEFERRED",
                                                 "FIRST REFUSAL"}};
  for (const MacPlan& m : plan.macs) {
    std::string mac = EscapeForTerminal(Label(m.mac->identity));
    if (!m.plan) {
      rows.push_back({mac, Layers(m), "-", "-", "-", "-", "-", "-",
                      EscapeForTerminal("error: " + FirstError(m))});
      continue;
    }
    PlanSummary s = Summarize(*m.plan);
    const Change* stop = FirstStopped(*m.plan);
    rows.push_back({mac, Layers(m), std::to_string(s.create), std::to_string(s.change),
                    std::to_string(s.destroy), std::to_string(s.refused), std::to_string(s.blocked),
                    std::to_string(s.deferred),
                    stop ? StopLabel(*stop) + " " + StepTitle(*stop) : "-"});
  }
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& r : rows) {
    for (std::size_t i = 0; i + 1 < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out = "Accord fleet plan: " + EscapeForTerminal(fleet_file) + "\n\n";
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += i + 1 < r.size() ? Pad(r[i], width[i]) + "  " : r[i];
    }
    out += line + "\n";
  }
  out += "\n" + Totals(Summarize(plan)) + "\n";
  if (!plan.ignored_results.empty())
    out += EscapeForTerminal(IgnoredLine(plan.ignored_results)) + "\n";
  return out;
}

std::string RenderFleetMarkdown(const FleetPlan& plan, const std::string& fleet_file) {
  FleetSummary s = Summarize(plan);
  std::string out = "## Accord fleet plan\n\n`" + Markdown(fleet_file) + "`: " + Totals(s) + "\n\n";
  if (!plan.ignored_results.empty()) out += Markdown(IgnoredLine(plan.ignored_results)) + "\n\n";
  if (s.refused_or_blocked > 0) {
    out += "### Refused or blocked\n\n";
    for (const MacPlan& m : plan.macs) {
      if (!m.plan) continue;
      for (const Change& c : m.plan->changes) {
        if (c.outcome != Outcome::kRefused && c.outcome != Outcome::kBlocked) continue;
        out += "- **" + Markdown(Label(m.mac->identity)) + "**: " + Markdown(StepTitle(c)) + ": " +
               Markdown(StopLabel(c)) + ". " + Markdown(c.Why());
        if (!c.remedy.empty()) out += " Fix: " + Markdown(c.remedy);
        out += "\n";
      }
    }
    out += "\n";
  }
  if (s.errors > 0) {
    out += "### Not planned\n\n";
    for (const MacPlan& m : plan.macs) {
      if (!m.plan)
        out += "- **" + Markdown(Label(m.mac->identity)) + "**: " + Markdown(FirstError(m)) + "\n";
    }
    out += "\n";
  }
  out +=
      "### Every Mac\n\n| Mac | Layers | Create | Change | Delete | Refused | Blocked | Deferred "
      "|\n"
      "|---|---|---:|---:|---:|---:|---:|---:|\n";
  for (const MacPlan& m : plan.macs) {
    std::string mac = Markdown(Label(m.mac->identity));
    if (!m.plan) {
      out += "| " + mac + " | " + Markdown(Layers(m)) + " | error | | | | | |\n";
      continue;
    }
    PlanSummary p = Summarize(*m.plan);
    out += "| " + mac + " | " + Markdown(Layers(m)) + " | " + std::to_string(p.create) + " | " +
           std::to_string(p.change) + " | " + std::to_string(p.destroy) + " | " +
           std::to_string(p.refused) + " | " + std::to_string(p.blocked) + " | " +
           std::to_string(p.deferred) + " |\n";
  }
  return out;
}

std::string RenderFleetJunit(const FleetPlan& plan, const std::string& fleet_file) {
  FleetSummary s = Summarize(plan);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"accord\" tests=\"" + std::to_string(s.macs) + "\" failures=\"" +
         std::to_string(s.refused_or_blocked) + "\" errors=\"" + std::to_string(s.errors) + "\">\n";
  out += "  <testsuite name=\"accord plan " + Xml(fleet_file) + "\" tests=\"" +
         std::to_string(s.macs) + "\" failures=\"" + std::to_string(s.refused_or_blocked) +
         "\" errors=\"" + std::to_string(s.errors) + "\">\n";
  for (const MacPlan& m : plan.macs) {
    out += "    <testcase classname=\"accord.fleet\" name=\"" + Xml(MacTitle(m)) + "\"";
    if (!m.plan) {
      out += ">\n      <error message=\"" + Xml(FirstError(m)) + "\">";
      for (const Diagnostic& d : m.errors) out += Xml(FormatDiagnostic(d)) + "\n";
      out += "</error>\n    </testcase>\n";
      continue;
    }
    const Change* stop = FirstStopped(*m.plan);
    if (!stop) {
      out += "/>\n";
      continue;
    }
    out += ">\n      <failure message=\"" + Xml(StopLabel(*stop) + ": " + StepTitle(*stop)) +
           "\" type=\"" + Xml(stop->rule ? RuleId(*stop->rule) : ToString(stop->outcome)) + "\">";
    for (const Change& c : m.plan->changes) {
      if (c.outcome != Outcome::kRefused && c.outcome != Outcome::kBlocked) continue;
      out += Xml(StepTitle(c) + ": " + StopLabel(c) + ". " + c.Why() +
                 (c.remedy.empty() ? "" : " Fix: " + c.remedy)) +
             "\n";
    }
    out += "</failure>\n    </testcase>\n";
  }
  return out + "  </testsuite>\n</testsuites>\n";
}

}  // namespace accord
