// The verbs of the command line, each a function of its options and the
// process's streams. cli.cc parses arguments into these options.
#pragma once

#include <spdlog/logger.h>

#include <string>
#include <vector>

#include "cli/cli.h"
#include "core/diagnostic.h"
#include "macos/command_runner.h"

namespace accord {

struct ValidateOptions {
  std::vector<std::string> files;
};

struct PlanOptions {
  std::string desired;
  std::string device;
  std::string replay;  // observe from a captured bundle instead
  std::string out;     // write a plan file for `accord apply PLAN`
  bool json = false;
  bool detailed_exitcode = false;
  bool no_color = false;
  bool explain = false;
  // A fleet: every Mac of --inventory, with the layers --fleet chooses.
  std::string fleet;
  std::string inventory;
  std::string out_dir;          // each Mac's JSON plan and composed desired file
  std::string format = "text";  // text | markdown | junit
  bool quiet = false;           // no progress bar
  std::string mac;              // only this Mac: its whole plan
  // Predict what this enrollment file will do, instead of planning a
  // desired state (with --inventory: every Mac of it).
  std::string enroll;
};

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
};

struct UnlockersOptions {
  std::string device;
  std::string replay;
  bool json = false;
};

struct ObserveOptions {
  std::string device;
  std::string replay;
  bool explain = false;  // say how the local state file was merged
};

struct CaptureOptions {
  std::string dir;
};

int ValidateVerb(const ValidateOptions& opt, Io& io, spdlog::logger& log);
int UnlockersVerb(const UnlockersOptions& opt, Io& io);
int PlanVerb(const PlanOptions& opt, Io& io, spdlog::logger& log);
int GraphVerb(const PlanOptions& opt, Io& io, spdlog::logger& log);
// plan --fleet FLEET --inventory DIR: every Mac, in parallel.
int FleetPlanVerb(const PlanOptions& opt, Io& io);
// plan --enroll ENROLLMENT: the predicted enrollment events and a verdict.
int EnrollPlanVerb(const PlanOptions& opt, Io& io);
int ComposeVerb(const ComposeOptions& opt, Io& io);
int ApplyVerb(const ApplyOptions& opt, Io& io, spdlog::logger& log);
// Applying to the Mac Accord runs on (the real tools on macOS; a fake Mac
// in tests): lock, preflight, observe and merge the local state, plan, ask,
// apply (recording each step), verify, and append to the apply log.
int ApplyToMac(const ApplyOptions& opt, Io& io, spdlog::logger& log, ThisMac& mac);
int ObserveVerb(const ObserveOptions& opt, Io& io);
int CaptureVerb(const CaptureOptions& opt, Io& io);

void Report(const Diagnostics& diagnostics, std::ostream& err);
// Reports why `failed` failed, each reason followed by `then` ("; nothing
// was changed"), and returns the exit status for an error.
int Failed(const Status& failed, std::ostream& err, std::string_view then = "");
// "accord: warning: …", one line each.
void ReportWarnings(const std::vector<std::string>& warnings, std::ostream& err);
// Colour only on a terminal, unless --no-color or NO_COLOR (non-empty).
bool UseColor(const Io& io, bool no_color_flag);

}  // namespace accord
