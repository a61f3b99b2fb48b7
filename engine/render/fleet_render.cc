// SPDX-License-Identifier: Apache-2.0
// Fleet plan renderers: the table and JUnit XML (Markdown: fleet_markdown.cc),
// and the report made of a fleet plan.
#include "render/fleet_render.h"

#include <algorithm>
#include <cstdio>

#include "apply/plan_file.h"
#include "core/names.h"
#include "core/terminal_text.h"
#include "model/rules.h"
#include "render/desired_yaml.h"
#include "render/fleet_words.h"
#include "render/text_render.h"

namespace accord {

std::string Layers(const MacReport& m) { return m.layers.empty() ? "-" : Join(m.layers, ","); }

std::string StopLabel(const StoppedStep& c) {
  return std::string(ToString(c.outcome)) + (c.rule ? " [" + *c.rule + "]" : "") +
         (c.accepted ? ", accepted" : "");
}

std::string FirstError(const MacReport& m) {
  if (m.errors.empty()) return "error";
  return FormatDiagnostic(m.errors.front());
}

namespace {

std::string Pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

}  // namespace

std::string Totals(const FleetSummary& s) {
  const std::vector<std::string> gone = IrreversibleWords(s.steps);
  return std::to_string(s.macs) + " Macs: " + std::to_string(s.changing) + " to change, " +
         std::to_string(s.refused_or_blocked) + " with refused or blocked steps, " +
         std::to_string(s.errors) + " not planned (errors)." +
         (s.accepted
              ? " " + CountOf(s.accepted, "refused or blocked step", "refused or blocked steps") +
                    " accepted by the baseline."
              : "") +
         (gone.empty() ? "" : " Irreversible: " + JoinWords(gone) + ".");
}

std::string MarkdownText(const std::string& s) {
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

namespace {

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

std::string MacTitle(const MacReport& m) {
  return m.name ? *m.name + " (" + m.hardware_uuid + ")" : m.hardware_uuid;
}

}  // namespace

// A stopped step's line: "title: refused [rule]. why Fix: fix".
std::string Stopped(const StoppedStep& c, std::string (*escape)(const std::string&)) {
  return escape(c.title) + ": " + escape(StopLabel(c)) + ". " + escape(c.why) +
         (c.fix.empty() ? "" : " Fix: " + escape(c.fix)) +
         (c.accepted ? " Accepted: " + escape(*c.accepted) : "");
}

namespace {

std::string Plain(const std::string& s) { return s; }

// A step as the fleet's reports aggregate it: what it does, in words that
// are the same on every Mac where it does the same.
std::string RunTitle(const Change& c) {
  std::string title = StepTitle(c);
  if (c.action == Action::kSetAttribute) {
    std::vector<std::string> names;
    for (const Attribute& a : c.attributes) names.push_back(ToString(a.name));
    title += " (" + Join(names, ", ") + ")";
  }
  if (c.action == Action::kDeleteUser && c.erase_home) title += " and erase its home";
  if (c.outcome == Outcome::kDeferred) title += " (deferred)";
  return title;
}

}  // namespace

MacReport ReportRowOf(const MacPlan& m) {
  MacReport out;
  out.index = m.mac->index;
  out.hardware_uuid = m.mac->identity.hardware_uuid;
  out.name = m.mac->identity.name;
  out.source = m.mac->source;
  out.layers = m.layers;
  out.unknown = SharedTexts(m.unknown);
  out.errors = m.errors;
  out.config_error = m.config_error;
  out.last_apply = m.last_apply;
  if (m.last_apply && !m.last_apply->desired_fingerprint.empty() && m.desired) {
    // As the Mac's apply fingerprints the file it is given (cli/pipeline):
    // its meaning, without the layers' origins, which are comments there.
    DesiredState unsourced = *m.desired;
    unsourced.source = unsourced.source.AsOwn();
    const DesiredState bound = BoundTo(std::move(unsourced), m.mac->identity);
    out.same_desired =
        DesiredFingerprint(RenderDesiredYaml(bound, {})) == m.last_apply->desired_fingerprint;
  }
  if (!m.plan) return out;
  PlanSummary s = Summarize(*m.plan);
  out.counts = s;
  out.changes = s.HasChanges();
  for (const Change& c : m.plan->changes) {
    if (c.outcome == Outcome::kRun || c.outcome == Outcome::kDeferred) {
      PlanSummary one;
      Count(c, one);
      const bool irreversible = one.destroy + one.homes_erased + one.filevault_off +
                                    one.keys_replaced + one.tokens_revoked >
                                0;
      out.runs.push_back({RunTitle(c), SignOf(c.action), irreversible});
    }
    if (c.outcome != Outcome::kRefused && c.outcome != Outcome::kBlocked) continue;
    out.stopped.push_back({c.Id(), StepTitle(c), c.outcome,
                           c.rule ? std::optional<std::string>(RuleId(*c.rule)) : std::nullopt,
                           c.Why(), c.remedy});
  }
  return out;
}

FleetReport ReportOf(FleetPlan& plan, const std::string& fleet_file) {
  FleetReport r;
  r.fleet_file = fleet_file;
  r.compose_errors = plan.compose_errors;
  r.ignored_results = plan.ignored_results;
  r.macs.reserve(plan.macs.size());
  for (MacPlan& m : plan.macs) {
    r.macs.push_back(m.report ? std::move(*m.report) : ReportRowOf(m));
    m.report.reset();
  }
  return r;
}

namespace {

// One Mac's row of the table.
std::vector<std::string> TableRow(const MacReport& m) {
  std::string mac = EscapeForTerminal(MacLabel(m));
  if (!m.counts) {
    return {
        mac, Layers(m), "-", "-", "-", "-", "-", "-", EscapeForTerminal("error: " + FirstError(m))};
  }
  const PlanSummary& s = *m.counts;
  // The first refusal not accepted, else the first accepted one.
  auto first = std::find_if(m.stopped.begin(), m.stopped.end(),
                            [](const StoppedStep& c) { return !c.accepted; });
  if (first == m.stopped.end()) first = m.stopped.begin();
  return {mac,
          Layers(m),
          std::to_string(s.create),
          std::to_string(s.change),
          std::to_string(s.destroy),
          std::to_string(s.refused),
          std::to_string(s.blocked),
          std::to_string(s.deferred),
          m.stopped.empty() ? "-" : EscapeForTerminal(StopLabel(*first) + " " + first->title)};
}

}  // namespace

std::string RenderFleetTable(const FleetReport& report) {
  // Two passes over the Macs (widths, then lines), so that a fleet's
  // table is never held as cells besides the text.
  const std::vector<std::string> header = {"MAC",     "LAYERS",   "CREATE",
                                           "CHANGE",  "DELETE",   "REFUSED",
                                           "BLOCKED", "DEFERRED", "FIRST REFUSAL"};
  std::vector<std::size_t> width(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& r) {
    for (std::size_t i = 0; i + 1 < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  };
  measure(header);
  for (const MacReport& m : report.macs) measure(TableRow(m));
  std::string out = "Accord fleet plan: " + EscapeForTerminal(report.fleet_file) + "\n\n";
  auto line = [&](const std::vector<std::string>& r) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      out += i + 1 < r.size() ? Pad(r[i], width[i]) + "  " : r[i];
    }
    out += "\n";
  };
  line(header);
  for (const MacReport& m : report.macs) line(TableRow(m));
  out += "\n" + Totals(Summarize(report)) + "\n";
  if (!report.ignored_results.empty())
    out += EscapeForTerminal(IgnoredLine(report.ignored_results)) + "\n";
  return out;
}

std::string RenderFleetJunit(const FleetReport& report) {
  FleetSummary s = Summarize(report);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"accord\" tests=\"" + std::to_string(s.macs) + "\" failures=\"" +
         std::to_string(s.refused_or_blocked) + "\" errors=\"" + std::to_string(s.errors) + "\">\n";
  out += "  <testsuite name=\"accord plan " + Xml(report.fleet_file) + "\" tests=\"" +
         std::to_string(s.macs) + "\" failures=\"" + std::to_string(s.refused_or_blocked) +
         "\" errors=\"" + std::to_string(s.errors) + "\">\n";
  // What cannot be got back, counted apart across the fleet.
  const std::pair<const char*, int> gone[] = {{"accounts_deleted", s.steps.destroy},
                                              {"homes_erased", s.steps.homes_erased},
                                              {"filevault_off", s.steps.filevault_off},
                                              {"recovery_keys_replaced", s.steps.keys_replaced},
                                              {"tokens_revoked", s.steps.tokens_revoked}};
  std::string properties;
  for (const auto& [name, n] : gone) {
    if (n)
      properties += "      <property name=\"" + std::string(name) + "\" value=\"" +
                    std::to_string(n) + "\"/>\n";
  }
  if (!properties.empty()) out += "    <properties>\n" + properties + "    </properties>\n";
  for (const MacReport& m : report.macs) {
    out += "    <testcase classname=\"accord.fleet\" name=\"" + Xml(MacTitle(m)) + "\"";
    if (!m.counts) {
      out += ">\n      <error message=\"" + Xml(FirstError(m)) + "\">";
      for (const Diagnostic& d : m.errors) out += Xml(FormatDiagnostic(d)) + "\n";
      out += "</error>\n    </testcase>\n";
      continue;
    }
    auto open = std::find_if(m.stopped.begin(), m.stopped.end(),
                             [](const StoppedStep& c) { return !c.accepted; });
    if (open == m.stopped.end()) {
      out += "/>\n";
      continue;
    }
    const StoppedStep& stop = *open;
    out += ">\n      <failure message=\"" + Xml(StopLabel(stop) + ": " + stop.title) +
           "\" type=\"" + Xml(stop.rule ? *stop.rule : ToString(stop.outcome)) + "\">";
    for (const StoppedStep& c : m.stopped) out += Xml(Stopped(c, Plain)) + "\n";
    out += "</failure>\n    </testcase>\n";
  }
  return out + "  </testsuite>\n</testsuites>\n";
}

}  // namespace accord
