// The verbs that plan: plan, graph and apply. They share one pipeline
// (load, observe, plan); only apply constructs an executor.
#include <filesystem>
#include <istream>
#include <sstream>

#include "apply/apply.h"
#include "apply/apply_log.h"
#include "apply/plan_file.h"
#include "cli/device_source.h"
#include "cli/verbs.h"
#include "core/atomic_file.h"
#include "core/clock.h"
#include "core/terminal_text.h"
#include "core/text_file.h"
#include "load/desired_loader.h"
#include "macos/keychain.h"
#include "macos/macos_executor.h"
#include "macos/macos_provider.h"
#include "macos/preflight.h"
#include "macos/unlock_check.h"
#include "plan/planner.h"
#include "render/dot_render.h"
#include "render/json_render.h"
#include "render/text_render.h"
#include "safety/findings.h"
#include "sim/sim_executor.h"
#include "state/state_keeper.h"
#include "state/state_store.h"

namespace accord {
namespace {

struct Planned {
  DesiredState desired;
  std::string desired_text;  // for the plan fingerprint
  Plan plan;
};

// The desired state first: its errors are the ones an admin fixes.
Result<Planned> LoadDesired(const std::string& path, spdlog::logger& log) {
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.errors();
  Result<DesiredState> desired = LoadDesiredState(text.value(), path);
  if (!desired.ok()) return desired.errors();
  log.debug("loaded {}: {} users", path, desired.value().users.size());
  return Planned{std::move(desired).value(), text.value(), Plan{}};
}

std::optional<Diagnostics> PlanInto(Planned& planned, const DeviceState& device,
                                    const std::string& device_source, spdlog::logger& log) {
  log.debug("observed {}: {} accounts", device_source, device.users.size());
  Result<Plan> plan = MakePlan(planned.desired, device);
  if (!plan.ok()) return plan.errors();
  planned.plan = std::move(plan).value();
  planned.plan.device_source = device_source;
  return std::nullopt;
}

Result<Planned> LoadAndPlan(const PlanOptions& opt, DeviceState* observed, Io& io,
                            spdlog::logger& log) {
  Result<Planned> planned = LoadDesired(opt.desired, log);
  if (!planned.ok()) return planned;
  Result<Observed> device = ObserveFrom({opt.device, opt.replay}, io.mac);
  if (!device.ok()) return device.errors();
  for (const std::string& w : device.value().warnings) io.err << "accord: warning: " << w << "\n";
  if (observed) *observed = device.value().state;
  Planned p = std::move(planned).value();
  if (auto errors = PlanInto(p, device.value().state, device.value().description, log))
    return *errors;
  return p;
}

int PlanExitCode(const Plan& plan, bool detailed) {
  PlanSummary summary = Summarize(plan);
  if (summary.refused + summary.blocked > 0) return kExitRefused;
  if (detailed && summary.HasChanges()) return kExitChanges;
  return kExitOk;
}

bool Confirm(Io& io, const std::string& question) {
  io.out << question
         << "\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: " << std::flush;
  std::string answer;
  if (!io.in || !std::getline(*io.in, answer)) return false;
  return answer == "yes";
}

}  // namespace

int PlanVerb(const PlanOptions& opt, Io& io, spdlog::logger& log) {
  DeviceState device;
  Result<Planned> planned = LoadAndPlan(opt, &device, io, log);
  if (!planned.ok()) {
    Report(planned.errors(), io.err);
    return kExitError;
  }
  Report(planned.value().desired.warnings, io.err);
  const Plan& p = planned.value().plan;
  if (opt.json) {
    io.out << RenderPlanJson(p);
  } else {
    TextStyle style;
    style.color = UseColor(io, opt.no_color);
    style.explain = opt.explain;
    io.out << RenderPlanText(p, style);
  }
  if (!opt.out.empty()) {
    if (opt.device.empty()) {
      io.err << "accord: error: --out needs --device SNAPSHOT: saved plans are applied to the "
                "simulated Mac\n";
      return kExitError;
    }
    PlanFile file{opt.desired, opt.device, Fingerprint(planned.value().desired_text, device),
                  RenderPlanJson(p)};
    if (auto error = WriteFileAtomically(opt.out, RenderPlanFile(file))) {
      io.err << "accord: error: " << *error << "\n";
      return kExitError;
    }
    io.err << "Saved the plan to " << opt.out << ". Apply exactly this plan with: accord apply "
           << opt.out << "\n";
  }
  return PlanExitCode(p, opt.detailed_exitcode);
}

int GraphVerb(const PlanOptions& opt, Io& io, spdlog::logger& log) {
  Result<Planned> planned = LoadAndPlan(opt, nullptr, io, log);
  if (!planned.ok()) {
    Report(planned.errors(), io.err);
    return kExitError;
  }
  io.out << RenderPlanDot(planned.value().plan);
  return kExitOk;
}

namespace {

// The shared tail of apply: show the plan (unless it was saved, or --json),
// ask, run it step by step through `executor`, and report. `record` gets
// the apply's record for the apply log; with --json it is the only output.
int RunApply(const Planned& loaded, StepExecutor& executor, bool saved, const ApplyOptions& opt,
             Io& io, const SecretSources& sources, ApplyLogEntry& record) {
  const Plan& plan = loaded.plan;
  record.mac = MacName(plan.device_name);
  record.desired_file = loaded.desired.file;
  record.desired_fingerprint = DesiredFingerprint(loaded.desired_text);
  // With --json, stdout carries one document: the prose goes nowhere.
  std::ostringstream discarded;
  std::ostream& out = opt.json ? discarded : io.out;
  auto finish = [&](std::string result, int code) {
    record.result = std::move(result);
    if (opt.json) io.out << RenderApplyLog(record, plan) << "\n";
    return code;
  };
  if (!saved) {
    TextStyle style;
    style.color = UseColor(io, opt.no_color);
    out << RenderPlanText(plan, style) << "\n";
  }
  PlanSummary summary = Summarize(plan);
  if (!summary.HasChanges()) {
    out << "Nothing to apply.\n";
    return finish("nothing_to_do", PlanExitCode(plan, false));
  }
  if (!saved && !opt.auto_approve) {
    if (opt.json) {
      io.err << "accord: error: apply --json cannot ask for approval: add --auto-approve, or "
                "apply a saved plan\n";
      return finish("cancelled", kExitError);
    }
    if (!Confirm(io, "Apply these steps to " + MacName(plan.device_name) + "?")) {
      out << "\nApply cancelled. Nothing was changed.\n";
      return finish("cancelled", kExitError);
    }
  }
  out << "\n";
  record.report = ApplyPlan(plan, loaded.desired, executor, sources, [&](const Change& step) {
    out << "  " << SignOf(step.action) << " " << StepTitle(step) << "\n" << std::flush;
  });
  const ApplyReport& report = *record.report;
  const int done = static_cast<int>(report.done.size());
  if (!report.ok()) {
    io.err << "accord: error: apply stopped at " << report.failed_step << ": " << report.error
           << "\n";
    if (report.before_any_step) {
      out << "Apply stopped before the first step: " << report.failed_step
          << " needs a secret that could not be used (see the error above). Nothing was "
             "changed.\n";
      return finish("stopped_before_first_step", kExitError);
    }
    out << "\nApply stopped at " << report.failed_step << ": " << CountOf(done, "step", "steps")
        << " done before it; nothing after it ran. Run `accord plan` to continue from here.\n";
    return finish("stopped", kExitError);
  }
  out << "\nApply complete: " << CountOf(done, "step", "steps") << " done, "
      << report.pending.size() << " pending until a login or logout.\n";
  return finish("complete", PlanExitCode(plan, false));
}

// Once per apply, where it can prove something: whether the authority's
// password unlocks the Data volume (macos/unlock_check). Never retried.
std::optional<UnlockCheck> CheckAuthorityUnlock(const DesiredState& desired,
                                                const DeviceState& state, ThisMac& mac,
                                                const SecretSources& sources) {
  if (!desired.authority || !desired.authority->password) return std::nullopt;
  const ObservedUser* authority = state.FindUser(desired.authority->user);
  if (!authority || !WorthVerifying(*authority)) return std::nullopt;
  Result<Secret> password =
      ResolveSecret(*desired.authority->password,
                    std::filesystem::path(desired.file).parent_path().string(), sources);
  if (!password.ok()) return std::nullopt;  // apply stops on it before the first step
  return VerifyUnlock(mac.runner, *authority, password.value());
}

}  // namespace

int ApplyToMac(const ApplyOptions& opt, Io& io, spdlog::logger& log, ThisMac& mac) {
  Result<Planned> planned = LoadDesired(opt.desired, log);
  if (!planned.ok()) {
    Report(planned.errors(), io.err);
    return kExitError;
  }
  if (auto error = PrepareStateDir(mac.state_dir)) {
    io.err << "accord: error: " << *error << "\n";
    return kExitError;
  }
  std::string error;
  std::optional<FileLock> lock = FileLock::Acquire(mac.state_dir + "/apply.lock", error);
  if (!lock) {
    io.err << "accord: error: " << error << "\n";
    return kExitError;
  }
  if (Diagnostics failed = Preflight(mac.runner); !failed.empty()) {
    Report(failed, io.err);
    return kExitError;
  }
  Result<Observed> device = ObserveFrom({}, &mac);
  if (!device.ok()) {
    Report(device.errors(), io.err);
    return kExitError;
  }
  const Observed& observed = device.value();
  for (const std::string& w : observed.warnings) io.err << "accord: warning: " << w << "\n";
  Planned loaded = std::move(planned).value();
  SecretSources sources{io.getenv, [&mac](const std::string& service) {
                          return ReadKeychainSecret(mac.runner, service);
                        }};
  ApplyLogEntry record;
  record.time = mac.now();
  record.warnings = observed.warnings;
  DeviceState state = observed.state;
  if (std::optional<UnlockCheck> check =
          CheckAuthorityUnlock(loaded.desired, state, mac, sources)) {
    log.debug("{}", check->detail);
    std::ostream& said = opt.json ? io.err : io.out;  // stdout holds only JSON then
    said << (check->verified ? "Verified" : "Could not verify") << " that "
         << EscapeForTerminal(check->user) << "'s password unlocks the Data volume"
         << (check->verified ? ": a certain unlock path for this apply.\n"
                             : "; whether its FileVault password is in step stays unknown.\n");
    state = WithVerifiedUnlock(std::move(state), *check);
    record.unlock_check = std::move(check);
  }
  if (auto errors = PlanInto(loaded, state, observed.description, log)) {
    Report(*errors, io.err);
    return kExitError;
  }
  const std::optional<Authority>& authority = loaded.desired.authority;
  MacosExecutor executor(mac.runner, authority ? authority->user : "");
  // What of the record the Mac contradicts is dropped before the first step.
  if (observed.kept != observed.record || !observed.warnings.empty()) {
    if (auto failed = SaveLocalState(mac.state_dir, observed.kept)) {
      io.err << "accord: error: " << *failed << "; nothing was changed\n";
      return kExitError;
    }
  }
  LocalStateKeeper keeper(executor, mac.state_dir, observed.kept, state, mac.now);
  int code = RunApply(loaded, keeper, false, opt, io, sources, record);
  if (auto failed = AppendApplyLog(mac.state_dir, RenderApplyLog(record, loaded.plan))) {
    io.err << "accord: warning: the apply log was not written: " << *failed << "\n";
  }
  return code;
}

int ApplyVerb(const ApplyOptions& opt, Io& io, spdlog::logger& log) {
  bool saved = !opt.plan_file.empty();
  if (saved && (!opt.desired.empty() || !opt.device.empty())) {
    io.err << "accord: error: give either a saved PLAN or -f DESIRED --device SNAPSHOT, not both\n";
    return kExitError;
  }
  if (!saved && !opt.desired.empty() && opt.device.empty()) {
    if (io.mac) return ApplyToMac(opt, io, log, *io.mac);
    io.err << "accord: error: apply needs --device SNAPSHOT here: this is not a Mac\n";
    return kExitError;
  }
  if (!saved && (opt.desired.empty() || opt.device.empty())) {
    io.err << "accord: error: apply needs a saved PLAN, or -f DESIRED and --device SNAPSHOT\n";
    return kExitError;
  }
  std::optional<PlanFile> file;
  if (saved) {
    Result<std::string> text = ReadTextFile(opt.plan_file);
    Result<PlanFile> parsed =
        text.ok() ? ParsePlanFile(text.value(), opt.plan_file) : Result<PlanFile>(text.errors());
    if (!parsed.ok()) {
      Report(parsed.errors(), io.err);
      return kExitError;
    }
    file = parsed.value();
  }
  Result<Planned> planned = LoadDesired(saved ? file->desired_file : opt.desired, log);
  if (!planned.ok()) {
    Report(planned.errors(), io.err);
    return kExitError;
  }
  // Lock the device, then observe it: nothing can change in between.
  Result<std::unique_ptr<SimExecutor>> opened =
      SimExecutor::Open(saved ? file->device_file : opt.device);
  if (!opened.ok()) {
    Report(opened.errors(), io.err);
    return kExitError;
  }
  SimExecutor& executor = *opened.value();
  Planned loaded = std::move(planned).value();
  if (auto errors = PlanInto(loaded, executor.state(), executor.Describe(), log)) {
    Report(*errors, io.err);
    return kExitError;
  }
  if (saved) {
    if (Fingerprint(loaded.desired_text, executor.state()) != file->fingerprint) {
      io.err << "accord: error: " << opt.plan_file << " is stale: " << file->desired_file << " or "
             << file->device_file
             << " changed since the plan was made. Nothing was applied; make a new plan.\n";
      return kExitError;
    }
    if (!SamePlanJson(RenderPlanJson(loaded.plan), file->plan_json)) {
      io.err << "accord: error: " << opt.plan_file
             << " does not match what Accord plans for the same inputs (was it edited, or made "
                "by another version?). Nothing was applied; make a new plan.\n";
      return kExitError;
    }
  }
  ApplyLogEntry record;
  record.time = UtcNow();
  return RunApply(loaded, executor, saved, opt, io, SecretSources{io.getenv, {}}, record);
}

}  // namespace accord
