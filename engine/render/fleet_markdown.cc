// SPDX-License-Identifier: Apache-2.0
// The fleet plan as a pull-request comment, for fleets of any size: one
// line of counts; the steps that cannot be undone first, flagged; every
// identical change aggregated across Macs ("delete user guest: 312
// Macs", the list folded); refusals aggregated the same way; the Macs
// with errors in their own section; and each Mac's counts folded last.
//
// GitHub keeps a comment of at most 65,536 characters. The rule that keeps
// it there, in order until the comment fits kCommentLimit: (1) everything;
// (2) without the per-Mac table; (3) Mac lists cut to 50 names each;
// (4) to 10 names, and sections to 100 rows; (5) no names, 20 rows; then
// (6) cut at the last whole line, saying so. The counts line and the
// irreversible steps come first, so they are the last to go.
#include <algorithm>
#include <limits>
#include <map>

#include "core/names.h"
#include "render/fleet_render.h"
#include "render/fleet_words.h"

namespace accord {
namespace {

constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();

// How much of the comment to show (the rule above).
struct Shape {
  bool per_mac = true;
  std::size_t names = kAll;  // Mac names listed per line
  std::size_t rows = kAll;   // lines per section
};

// One change, or one refusal, and the Macs where it happens.
struct Group {
  std::string title;
  char sign = '~';
  bool irreversible = false;
  const StoppedStep* stop = nullptr;  // a refusal's first instance: its label, why and fix
  std::vector<const MacReport*> macs;
};

struct Groups {
  std::vector<Group> irreversible, changes, stopped;
};

// Most Macs first, then by title: the order a reviewer reads in.
void Order(std::vector<Group>& groups) {
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    return a.macs.size() != b.macs.size() ? a.macs.size() > b.macs.size() : a.title < b.title;
  });
}

Groups GroupSteps(const FleetReport& report) {
  std::map<std::string, Group> runs;
  std::map<std::string, Group> stops;
  for (const MacReport& m : report.macs) {
    for (const RunStep& r : m.runs) {
      Group& g = runs[r.title];
      if (g.macs.empty()) g = Group{r.title, r.sign, r.irreversible, nullptr, {}};
      if (g.macs.empty() || g.macs.back() != &m) g.macs.push_back(&m);
    }
    for (const StoppedStep& c : m.stopped) {
      Group& g = stops[c.title + "\n" + StopLabel(c) + "\n" + c.accepted.value_or("")];
      if (g.macs.empty()) g = Group{c.title, '!', false, &c, {}};
      if (g.macs.empty() || g.macs.back() != &m) g.macs.push_back(&m);
    }
  }
  Groups out;
  for (auto& [title, g] : runs) (g.irreversible ? out.irreversible : out.changes).push_back(g);
  for (auto& [key, g] : stops) out.stopped.push_back(g);
  Order(out.irreversible);
  Order(out.changes);
  Order(out.stopped);
  return out;
}

std::string MacsCell(const Group& g, const Shape& shape) {
  const std::string count = CountOf(static_cast<int>(g.macs.size()), "Mac", "Macs");
  if (shape.names == 0) return count;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < g.macs.size() && i < shape.names; ++i) {
    names.push_back(MarkdownText(MacLabel(*g.macs[i])));
  }
  if (g.macs.size() > names.size()) {
    names.push_back("and " + std::to_string(g.macs.size() - names.size()) + " more");
  }
  return "<details><summary>" + count + "</summary>" + Join(names, ", ") + "</details>";
}

// Rows of a section, at most shape.rows, then a line saying what is left out.
template <typename Row>
std::string Rows(const std::vector<Group>& groups, const Shape& shape, Row row) {
  std::string out;
  std::size_t shown = std::min(groups.size(), shape.rows);
  for (std::size_t i = 0; i < shown; ++i) out += row(groups[i]);
  if (shown < groups.size()) {
    out += "\n(" + std::to_string(groups.size() - shown) +
           " more; every Mac's steps are in the JSON plan and the per-Mac plans.)\n";
  }
  return out;
}

// "2026-12-05T03:10:00Z complete (3)", "-" where the Mac's data has none.
std::string LastApplied(const MacReport& m) {
  if (!m.last_apply) return "-";
  const LastApply& a = *m.last_apply;
  return MarkdownText(a.time + " " + a.result +
                      (a.exit_status ? " (" + std::to_string(*a.exit_status) + ")" : ""));
}

std::string Render(const FleetReport& report, const FleetSummary& s, const Groups& g,
                   const Shape& shape) {
  std::string out =
      "## Accord fleet plan\n\n`" + MarkdownText(report.fleet_file) + "`: " + Totals(s) + "\n\n";
  if (!report.ignored_results.empty())
    out += MarkdownText(IgnoredLine(report.ignored_results)) + "\n\n";
  if (!g.irreversible.empty()) {
    out += "### ⚠️ Cannot be undone\n\n| | Step | Macs |\n|---|---|---|\n";
    out += Rows(g.irreversible, shape, [&](const Group& x) {
      return "| ⚠️ | **" + MarkdownText(x.title) + "** | " + MacsCell(x, shape) + " |\n";
    });
    out += "\n";
  }
  if (!g.changes.empty()) {
    out += "### Changes\n\n| | Step | Macs |\n|---|---|---|\n";
    out += Rows(g.changes, shape, [&](const Group& x) {
      return "| " + std::string(1, x.sign) + " | " + MarkdownText(x.title) + " | " +
             MacsCell(x, shape) + " |\n";
    });
    out += "\n";
  }
  if (!g.stopped.empty()) {
    out +=
        "### Refused or blocked\n\n| Step | Outcome | Macs | Why (on the first) | Fix |\n"
        "|---|---|---|---|---|\n";
    out += Rows(g.stopped, shape, [&](const Group& x) {
      return "| " + MarkdownText(x.title) + " | " + MarkdownText(StopLabel(*x.stop)) + " | " +
             MacsCell(x, shape) + " | " + MarkdownText(x.stop->why) + " | " +
             MarkdownText(x.stop->fix) +
             (x.stop->accepted ? " Accepted: " + MarkdownText(*x.stop->accepted) : "") + " |\n";
    });
    out += "\n";
  }
  if (s.drifted > 0) {
    out +=
        "### Drifted since their last apply\n\nThese Macs applied this very file, and "
        "would change again:\n\n";
    std::size_t listed = 0;
    for (const MacReport& m : report.macs) {
      if (!m.changes || !m.same_desired.value_or(false)) continue;
      if (listed++ == shape.rows) {
        out += "- and " + std::to_string(s.drifted - shape.rows) + " more (see the JSON plan)\n";
        break;
      }
      out += "- **" + MarkdownText(MacLabel(m)) + "**: last applied " +
             MarkdownText(m.last_apply->time) + " (" + MarkdownText(m.last_apply->result) + ")\n";
    }
    out += "\n";
  }
  if (s.errors > 0) {
    out += "### Not planned: " + CountOf(s.errors, "Mac", "Macs") + " with errors\n\n";
    std::size_t listed = 0;
    for (const MacReport& m : report.macs) {
      if (m.counts) continue;
      if (listed++ == shape.rows) {
        out += "- and " + std::to_string(s.errors - shape.rows) + " more (see the JSON plan)\n";
        break;
      }
      out += "- **" + MarkdownText(MacLabel(m)) + "**: " + MarkdownText(FirstError(m)) + "\n";
    }
    out += "\n";
  }
  if (!shape.per_mac) {
    return out +
           "Each Mac's counts are in the job summary's table and the JSON plan (left out "
           "here to keep the comment under GitHub's limit).\n";
  }
  out += "<details><summary>Every Mac (" + std::to_string(s.macs) +
         ")</summary>\n\n| Mac | Layers | Create | Change | Delete | Refused | Blocked | Deferred "
         "| Last apply |\n|---|---|---:|---:|---:|---:|---:|---:|---|\n";
  for (const MacReport& m : report.macs) {
    std::string mac = MarkdownText(MacLabel(m));
    if (!m.counts) {
      out += "| " + mac + " | " + MarkdownText(Layers(m)) + " | error | | | | | | " +
             LastApplied(m) + " |\n";
      continue;
    }
    const PlanSummary& p = *m.counts;
    out += "| " + mac + " | " + MarkdownText(Layers(m)) + " | " + std::to_string(p.create) + " | " +
           std::to_string(p.change) + " | " + std::to_string(p.destroy) + " | " +
           std::to_string(p.refused) + " | " + std::to_string(p.blocked) + " | " +
           std::to_string(p.deferred) + " | " + LastApplied(m) + " |\n";
  }
  return out + "\n</details>\n";
}

}  // namespace

std::string RenderFleetMarkdown(const FleetReport& report, std::size_t limit) {
  const FleetSummary s = Summarize(report);
  const Groups groups = GroupSteps(report);
  std::string text;
  for (Shape shape : {Shape{}, Shape{false, kAll, kAll}, Shape{false, 50, kAll},
                      Shape{false, 10, 100}, Shape{false, 0, 20}}) {
    text = Render(report, s, groups, shape);
    if (text.size() <= limit) return text;
  }
  const std::string cut =
      "\n(Cut here to stay under GitHub's limit: the whole plan is in the "
      "job summary and the JSON plan.)\n";
  std::size_t end = text.rfind('\n', limit > cut.size() ? limit - cut.size() : 0);
  return text.substr(0, end == std::string::npos ? 0 : end) + cut;
}

}  // namespace accord
