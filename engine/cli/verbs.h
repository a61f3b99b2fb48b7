// SPDX-License-Identifier: Apache-2.0
// The verbs of the command line, each a function of its options and the
// process's streams. cli.cc parses arguments into these options.
#pragma once

#include <spdlog/logger.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cli/cli.h"
#include "cli/device_source.h"
#include "core/diagnostic.h"
#include "fleet/fleet_plan.h"
#include "macos/command_runner.h"
#include "model/fleet_report.h"
#include "plan/planner.h"

namespace accord {

struct ValidateOptions {
  std::vector<std::string> files;
};

// What `plan` was given on the command line (CLI11 fills it); ChoosePlan
// turns it into one typed request.
struct PlanFlags {
  std::string desired;
  std::string device;
  std::string replay;
  std::string out;
  bool json = false;
  bool detailed_exitcode = false;
  bool no_color = false;
  bool explain = false;
  std::string fleet;
  std::string inventory;
  std::string out_dir;
  std::string format = "text";
  bool quiet = false;
  std::string mac;
  std::string enroll;
  std::string shard;  // "K/N"
  std::optional<int> max_deletions;
  std::string fail_on;   // --fail-on LIST
  std::string baseline;  // --baseline FILE
  bool allow_device_mismatch = false;
};

// How any plan is shown.
struct Display {
  bool json = false;
  bool no_color = false;
  bool explain = false;            // also say why each step comes after others
  bool detailed_exitcode = false;  // exit 2 when there are changes
};

// plan -f DESIRED (and graph): one Mac, a snapshot, a bundle or this Mac.
struct OneMacPlan {
  std::string desired;
  DeviceSource device;
  std::string out;  // also save the plan for `accord apply PLAN`
  PlanOptions options = {};
};

enum class FleetFormat { kText, kMarkdown, kJunit, kJson };
// "text", "markdown", "junit" or "json".
Result<FleetFormat> ParseFleetFormat(const std::string& name);

// plan --fleet FLEET --inventory DIR: every Mac, or only `mac`.
struct FleetPlanRequest {
  std::string fleet;
  std::string inventory;
  std::string out_dir;  // each Mac's JSON plan and composed desired file
  FleetFormat format = FleetFormat::kText;
  bool quiet = false;  // no progress bar
  std::string mac;     // only this Mac (hardware UUID or name): its whole plan
  Shard shard = {};    // only the Macs of this shard
  // The fleet-wide deletion budget: a plan that deletes more accounts is
  // stopped (model/fleet_report.h, DeletionBudget).
  std::optional<int> max_deletions;
  FleetGate gate = {};   // what fails the check (--fail-on)
  std::string baseline;  // known gaps accepted (--baseline FILE)
};

// plan --enroll ENROLLMENT: a prediction for one Mac, or with --inventory
// one readiness line for every Mac of it.
struct EnrollRequest {
  std::string enrollment;
  DeviceSource device;
  std::string inventory;
};

struct PlanRequest {
  std::variant<OneMacPlan, FleetPlanRequest, EnrollRequest> mode;
  Display display;
};

// The one place where which flags go together is decided (beyond CLI11's
// own excludes/needs), with the reason when they do not.
Result<PlanRequest> ChoosePlan(const PlanFlags& flags);

struct ComposeOptions {
  std::string fleet;
  std::string inventory;
  std::string mac;  // hardware UUID or name
};

struct ApplyOptions {
  std::string plan_file;  // apply this saved plan, or:
  std::string desired;
  std::string device;
  bool auto_approve = false;
  bool no_color = false;
  bool json = false;  // print the apply record (the apply log's line) instead of text
  PlanOptions options = {};
  // The MDM's word that it holds the Mac's current recovery key: the time
  // its copy was last updated (Fleet: encryption_key.updated_at, given once
  // the host's disk encryption status is "verified"). Confirms an
  // escrow-pending key no newer than that (state/local_state.h).
  std::optional<std::string> escrow_verified;
  // The MDM's word as the key itself: where to read the key the MDM
  // returned ("env:NAME", "file:PATH" or "keychain:SERVICE"), compared with
  // the kept key (macos/key_files.h). Only on the Mac.
  std::optional<std::string> escrowed_key;
  // The Mac's review (plan --fleet --out-dir): run only the steps in it.
  std::string reviewed;
};

struct UnlockersOptions {
  DeviceSource device;
  std::string fleet;  // accepted beside --inventory --mac, and must load; layers play no part
  bool json = false;
};

struct ObserveOptions {
  DeviceSource device;
  std::string fleet;
  bool explain = false;  // say how the local state file was merged
};

// report FILE...: fleet plans' JSON (plan --fleet --format json) shown in
// another format; with --merge, the shards of one fleet joined.
struct ReportOptions {
  std::vector<std::string> files;
  bool merge = false;
  std::string format = "markdown";
  std::optional<int> max_deletions;  // the budget, over the merged shards
  std::string fail_on;               // --fail-on LIST
  std::string baseline;              // --baseline FILE
};
// A fleet plan's JSON for 100,000 Macs is tens of megabytes.
inline constexpr std::size_t kMaxReportBytes = std::size_t{1} << 30;

struct ImportOptions {
  DeviceSource device;
  std::string fleet;
};

struct CaptureOptions {
  std::string dir;
};

int ValidateVerb(const ValidateOptions& opt, Io& io, spdlog::logger& log);
int UnlockersVerb(const UnlockersOptions& opt, Io& io);
int PlanVerb(const OneMacPlan& opt, const Display& display, Io& io, spdlog::logger& log);
int GraphVerb(const OneMacPlan& opt, Io& io, spdlog::logger& log);
// plan --fleet FLEET --inventory DIR: every Mac, in parallel.
int FleetPlanVerb(const FleetPlanRequest& opt, const Display& display, Io& io);
// plan --enroll ENROLLMENT: the predicted enrollment events and a verdict.
int EnrollPlanVerb(const EnrollRequest& opt, const Display& display, Io& io);
int ComposeVerb(const ComposeOptions& opt, Io& io);
std::string RenderFleetReport(const FleetReport& report, FleetFormat format);
int ApplyVerb(const ApplyOptions& opt, Io& io, spdlog::logger& log);
// Applying to the Mac Accord runs on (the real tools on macOS; a fake Mac
// in tests): lock, preflight, observe and merge the local state, plan, ask,
// apply (recording each step), verify, and append to the apply log.
int ApplyToMac(const ApplyOptions& opt, Io& io, spdlog::logger& log, ThisMac& mac);
int ObserveVerb(const ObserveOptions& opt, Io& io);
int CaptureVerb(const CaptureOptions& opt, Io& io);
int ReportVerb(const ReportOptions& opt, Io& io);
// A desired-state file describing the Mac as observed (plan/import.h).
int ImportVerb(const ImportOptions& opt, Io& io);

void Report(const Diagnostics& diagnostics, std::ostream& err);
// Reports why `failed` failed, each reason followed by `then` ("; nothing
// was changed"), and returns the exit status for an error.
int Failed(const Status& failed, std::ostream& err, std::string_view then = "");
// "accord: warning: …", one line each.
void ReportWarnings(const std::vector<std::string>& warnings, std::ostream& err);
// Colour only on a terminal, unless --no-color or NO_COLOR (non-empty).
bool UseColor(const Io& io, bool no_color_flag);

}  // namespace accord
