// Command-line parsing (CLI11) and the verbs, composing the stages.
#include "cli/cli.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "core/text_file.h"
#include "load/desired_loader.h"
#include "plan/planner.h"
#include "render/dot_render.h"
#include "render/json_render.h"
#include "render/text_render.h"
#include "render/unlock_render.h"
#include "safety/unlock_paths.h"
#include "sim/sim_provider.h"
#include "model/snapshot_codec.h"

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

// Load, observe and plan: what plan, graph and apply share.
Result<Plan> LoadAndPlan(const std::string& desired_path, const std::string& device_path,
                         spdlog::logger& log) {
  Result<DesiredState> desired = LoadDesiredStateFile(desired_path);
  if (!desired.ok()) return desired.errors();
  log.debug("loaded {}: {} users", desired_path, desired.value().users.size());
  if (device_path.empty()) {
    return SingleError("", {}, "",
                       "--device SNAPSHOT is needed: this build observes Macs only through device "
                       "snapshots");
  }
  SimProvider provider(device_path);
  Result<DeviceState> device = provider.Observe();
  if (!device.ok()) return device.errors();
  log.debug("observed {}: {} accounts", provider.Describe(), device.value().users.size());
  Result<Plan> plan = MakePlan(desired.value(), device.value());
  if (!plan.ok()) return plan.errors();
  Plan p = std::move(plan).value();
  p.device_source = provider.Describe();
  return p;
}

struct PlanOptions {
  std::string desired;
  std::string device;
  bool json = false;
  bool detailed_exitcode = false;
  bool no_color = false;
  bool explain = false;
};

int PlanCommand(const PlanOptions& opt, Io& io, spdlog::logger& log) {
  Result<Plan> plan = LoadAndPlan(opt.desired, opt.device, log);
  if (!plan.ok()) {
    Report(plan.errors(), io.err);
    return kExitError;
  }
  const Plan& p = plan.value();
  if (opt.json) {
    io.out << RenderPlanJson(p);
  } else {
    std::optional<std::string> no_color = io.getenv("NO_COLOR");
    TextStyle style;
    style.color = io.out_is_terminal && !opt.no_color && (!no_color || no_color->empty());
    style.explain = opt.explain;
    io.out << RenderPlanText(p, style);
  }
  PlanSummary summary = Summarize(p);
  if (summary.refused + summary.blocked > 0) return kExitRefused;
  if (opt.detailed_exitcode && summary.HasRunnable()) return kExitChanges;
  return kExitOk;
}

int GraphCommand(const PlanOptions& opt, Io& io, spdlog::logger& log) {
  Result<Plan> plan = LoadAndPlan(opt.desired, opt.device, log);
  if (!plan.ok()) {
    Report(plan.errors(), io.err);
    return kExitError;
  }
  io.out << RenderPlanDot(plan.value());
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
  plan_cmd->add_flag("--explain", plan.explain, "Also say why each step comes after others");
  plan_cmd->footer(
      "Exit status: 0 nothing to do (or changes, without --detailed-exitcode), 1 error, 2 changes "
      "present (with --detailed-exitcode), 3 something refused or blocked.");

  PlanOptions graph;
  CLI::App* graph_cmd = app.add_subcommand(
      "graph", "Print the plan's step graph as Graphviz DOT (colour shows each step's outcome)");
  graph_cmd->add_option("-f,--file", graph.desired, "Desired state (YAML)")->required();
  graph_cmd->add_option("--device", graph.device, "Device snapshot (JSON) to plan against");
  graph_cmd->footer("Render it with: accord graph -f FILE --device SNAPSHOT | dot -Tsvg > plan.svg");

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
  if (graph_cmd->parsed()) return GraphCommand(graph, io, log);
  return PlanCommand(plan, io, log);
}

}  // namespace accord
