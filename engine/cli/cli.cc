// SPDX-License-Identifier: Apache-2.0
// Command-line parsing (CLI11): arguments into options, options to verbs.
#include "cli/cli.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>

#include "cli/manual.h"
#include "cli/read_only_mac.h"
#include "cli/verbs.h"
#include "core/names.h"
#include "core/version.h"

namespace accord {
namespace {

constexpr const char* kExitCodes =
    "Exit status: 0 success (or changes, without --detailed-exitcode), 1 error, 2 changes present "
    "(with --detailed-exitcode), 3 something refused or blocked, 4 (plan --fleet, report) a "
    "Mac's own data could not be planned (the others were).";

void AddDeviceSource(CLI::App* cmd, std::string& device, std::string& replay) {
  cmd->add_option("--device", device, "Device snapshot (JSON): the simulated Mac")
      ->type_name("JSON");
  cmd->add_option("--replay", replay, "A bundle saved by `accord capture`, observed as the Mac")
      ->type_name("DIR")
      ->excludes(cmd->get_option("--device"));
}

// unlockers and observe: a snapshot, a bundle, or one Mac of a fleet's
// data, as plan --fleet --mac names it.
void AddMacSource(CLI::App* cmd, DeviceSource& source, std::string& fleet) {
  AddDeviceSource(cmd, source.snapshot, source.replay);
  cmd->add_option("--inventory", source.inventory,
                  "With --mac: a fleet's data (osquery results, Fleet reports, snapshots, "
                  "capture bundles)")
      ->type_name("DIR");
  cmd->add_option("--mac", source.mac, "With --inventory: the Mac, by hardware UUID or name")
      ->type_name("MAC");
  cmd->add_option("--fleet", fleet,
                  "Accepted beside --inventory --mac, so that plan's flags can be reused; it "
                  "must load, but layers play no part here")
      ->type_name("YAML");
}

// The override of the device-mismatch harm rule (safety/harms.h).
void AddDeviceMismatch(CLI::App* cmd, bool& allow) {
  cmd->add_flag("--allow-device-mismatch", allow,
                "Plan (and apply) even where the file's device: names another Mac, or cannot be "
                "shown to name this one; the plan and the apply record say so");
}

void AddPlanInputs(CLI::App* cmd, OneMacPlan& opt) {
  cmd->add_option("-f,--file", opt.desired, "Desired state (YAML)")->type_name("YAML")->required();
  AddDeviceSource(cmd, opt.device.snapshot, opt.device.replay);
  AddDeviceMismatch(cmd, opt.options.allow_device_mismatch);
}

// The command line's one definition: every verb and option, bound to the
// values it fills. The manual page and the completions are rendered from it
// (cli/manual.h), so they cannot drift from what RunCli accepts. Built in
// place (CLI11 keeps the addresses of the values).
struct CommandLine {
  CommandLine() {
    app.set_version_flag(
        "--version", std::string("accord ") + AccordRelease() + " (commit " + AccordCommit() + ")");
    app.require_subcommand(1);
    app.fallthrough();  // global flags such as -v may follow the verb
    app.add_flag("-v,--verbose", verbose, "Log what each stage does to stderr");
    AddValidate();
    AddPlan();
    AddOthers();
  }
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  void AddValidate() {
    validate_cmd = app.add_subcommand(
        "validate",
        "Check desired-state, fleet and enrollment files (.yaml), device snapshots (.json) and "
        "saved plans without planning");
    validate_cmd->add_option("files", validate.files, "Files to check; - reads standard input")
        ->type_name("FILE")
        ->required();
  }

  void AddPlan() {
    plan_cmd = app.add_subcommand(
        "plan", "Show what apply would change on a Mac, in a reboot-safe order; changes nothing");
    plan_cmd->add_option("-f,--file", plan.desired, "Desired state (YAML); - reads standard input")
        ->type_name("YAML");
    AddDeviceSource(plan_cmd, plan.device, plan.replay);
    auto* fleet = plan_cmd->add_option(
        "--fleet", plan.fleet, "Fleet file (YAML): plan every Mac of --inventory with its layers");
    fleet->type_name("YAML");
    fleet->excludes(plan_cmd->get_option("-f"));
    plan_cmd
        ->add_option("--enroll", plan.enroll,
                     "Enrollment file (YAML): predict what enrolling the Mac will do to its "
                     "accounts, and whether it is ready")
        ->type_name("YAML");
    plan_cmd
        ->add_option("--inventory", plan.inventory,
                     "With --fleet or --enroll: the Macs' data (osquery results, Fleet "
                     "reports, snapshots, capture bundles); with -f and --mac: one Mac of it")
        ->type_name("DIR");
    plan_cmd
        ->add_option(
            "--out-dir", plan.out_dir,
            "With --fleet: write each Mac's JSON plan, its review (for apply --reviewed) and its "
            "composed desired file here")
        ->type_name("DIR")
        ->needs(fleet);
    plan_cmd
        ->add_option("--format", plan.format,
                     "With --fleet: text (a table), markdown (a pull-request comment), junit, or "
                     "json (schemas/fleet-plan.schema.json)")
        ->type_name("text|markdown|junit|json")
        ->needs(fleet);
    plan_cmd->add_flag("--quiet", plan.quiet, "With --fleet: no progress bar")->needs(fleet);
    plan_cmd
        ->add_option("--shard", plan.shard,
                     "With --fleet: plan shard K of N only (the Macs whose hardware UUID hashes "
                     "there, the same on every run); join the shards' JSON with accord report "
                     "--merge")
        ->type_name("K/N")
        ->needs(fleet);
    plan_cmd
        ->add_option("--max-deletions", plan.max_deletions,
                     "With --fleet: the most accounts the fleet's plan may delete; more is an "
                     "error (exit 1), and --out-dir writes nothing (with --shard, give it to "
                     "report --merge)")
        ->type_name("N")
        ->check(CLI::NonNegativeNumber)
        ->needs(fleet);
    plan_cmd
        ->add_option("--fail-on", plan.fail_on,
                     "With --fleet: what fails the check (the exit status): errors (Macs whose "
                     "own data could not be planned: 4), refused (any refused or blocked step: "
                     "3), rule ids (only refusals of those), or none; comma-separated; default "
                     "errors,refused. A broken fleet file or layer always exits 1")
        ->type_name("LIST")
        ->needs(fleet);
    plan_cmd
        ->add_option("--baseline", plan.baseline,
                     "With --fleet: a reviewed file of known gaps accepted by Mac and rule "
                     "(schemas/baseline.schema.json): they are shown, and do not fail the check")
        ->type_name("FILE")
        ->needs(fleet);
    plan_cmd
        ->add_option("--mac", plan.mac,
                     "With --fleet: plan only this Mac (hardware UUID or name) and print its "
                     "whole plan, each change with the layer that asked for it; with --enroll "
                     "--inventory: predict only this Mac; with -f --inventory: plan the file "
                     "for this Mac")
        ->type_name("MAC");
    plan_cmd->add_option("--out", plan.out, "Also save the plan, for `accord apply PLAN`")
        ->type_name("FILE");
    plan_cmd->add_flag("--json", plan.json, "Print the plan as JSON (schemas/plan.schema.json)");
    plan_cmd->add_flag("--detailed-exitcode", plan.detailed_exitcode,
                       "Exit 2 when there are changes to apply");
    plan_cmd->add_flag("--no-color", plan.no_color, "Never colour the output");
    plan_cmd->add_flag("--explain", plan.explain, "Also say why each step comes after others");
    AddDeviceMismatch(plan_cmd, plan.allow_device_mismatch);
    for (const char* one_mac : {"--out", "--json", "--device", "--replay"}) {
      plan_cmd->get_option(one_mac)->excludes(fleet);
    }
    plan_cmd->footer(std::string(kExitCodes) +
                     " With --fleet: 1 if any Mac errored, else 3 if any step anywhere was refused "
                     "or blocked, else 2 (with --detailed-exitcode) if any Mac would change. "
                     "With --enroll: 3 when the Mac is not ready (an event refused or blocked).");
  }

  void AddOthers() {
    compose_cmd = app.add_subcommand(
        "compose", "Print one Mac's composed desired state (format 1 YAML) from a fleet's layers");
    compose_cmd->add_option("--fleet", compose.fleet, "Fleet file (YAML)")
        ->type_name("YAML")
        ->required();
    compose_cmd->add_option("--inventory", compose.inventory, "The fleet's data")
        ->type_name("DIR")
        ->required();
    compose_cmd->add_option("--mac", compose.mac, "The Mac: its hardware UUID or name")
        ->type_name("MAC")
        ->required();

    graph_cmd = app.add_subcommand(
        "graph", "Print the plan's step graph as Graphviz DOT (colour shows each step's outcome)");
    AddPlanInputs(graph_cmd, graph);
    graph_cmd->footer(
        "Render it with: accord graph -f FILE --device SNAPSHOT | dot -Tsvg > plan.svg");

    apply_cmd = app.add_subcommand(
        "apply", "Apply a plan step by step, keeping the Mac safe to reboot after every step");
    apply_cmd->add_option("plan", apply.plan_file, "A plan saved by `accord plan --out`")
        ->type_name("FILE");
    apply_cmd->add_option("-f,--file", apply.desired, "Desired state (YAML), to plan and apply now")
        ->type_name("YAML");
    apply_cmd->add_option("--device", apply.device, "Device snapshot (JSON) of the simulated Mac")
        ->type_name("JSON");
    apply_cmd->add_flag("--auto-approve", apply.auto_approve, "Do not ask for 'yes' first");
    AddDeviceMismatch(apply_cmd, apply.options.allow_device_mismatch);
    apply_cmd
        ->add_option("--escrow-verified", apply.escrow_verified,
                     "The MDM confirms it holds this Mac's recovery key, its copy last "
                     "updated at TIME (UTC, 2026-12-01T05:31:43Z; Fleet: the host's "
                     "encryption_key.updated_at once its disk encryption is \"verified\"): "
                     "an escrow-pending key no newer than that becomes an unlock path, and "
                     "its root-only copy is removed")
        ->type_name("TIME");
    apply_cmd
        ->add_option("--reviewed", apply.reviewed,
                     "The steps a person reviewed for this Mac (the .review.json `plan --fleet "
                     "--out-dir` wrote for it): plan afresh and run only those; any other step "
                     "is refused as not-reviewed (exit 3)")
        ->type_name("REVIEW");
    apply_cmd
        ->add_option("--escrowed-key", apply.escrowed_key,
                     "The key the MDM returns for this Mac (Fleet: GET "
                     "/api/v1/fleet/hosts/:id/encryption_key, given once its disk "
                     "encryption is \"verified\"), read from env:NAME, file:PATH or "
                     "keychain:SERVICE: where it is the key Accord kept, the key is "
                     "escrowed and its root-only copy removed (on the Mac only)")
        ->type_name("SOURCE");
    apply_cmd->add_flag("--no-color", apply.no_color, "Never colour the output");
    apply_cmd->add_flag("--json", apply.json,
                        "Print the apply record as JSON (schemas/apply-log.schema.json) instead of "
                        "text; needs --auto-approve or a saved plan");
    apply_cmd->footer(
        "A saved plan is applied only if neither input changed since it was made. Exit status: 0 "
        "done, 1 error, cancelled, stale or stopped by a failure, 3 done but something was refused "
        "or blocked.");

    unlockers_cmd = app.add_subcommand(
        "unlockers", "Say who or what could unlock this Mac's disk after a reboot now");
    AddMacSource(unlockers_cmd, unlockers.device, unlockers.fleet);
    unlockers_cmd->add_flag("--json", unlockers.json, "Print the answer as JSON");
    unlockers_cmd->footer(
        "Exit status: 0 a reboot is safe (an unlock path exists, or FileVault is off), 1 error, "
        "3 locked out or cannot tell: do not reboot.");

    observe_cmd = app.add_subcommand(
        "observe", "Print the Mac's observed state as a device snapshot (JSON); changes nothing");
    AddMacSource(observe_cmd, observe.device, observe.fleet);
    observe_cmd->add_flag("--explain", observe.explain,
                          "Also say (on stderr) how Accord's local state file completed what the "
                          "Mac shows");

    report_cmd = app.add_subcommand(
        "report",
        "Show a fleet plan's JSON (plan --fleet --format json) as text, Markdown or JUnit; with "
        "--merge, join the shards of one fleet into the report one run would have made");
    report_cmd->add_option("files", report.files, "Fleet plan JSON files; - reads standard input")
        ->type_name("JSON")
        ->required();
    report_cmd->add_flag("--merge", report.merge,
                         "Join several reports: the shards of one fleet's plan, each Mac once, "
                         "in inventory order");
    report_cmd
        ->add_option("--max-deletions", report.max_deletions,
                     "The most accounts the (merged) fleet plan may delete; more is an error "
                     "(exit 1)")
        ->type_name("N")
        ->check(CLI::NonNegativeNumber);
    report_cmd
        ->add_option("--fail-on", report.fail_on,
                     "What fails the check (the exit status): errors (4), refused (3), rule ids, "
                     "or none; comma-separated; default errors,refused (as plan --fleet)")
        ->type_name("LIST");
    report_cmd
        ->add_option("--baseline", report.baseline,
                     "A reviewed file of known gaps accepted by Mac and rule: shown, and not "
                     "failing the check")
        ->type_name("FILE");
    report_cmd
        ->add_option("--format", report.format,
                     "text (a table), markdown (a pull-request comment; the default), junit, "
                     "or json")
        ->type_name("text|markdown|junit|json");
    report_cmd->footer(
        "Exit status: 0 nothing refused, 1 an error (or a Mac not planned), 3 something refused "
        "or blocked.");

    import_cmd = app.add_subcommand(
        "import",
        "Print a desired-state file (YAML) describing the Mac as observed: planning it shows no "
        "changes; changes nothing");
    AddMacSource(import_cmd, import.device, import.fleet);
    import_cmd->footer(
        "Unknown facts become comments, never values; passwords are never read. Start from it: "
        "accord import --device SNAPSHOT > desired.yaml");

    capture_cmd = app.add_subcommand(
        "capture",
        "On a Mac: save the raw output of every observe command, for --replay elsewhere");
    capture_cmd->add_option("dir", capture.dir, "Folder for the bundle")
        ->type_name("DIR")
        ->required();
  }

  CLI::App app{"Accord: declarative, reboot-safe management of macOS local accounts.", "accord"};
  bool verbose = false;
  ValidateOptions validate;
  PlanFlags plan;
  ComposeOptions compose;
  OneMacPlan graph;
  ApplyOptions apply;
  UnlockersOptions unlockers;
  ObserveOptions observe;
  ImportOptions import;
  ReportOptions report;
  CaptureOptions capture;
  CLI::App* validate_cmd = nullptr;
  CLI::App* plan_cmd = nullptr;
  CLI::App* compose_cmd = nullptr;
  CLI::App* graph_cmd = nullptr;
  CLI::App* apply_cmd = nullptr;
  CLI::App* unlockers_cmd = nullptr;
  CLI::App* observe_cmd = nullptr;
  CLI::App* import_cmd = nullptr;
  CLI::App* report_cmd = nullptr;
  CLI::App* capture_cmd = nullptr;
};

// Runs the verb the command line chose. Every verb but apply is handed the
// Mac through a read-only seam.
int Dispatch(CommandLine& cl, Io& io, spdlog::logger& log) {
  if (cl.apply_cmd->parsed()) return ApplyVerb(cl.apply, io, log);
  std::optional<ReadOnlyMac> read_only;
  Io view = io;
  if (io.mac) view.mac = &read_only.emplace(*io.mac).view;
  if (cl.validate_cmd->parsed()) return ValidateVerb(cl.validate, view, log);
  if (cl.unlockers_cmd->parsed()) return UnlockersVerb(cl.unlockers, view);
  if (cl.graph_cmd->parsed()) return GraphVerb(cl.graph, view, log);
  if (cl.observe_cmd->parsed()) return ObserveVerb(cl.observe, view);
  if (cl.capture_cmd->parsed()) return CaptureVerb(cl.capture, view);
  if (cl.import_cmd->parsed()) return ImportVerb(cl.import, view);
  if (cl.report_cmd->parsed()) return ReportVerb(cl.report, view);
  if (cl.compose_cmd->parsed()) return ComposeVerb(cl.compose, view);
  Result<PlanRequest> request = ChoosePlan(cl.plan);
  if (!request.ok()) return Failed(request.errors(), io.err);
  const PlanRequest& r = request.value();
  if (auto* enroll = std::get_if<EnrollRequest>(&r.mode)) {
    return EnrollPlanVerb(*enroll, r.display, view);
  }
  if (auto* fleet = std::get_if<FleetPlanRequest>(&r.mode)) {
    return FleetPlanVerb(*fleet, r.display, view);
  }
  return PlanVerb(std::get<OneMacPlan>(r.mode), r.display, view, log);
}
}  // namespace

int RunCli(const std::vector<std::string>& args, Io& io) {
  CommandLine cl;
  CLI::App& app = cl.app;
  // The manual page and completion scripts, generated at build time from
  // this very definition (engine/cli/manual.h); not verbs of their own.
  if (args.size() == 1 && args[0] == "--help-man") {
    io.out << RenderManPage(app);
    return kExitOk;
  }
  if (args.size() == 2 && args[0] == "--completion") {
    std::string script = RenderCompletion(app, args[1]);
    if (script.empty()) {
      io.err << "accord: error: no completion for " << Printable(args[1])
             << "; choose bash, zsh or fish\n";
      return kExitError;
    }
    io.out << script;
    return kExitOk;
  }

  // CLI11 reads an unknown verb as a missing one; name it instead.
  auto verb = std::find_if(args.begin(), args.end(),
                           [](const std::string& a) { return a.empty() || a.front() != '-'; });
  if (verb != args.end()) {
    std::vector<std::string_view> verbs;
    for (const CLI::App* sub : app.get_subcommands({})) verbs.push_back(sub->get_name());
    if (std::find(verbs.begin(), verbs.end(), *verb) == verbs.end()) {
      io.err << "accord: error: unknown command " << Printable(*verb) << DidYouMean(*verb, verbs)
             << "\nCommands: ";
      for (std::size_t i = 0; i < verbs.size(); ++i) io.err << (i ? ", " : "") << verbs[i];
      io.err << ". Run accord --help for more.\n";
      return kExitError;
    }
  }
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
  log.set_level(cl.verbose ? spdlog::level::debug : spdlog::level::warn);

  return Dispatch(cl, io, log);
}

}  // namespace accord
