// SPDX-License-Identifier: Apache-2.0
// Fleet report summaries and the merging of shards.
#include "model/fleet_report.h"

#include <algorithm>
#include <map>

#include "core/names.h"
#include "model/rules.h"

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
      ++(m.config_error ? s.config_errors : s.data_errors);
      continue;
    }
    const PlanSummary& p = *m.counts;
    const auto open = [](const StoppedStep& c) { return !c.accepted; };
    if (std::any_of(m.stopped.begin(), m.stopped.end(), open)) ++s.refused_or_blocked;
    s.accepted += static_cast<int>(std::count_if(m.stopped.begin(), m.stopped.end(),
                                                 [&](const StoppedStep& c) { return !open(c); }));
    if (m.changes) ++s.changing;
    if (m.changes && m.same_desired.value_or(false)) ++s.drifted;
    AddCounts(s.steps, p);
  }
  return s;
}

Result<FleetGate> ParseFailOn(const std::string& list) {
  FleetGate gate{false, false, {}};
  if (list == "none") return gate;
  std::vector<std::string> words;
  for (std::size_t from = 0; from <= list.size();) {
    std::size_t comma = std::min(list.find(',', from), list.size());
    words.push_back(list.substr(from, comma - from));
    from = comma + 1;
  }
  for (const std::string& word : words) {
    if (word == "errors") {
      gate.data_errors = true;
    } else if (word == "refused") {
      gate.refused = true;
    } else if (std::any_of(std::begin(kAllRules), std::end(kAllRules),
                           [&](Rule r) { return word == RuleId(r); })) {
      gate.rules.push_back(word);
    } else {
      return Because("--fail-on " + Printable(list) + ": " + Printable(word) +
                     " is none of errors, refused, a rule id (unknown-state, last-admin, ...), "
                     "or none");
    }
  }
  return gate;
}

int FleetExitCode(const FleetReport& report, const FleetGate& gate, bool config_error,
                  bool data_error, bool detailed) {
  const FleetSummary s = Summarize(report);
  if (s.config_errors > 0 || config_error) return 1;
  if (gate.data_errors && (s.data_errors > 0 || data_error)) return 4;
  for (const MacReport& m : report.macs) {
    for (const StoppedStep& c : m.stopped) {
      const bool chosen = gate.refused || (c.rule && std::find(gate.rules.begin(), gate.rules.end(),
                                                               *c.rule) != gate.rules.end());
      if (chosen && !c.accepted) return 3;
    }
  }
  if (detailed && s.changing > 0) return 2;
  return 0;
}

Status DeletionBudget(const FleetReport& report, int max) {
  int deletions = 0;
  int macs = 0;
  for (const MacReport& m : report.macs) {
    if (!m.counts || m.counts->destroy == 0) continue;
    deletions += m.counts->destroy;
    ++macs;
  }
  if (deletions <= max) return OkStatus();
  return Because("the fleet's plan deletes " + CountOf(deletions, "account", "accounts") + " on " +
                 CountOf(macs, "Mac", "Macs") + ", more than --max-deletions " +
                 std::to_string(max) +
                 " allows: stopped; review the deletions, then raise the budget if they are meant");
}

std::string MacLabel(const MacReport& mac) { return mac.name ? *mac.name : mac.hardware_uuid; }

namespace {

// Shards that say which they are: one run's N, each once, none missing.
Status AllShards(const std::vector<FleetReport>& shards) {
  const auto said = [](const FleetReport& r) { return r.shard.has_value(); };
  const std::size_t saying = std::count_if(shards.begin(), shards.end(), said);
  if (saying == 0) return OkStatus();
  if (saying != shards.size()) {
    std::size_t quiet = std::find_if_not(shards.begin(), shards.end(), said) - shards.begin();
    return Because("report " + std::to_string(quiet + 1) +
                   " does not say which shard it is, and others do: they are not the shards of "
                   "one run");
  }
  const unsigned count = shards.front().shard->count;
  std::vector<std::size_t> from(count + 1, 0);  // shard K -> its report, from 1
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const ShardOf& s = *shards[i].shard;
    if (s.count != count) {
      return Because("report " + std::to_string(i + 1) + " is shard " + std::to_string(s.index) +
                     "/" + std::to_string(s.count) + ", report 1 is one of " +
                     std::to_string(count) + ": they are not the shards of one run");
    }
    if (s.index < 1 || s.index > count) {
      return Because("report " + std::to_string(i + 1) + " names shard " + std::to_string(s.index) +
                     " of " + std::to_string(count));
    }
    if (from[s.index] != 0) {
      return Because("shard " + std::to_string(s.index) + "/" + std::to_string(count) +
                     " is both report " + std::to_string(from[s.index]) + " and report " +
                     std::to_string(i + 1));
    }
    from[s.index] = i + 1;
  }
  std::vector<std::string> missing;
  for (unsigned k = 1; k <= count; ++k) {
    if (from[k] == 0) missing.push_back(std::to_string(k));
  }
  if (missing.empty()) return OkStatus();
  const bool one = missing.size() == 1;
  return Because(CountOf(static_cast<int>(missing.size()), "shard", "shards") + " of " +
                 std::to_string(count) + (one ? " is" : " are") + " missing (" +
                 Join(missing, ", ") + "): merged without " + (one ? "it" : "them") +
                 ", the report would look like the whole fleet; merge every shard of the run");
}

}  // namespace

Result<FleetReport> MergeFleetReports(std::vector<FleetReport> shards) {
  if (shards.empty()) return Because("no reports to merge");
  if (Status whole = AllShards(shards); !whole.ok()) return whole.errors();
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
