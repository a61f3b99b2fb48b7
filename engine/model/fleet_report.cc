// SPDX-License-Identifier: Apache-2.0
// Fleet report summaries and the merging of shards.
#include "model/fleet_report.h"

#include <algorithm>
#include <map>

namespace accord {

const std::vector<std::string>& SharedTexts::get() const {
  static const std::vector<std::string> kNone;
  return texts_ ? *texts_ : kNone;
}

FleetSummary Summarize(const FleetReport& report) {
  FleetSummary s;
  for (const MacReport& m : report.macs) {
    ++s.macs;
    if (!m.counts) {
      ++s.errors;
      continue;
    }
    const PlanSummary& p = *m.counts;
    if (p.refused + p.blocked > 0) ++s.refused_or_blocked;
    if (m.changes) ++s.changing;
    AddCounts(s.steps, p);
  }
  return s;
}

int FleetExitCode(const FleetSummary& s, bool other_errors, bool detailed) {
  if (s.errors > 0 || other_errors) return 1;
  if (s.refused_or_blocked > 0) return 3;
  if (detailed && s.changing > 0) return 2;
  return 0;
}

std::string MacLabel(const MacReport& mac) { return mac.name ? *mac.name : mac.hardware_uuid; }

Result<FleetReport> MergeFleetReports(std::vector<FleetReport> shards) {
  if (shards.empty()) return Because("no reports to merge");
  FleetReport out;
  out.fleet_file = shards.front().fleet_file;
  std::map<std::string, std::size_t> seen;  // hardware UUID -> shard
  for (std::size_t i = 0; i < shards.size(); ++i) {
    FleetReport& shard = shards[i];
    if (shard.fleet_file != out.fleet_file) {
      return Because("report " + std::to_string(i + 1) + " plans " + shard.fleet_file +
                     ", report 1 plans " + out.fleet_file + ": they are not shards of one fleet");
    }
    for (MacReport& m : shard.macs) {
      auto [it, fresh] = seen.emplace(m.hardware_uuid, i);
      if (!fresh) {
        return Because(MacLabel(m) + " is in report " + std::to_string(it->second + 1) +
                       " and in report " + std::to_string(i + 1) +
                       ": shards of one run never share a Mac");
      }
      out.macs.push_back(std::move(m));
    }
    for (Diagnostic& d : shard.compose_errors) {
      if (std::find(out.compose_errors.begin(), out.compose_errors.end(), d) ==
          out.compose_errors.end()) {
        out.compose_errors.push_back(std::move(d));
      }
    }
    out.ignored_results.insert(out.ignored_results.end(), shard.ignored_results.begin(),
                               shard.ignored_results.end());
  }
  std::stable_sort(out.macs.begin(), out.macs.end(),
                   [](const MacReport& a, const MacReport& b) { return a.index < b.index; });
  std::sort(out.ignored_results.begin(), out.ignored_results.end());
  out.ignored_results.erase(std::unique(out.ignored_results.begin(), out.ignored_results.end()),
                            out.ignored_results.end());
  return out;
}

}  // namespace accord
