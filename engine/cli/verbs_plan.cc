// SPDX-License-Identifier: Apache-2.0
// The verbs that plan: plan, graph, and apply to the simulated Mac (a
// snapshot or a saved plan). They share one pipeline (cli/pipeline.h);
// only apply constructs an executor.
#include "apply/apply.h"
#include "apply/plan_file.h"
#include "cli/device_source.h"
#include "cli/pipeline.h"
#include "core/atomic_file.h"
#include "core/clock.h"
#include "core/names.h"
#include "core/text_file.h"
#include "render/dot_render.h"
#include "render/json_render.h"
#include "render/review_json.h"
#include "render/text_render.h"
#include "sim/sim_executor.h"

namespace accord {
namespace {

Result<Planned> LoadAndPlan(const OneMacPlan& opt, DeviceState* observed, Io& io,
                            spdlog::logger& log) {
  Result<Planned> planned = LoadDesired(opt.desired, io, log);
  if (!planned.ok()) return planned;
  Result<Observed> device = ObserveFrom(opt.device, io.mac);
  if (!device.ok()) return device.errors();
  ReportWarnings(device.value().warnings, io.err);
  if (observed) *observed = device.value().state;
  Planned p = std::move(planned).value();
  if (Status made = PlanInto(p, device.value().state, device.value().description, opt.options, log);
      !made.ok()) {
    return made.errors();
  }
  return p;
}

}  // namespace

int PlanVerb(const OneMacPlan& opt, const Display& display, Io& io, spdlog::logger& log) {
  DeviceState device;
  Result<Planned> planned = LoadAndPlan(opt, &device, io, log);
  if (!planned.ok()) {
    return Failed(planned.errors(), io.err);
  }
  Report(planned.value().desired.warnings, io.err);
  const Plan& p = planned.value().plan;
  ShowPlan(p, display, io);
  if (!opt.out.empty()) {
    if (opt.device.snapshot.empty()) {
      io.err << "accord: error: --out needs --device SNAPSHOT: saved plans are applied to the "
                "simulated Mac\n";
      return kExitError;
    }
    if (opt.desired == "-") {
      io.err << "accord: error: --out needs -f FILE: a saved plan reads its desired state again "
                "when applied, and standard input cannot be read twice\n";
      return kExitError;
    }
    PlanFile file{NameFromPlan(opt.desired, opt.out), NameFromPlan(opt.device.snapshot, opt.out),
                  MeaningFingerprint(planned.value().desired), DeviceFingerprint(device),
                  RenderPlanJson(p)};
    if (Status saved = WriteFileAtomically(opt.out, RenderPlanFile(file)); !saved.ok()) {
      return Failed(saved, io.err);
    }
    io.err << "Saved the plan to " << opt.out << ". Apply exactly this plan with: accord apply "
           << opt.out << "\n";
  }
  return PlanExitCode(Summarize(p), display.detailed_exitcode);
}

int GraphVerb(const OneMacPlan& opt, Io& io, spdlog::logger& log) {
  Result<Planned> planned = LoadAndPlan(opt, nullptr, io, log);
  if (!planned.ok()) {
    return Failed(planned.errors(), io.err);
  }
  io.out << RenderPlanDot(planned.value().plan);
  return kExitOk;
}

int ApplyVerb(const ApplyOptions& request, Io& io, spdlog::logger& log) {
  ApplyOptions opt = request;
  bool saved = !opt.plan_file.empty();
  if (!opt.reviewed.empty()) {
    if (saved) {
      io.err << "accord: error: --reviewed goes with -f DESIRED: a saved plan already runs only "
                "what it says; nothing was changed\n";
      return kExitError;
    }
    Result<std::string> text = ReadTextFile(opt.reviewed);
    Result<Review> review =
        text.ok() ? ReadReviewJson(text.value(), opt.reviewed) : Result<Review>(text.errors());
    if (!review.ok()) return Failed(review.errors(), io.err, "; nothing was changed");
    opt.options.review = std::move(review).value();
  }
  if (saved && (!opt.desired.empty() || !opt.device.empty())) {
    io.err << "accord: error: give either a saved PLAN or -f DESIRED --device SNAPSHOT, not both\n";
    return kExitError;
  }
  // Only ApplyToMac reads it: never silently ignored by a snapshot's apply.
  if (opt.escrowed_key && (!io.mac || saved || !opt.device.empty())) {
    io.err << "accord: error: --escrowed-key compares the MDM's key with the key Accord kept on "
              "the Mac, so it runs on the Mac; nothing was changed\n";
    return kExitError;
  }
  if (saved && opt.escrow_verified) {
    io.err << "accord: error: --escrow-verified changes what a plan is made from, so it goes with "
              "-f DESIRED, not with a saved plan; nothing was changed\n";
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
  if (opt.desired == "-" && !opt.auto_approve) {
    io.err << "accord: error: apply -f - needs --auto-approve: standard input carries the file, "
              "so it cannot carry the answer too\n";
    return kExitError;
  }
  std::optional<PlanFile> file;
  if (saved) {
    Result<std::string> text = ReadTextFile(opt.plan_file);
    Result<PlanFile> parsed =
        text.ok() ? ParsePlanFile(text.value(), opt.plan_file) : Result<PlanFile>(text.errors());
    if (!parsed.ok()) {
      return Failed(parsed.errors(), io.err);
    }
    file = parsed.value();
  }
  // A saved plan's inputs are named from its own folder.
  const std::string desired = saved ? InputOfPlan(file->desired_file, opt.plan_file) : opt.desired;
  const std::string device = saved ? InputOfPlan(file->device_file, opt.plan_file) : opt.device;
  Result<Planned> planned = LoadDesired(desired, io, log);
  if (!planned.ok()) {
    return Failed(planned.errors(), io.err);
  }
  // Lock the device, then observe it: nothing can change in between.
  Result<std::unique_ptr<SimExecutor>> opened = SimExecutor::Open(device);
  if (!opened.ok()) {
    return Failed(opened.errors(), io.err);
  }
  SimExecutor& executor = *opened.value();
  Planned loaded = std::move(planned).value();
  ApplyLogEntry record;
  record.time = UtcNow();
  // The MDM's escrow confirmation: its own act, saved before the plan
  // whatever its approval (as on a Mac, verbs_apply_mac.cc).
  if (opt.escrow_verified) {
    Result<EscrowConfirmed> confirmed =
        ConfirmEscrow(LocalState{}, executor.state(), *opt.escrow_verified, {}, record.time);
    if (!confirmed.ok()) return Failed(confirmed.errors(), io.err);
    if (Status saved_state = executor.Replace(confirmed.value().state); !saved_state.ok()) {
      return Failed(saved_state, io.err, "; nothing was changed");
    }
    record.before_steps.push_back("Escrow confirmed: " + confirmed.value().said + ".");
    (opt.json ? io.err : io.out) << record.before_steps.back() << "\n";
  }
  if (Status made = PlanInto(loaded, executor.state(), executor.Describe(), opt.options, log);
      !made.ok()) {
    return Failed(made, io.err);
  }
  if (saved) {
    // Stale when what an input means changed (a comment-only edit is not).
    std::vector<std::string> changed;
    if (MeaningFingerprint(loaded.desired) != file->desired_fingerprint) changed.push_back(desired);
    if (DeviceFingerprint(executor.state()) != file->device_fingerprint) {
      changed.push_back("the Mac (" + device + ")");
    }
    if (!changed.empty()) {
      io.err << "accord: error: " << opt.plan_file << " is stale: " << JoinWords(changed)
             << (changed.size() == 1 ? " has" : " have")
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
  record.before = executor.state();
  return RunApply(loaded, executor, saved, opt, io, SecretSources{io.getenv, {}}, record);
}

}  // namespace accord
