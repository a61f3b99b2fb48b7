// Command-line parsing (CLI11) and the verbs, composing the stages.
#include "cli/cli.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "core/text_file.h"
#include "load/desired_loader.h"
#include "plan/planner.h"
#include "render/json_render.h"
#include "render/text_render.h"
#include "render/unlock_render.h"
#include "safety/unlock_paths.h"
#include "sim/sim_provider.h"
#include "sim/snapshot_codec.h"

namespace accord {
namespace {

void Report(const Diagnostics& diagnostics, std::ostream& err) {
  for (const Diagnostic& d : diagnostics) err << FormatDiagnostic(d) << "\n";
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct ValidateOptions {
  std::vector<std::string> files;
};

int Validate(const ValidateOptions& opt, Io& io, spdlog::logger& log) {
  int status = kExitOk;
  for (const std::string& file : opt.files) {
    if (EndsWith(file, ".json")) {
      Result<std::string> text = ReadTextFile(file);
      Result<DeviceState> device =
          text.ok() ? ParseSnapshot(text.value(), file) : Result<DeviceState>(text.errors());
      if (!device.ok()) {
        Report(device.errors(), io.err);
        status = kExitError;
        continue;
      }
      io.out << file << ": ok (device snapshot, " << device.value().users.size() << " accounts)\n";
    } else {
      Result<DesiredState> desired = LoadDesiredStateFile(file);
      if (!desired.ok()) {
        Report(desired.errors(), io.err);
        status = kExitError;
        continue;
      }
      io.out << file << ": ok (desired state, " << desired.value().users.size() << " users)\n";
    }
    log.debug("validated {}", file);
  }
  return status;
}

struct PlanOptions {
  std::string desired;
  std::string device;
  bool json = false;
  bool detailed_exitcode = false;
  bool no_color = false;
};

int PlanCommand(const PlanOptions& opt, Io& io, spdlog::logger& log) {
  Result<DesiredState> desired = LoadDesiredStateFile(opt.desired);
  if (!desired.ok()) {
    Report(desired.errors(), io.err);
    return kExitError;
  }
  log.debug("loaded {}: {} users", opt.desired, desired.value().users.size());
  if (opt.device.empty()) {
    io.err << "accord: error: plan needs --device SNAPSHOT: this build observes Macs only through "
              "device snapshots (see `accord plan --help`)\n";
    return kExitError;
  }
  SimProvider provider(opt.device);
  Result<DeviceState> device = provider.Observe();
  if (!device.ok()) {
    Report(device.errors(), io.err);
    return kExitError;
  }
  log.debug("observed {}: {} accounts", provider.Describe(), device.value().users.size());
  Result<Plan> plan = MakePlan(desired.value(), device.value());
  if (!plan.ok()) {
    Report(plan.errors(), io.err);
    return kExitError;
  }
  Plan p = std::move(plan).value();
  p.device_source = provider.Describe();
  if (opt.json) {
    io.out << RenderPlanJson(p);
  } else {
    std::optional<std::string> no_color = io.getenv("NO_COLOR");
    TextStyle style;
    style.color = io.out_is_terminal && !opt.no_color && (!no_color || no_color->empty());
    io.out << RenderPlanText(p, style);
  }
  PlanSummary summary = Summarize(p);
  if (summary.refused + summary.blocked > 0) return kExitRefused;
  if (opt.detailed_exitcode && summary.HasRunnable()) return kExitChanges;
  return kExitOk;
}

struct UnlockersOptions {
  std::string device;
  bool json = false;
};

int Unlockers(const UnlockersOptions& opt, Io& io) {
  SimProvider provider(opt.device);
  Result<DeviceState> device = provider.Observe();
  if (!device.ok()) {
    Report(device.errors(), io.err);
    return kExitError;
  }
  UnlockReport report = AssessUnlock(device.value());
  std::string name = device.value().name.value_or("this Mac");
  io.out << (opt.json ? RenderUnlockJson(report, name) : RenderUnlockText(report, name));
  bool safe = report.verdict == UnlockVerdict::kNotNeeded ||
              report.verdict == UnlockVerdict::kUnlockable;
  return safe ? kExitOk : kExitRefused;
}

}  // namespace

int RunCli(const std::vector<std::string>& args, Io& io) {
  CLI::App app{"Accord: declarative, reboot-safe management of macOS local accounts.", "accord"};
  app.set_version_flag("--version", "accord 0.1.0");
  app.require_subcommand(1);
  app.fallthrough();  // global flags such as -v may follow the verb
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log what each stage does to stderr");

  ValidateOptions validate;
  CLI::App* validate_cmd = app.add_subcommand(
      "validate", "Check desired-state files (.yaml) and device snapshots (.json) without planning");
  validate_cmd->add_option("files", validate.files, "Files to check")->required();

  PlanOptions plan;
  CLI::App* plan_cmd = app.add_subcommand(
      "plan", "Show what apply would change on a Mac; never changes anything");
  plan_cmd->add_option("-f,--file", plan.desired, "Desired state (YAML)")->required();
  plan_cmd->add_option("--device", plan.device, "Device snapshot (JSON) to plan against");
  plan_cmd->add_flag("--json", plan.json, "Print the plan as JSON (schemas/plan.schema.json)");
  plan_cmd->add_flag("--detailed-exitcode", plan.detailed_exitcode,
                     "Exit 2 when there are changes to apply");
  plan_cmd->add_flag("--no-color", plan.no_color, "Never colour the output");
  plan_cmd->footer(
      "Exit status: 0 nothing to do (or changes, without --detailed-exitcode), 1 error, 2 changes "
      "present (with --detailed-exitcode), 3 something refused or blocked.");

  UnlockersOptions unlockers;
  CLI::App* unlockers_cmd = app.add_subcommand(
      "unlockers", "Say who or what could unlock this Mac's disk after a reboot now");
  unlockers_cmd->add_option("--device", unlockers.device, "Device snapshot (JSON)")->required();
  unlockers_cmd->add_flag("--json", unlockers.json, "Print the answer as JSON");
  unlockers_cmd->footer(
      "Exit status: 0 a reboot is safe (an unlock path exists, or FileVault is off), 1 error, "
      "3 locked out or cannot tell: do not reboot.");

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, io.out, io.err);
    return code == 0 ? kExitOk : kExitError;
  }

  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(io.err);
  spdlog::logger log("accord", sink);
  log.set_pattern("accord: %l: %v");
  log.set_level(verbose ? spdlog::level::debug : spdlog::level::warn);

  if (validate_cmd->parsed()) return Validate(validate, io, log);
  if (unlockers_cmd->parsed()) return Unlockers(unlockers, io);
  return PlanCommand(plan, io, log);
}

}  // namespace accord
