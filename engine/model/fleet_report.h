// SPDX-License-Identifier: Apache-2.0
// FleetReport: what a fleet plan says of each Mac, as its reports show it
// (table, Markdown, JUnit, JSON): status, counts, the steps that stopped
// with why and fix, errors. It is made from a fleet plan, or read back
// from the JSON (schemas/fleet-plan.schema.json), so that the shards of a
// fleet planned on several CI runners merge into the report one run would
// have made (`accord report --merge`).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "model/fleet.h"
#include "model/plan.h"

namespace accord {

// Texts that many Macs' reports say alike (the same "cannot tell" list for
// every Mac of one source): held once where shared, compared by content.
class SharedTexts {
 public:
  SharedTexts() = default;
  explicit SharedTexts(std::vector<std::string> texts)
      : texts_(texts.empty() ? nullptr
                             : std::make_shared<const std::vector<std::string>>(std::move(texts))) {
  }
  const std::vector<std::string>& get() const;
  // Holds `other`'s copy instead of its own where the texts are the same.
  void ShareWith(const SharedTexts& other) {
    if (texts_ != other.texts_ && *this == other) texts_ = other.texts_;
  }
  bool operator==(const SharedTexts& other) const { return get() == other.get(); }

 private:
  std::shared_ptr<const std::vector<std::string>> texts_;
};

// A refused or blocked step, as reports name it.
struct StoppedStep {
  std::string id;     // "grant_token:alice"
  std::string title;  // "grant a SecureToken to alice"
  Outcome outcome = Outcome::kRefused;
  std::optional<std::string> rule;  // its id, "last-token-admin"
  std::string why;
  std::string fix;
  // Accepted as a known gap by a reviewed baseline (model/baseline.h): the
  // entry's reason and place. Shown, never counted against the check.
  std::optional<std::string> accepted = std::nullopt;
  bool operator==(const StoppedStep&) const = default;
};

// A step that runs (or is deferred), as the reports aggregate it across
// Macs: the same title on many Macs is one line ("delete user guest: 312
// Macs").
struct RunStep {
  std::string title;  // "delete user guest", "update user itadmin (shell)"
  char sign = '~';    // '+', '~', '-'
  // It cannot be got back (the harm table: a deletion, a home erased,
  // FileVault off, a recovery key replaced, a SecureToken revoked).
  bool irreversible = false;
  bool operator==(const RunStep&) const = default;
};

struct MacReport {
  std::size_t index = 0;  // its place in the inventory: reports keep that order
  std::string hardware_uuid;
  std::optional<std::string> name;
  std::string source;                 // where its data came from
  std::vector<std::string> layers;    // the layers applied, in order
  std::optional<PlanSummary> counts;  // none: not planned (see errors)
  bool changes = false;               // apply would change it
  std::vector<RunStep> runs;          // in plan order
  std::vector<StoppedStep> stopped;
  SharedTexts unknown;  // what its data could not show
  Diagnostics errors;
  // The errors are the fleet file's or a layer's, not the Mac's own data.
  bool config_error = false;
  // The last apply on the Mac, as its data says (none where it has none),
  // and whether it applied the file this plan would ship (the same meaning
  // fingerprint; none where that cannot be told). Changes planned for a Mac
  // that applied this very file are drift since that apply.
  std::optional<LastApply> last_apply = std::nullopt;
  std::optional<bool> same_desired = std::nullopt;
  bool operator==(const MacReport&) const = default;
};

// Which of a run's shards a report is (plan --fleet --shard K/N).
struct ShardOf {
  unsigned index = 1;  // K, from 1
  unsigned count = 1;  // N
  bool operator==(const ShardOf&) const = default;
};

struct FleetReport {
  std::string fleet_file;
  std::optional<ShardOf> shard;              // none: the whole fleet
  std::vector<MacReport> macs;               // inventory order
  Diagnostics compose_errors;                // each once
  std::vector<std::string> ignored_results;  // sorted
  bool operator==(const FleetReport&) const = default;
};

struct FleetSummary {
  int macs = 0;
  int drifted = 0;             // planned changes, having applied this same file
  int errors = 0;              // Macs not planned: the two kinds below
  int config_errors = 0;       // for a broken fleet file or layer
  int data_errors = 0;         // for their own data
  int refused_or_blocked = 0;  // Macs with at least one, not accepted
  int accepted = 0;            // stopped steps a baseline accepts
  int changing = 0;            // Macs that apply would change
  PlanSummary steps;           // summed over every plan
};

FleetSummary Summarize(const FleetReport& report);

// What fails a fleet's check (--fail-on), beside a configuration error,
// which always does: Macs whose own data could not be planned, and steps
// refused or blocked (any, or only those of the chosen rules) that no
// baseline accepts.
struct FleetGate {
  bool data_errors = true;
  bool refused = true;             // any rule
  std::vector<std::string> rules;  // only these (where !refused)
  bool operator==(const FleetGate&) const = default;
};

// "errors,refused" (the default), "none", or any of errors, refused and
// rule ids ("errors,unknown-state"); an unknown word is an error.
Result<FleetGate> ParseFailOn(const std::string& list);

// The fleet verbs' exit status: 1 for a configuration error (a Mac not
// planned for a broken layer, or `config_error`: the fleet file, a layer);
// else 4 if the gate fails on data errors and a Mac's data (or
// `data_error`: an inventory file) could not be planned; else 3 if the gate
// fails on a refused or blocked step; else 2 with `detailed` if anything
// would change; else 0.
int FleetExitCode(const FleetReport& report, const FleetGate& gate, bool config_error,
                  bool data_error, bool detailed);

// The fleet-wide deletion budget: an error where the plans would delete
// more accounts than `max` (every run's deletion counted, whatever layer
// asked for it), naming how many and on how many Macs.
Status DeletionBudget(const FleetReport& report, int max);

// "name" or the hardware UUID: how reports name a Mac.
std::string MacLabel(const MacReport& mac);

// The shards of one fleet's plan joined: every Mac in inventory order. Two
// shards holding the same Mac, or shards of different fleet files, are
// errors (the shards were not made from one run's split). Shards that say
// which they are (K of N) must be all N, each once: a merge missing one
// would look like the whole fleet. Reports that do not say (older ones)
// merge as given, but never beside ones that do.
Result<FleetReport> MergeFleetReports(std::vector<FleetReport> shards);

}  // namespace accord
