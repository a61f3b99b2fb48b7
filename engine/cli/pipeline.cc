// SPDX-License-Identifier: Apache-2.0
// The shared pipeline of the planning verbs.
#include "cli/pipeline.h"

#include <algorithm>
#include <istream>
#include <sstream>

#include "apply/apply.h"
#include "apply/plan_file.h"
#include "core/names.h"
#include "core/terminal_text.h"
#include "core/text_file.h"
#include "fleet/fleet_plan.h"
#include "load/desired_loader.h"
#include "plan/planner.h"
#include "render/desired_yaml.h"
#include "render/json_render.h"
#include "render/text_render.h"
#include "safety/findings.h"

namespace accord {
namespace {

bool Confirm(Io& io, const std::string& question) {
  io.out << question
         << "\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: " << std::flush;
  std::string answer;
  if (!io.in || !std::getline(*io.in, answer)) return false;
  return answer == "yes";
}

}  // namespace

Result<std::string> ReadInput(const std::string& path, Io& io, std::size_t max_bytes) {
  if (path != "-") return ReadTextFile(path, max_bytes);
  if (!io.in) return SingleError(kStdinName, {}, "", "standard input is closed");
  return ReadTextStream(*io.in, kStdinName, max_bytes);
}

std::string MeaningFingerprint(const DesiredState& desired) {
  return DesiredFingerprint(RenderDesiredYaml(desired, {}));
}

Result<Planned> LoadDesired(const std::string& path, Io& io, spdlog::logger& log) {
  Result<std::string> text = ReadInput(path, io);
  if (!text.ok()) return text.errors();
  const std::string name = path == "-" ? kStdinName : path;
  Result<DesiredState> desired = LoadDesiredState(text.value(), name);
  if (!desired.ok()) return desired.errors();
  log.debug("loaded {}: {} users", name, desired.value().users.size());
  return Planned{std::move(desired).value(), Plan{}};
}

Status PlanInto(Planned& planned, const DeviceState& device, const std::string& device_source,
                const PlanOptions& options, spdlog::logger& log) {
  log.debug("observed {}: {} accounts", device_source, device.users.size());
  Result<Plan> plan = MakePlan(planned.desired, device, options);
  if (!plan.ok()) return plan.errors();
  planned.plan = std::move(plan).value();
  planned.plan.device_source = device_source;
  return OkStatus();
}

void ShowPlan(const Plan& plan, const Display& opt, Io& io) {
  if (opt.json) {
    WritePlanJson(plan, io.out);
    return;
  }
  io.out << RenderPlanText(plan, StyleOf(opt, io));
}

void ShowPrediction(const Prediction& prediction, const Display& opt, Io& io) {
  if (opt.json) {
    WritePredictionJson(prediction, io.out);
    return;
  }
  io.out << RenderPredictionText(prediction, StyleOf(opt, io));
}

TextStyle StyleOf(const Display& display, const Io& io) {
  TextStyle style;
  style.color = UseColor(io, display.no_color);
  style.explain = display.explain;
  return style;
}

void ReportIgnored(const Inventory& inventory, std::ostream& err) {
  std::vector<std::string> names(inventory.ignored.begin(), inventory.ignored.end());
  if (std::string line = IgnoredLine(names); !line.empty()) {
    ReportWarnings({EscapeForTerminal(line)}, err);
  }
}

int PlanExitCode(const PlanSummary& summary, bool detailed) {
  if (summary.refused + summary.blocked > 0) return kExitRefused;
  if (detailed && summary.HasChanges()) return kExitChanges;
  return kExitOk;
}

int RunApply(const Planned& loaded, StepExecutor& executor, bool saved, const ApplyOptions& opt,
             Io& io, const SecretSources& sources, ApplyLogEntry& record) {
  const Plan& plan = loaded.plan;
  record.mac = MacName(plan.device_name);
  record.desired_file = loaded.desired.file;
  record.desired_fingerprint = MeaningFingerprint(loaded.desired);
  // An override of the device-mismatch rule is said in the record too.
  for (const Finding& f : plan.findings) {
    if (f.kind == RuleId(Rule::kDeviceMismatch)) record.warnings.push_back(f.message);
  }
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
    return finish("nothing_to_do", PlanExitCode(Summarize(plan), false));
  }
  if (!saved && !opt.auto_approve) {
    if (opt.json) {
      io.err << "accord: error: apply --json cannot ask for approval: add --auto-approve, or "
                "apply a saved plan\n";
      return finish("cancelled", kExitError);
    }
    if (!Confirm(io, "Apply these steps to " + MacName(plan.device_name) + "?")) {
      out << (record.before_steps.empty()
                  ? "\nApply cancelled. Nothing was changed.\n"
                  : "\nApply cancelled: no step was applied (what was done before the steps is "
                    "said above).\n");
      return finish("cancelled", kExitError);
    }
  }
  out << "\n";
  record.report = ApplyPlan(plan, loaded.desired, executor, sources, [&](const Change& step) {
    out << "  " << SignOf(step.action) << " " << StepTitle(step) << "\n" << std::flush;
  });
  const ApplyReport& report = *record.report;
  if (!report.done.empty() || !report.pending.empty()) record.after = executor.ObserveNow();
  const int done = static_cast<int>(report.done.size());
  if (!report.ok()) {
    if (!report.secret_errors.empty()) {
      for (const std::string& e : report.secret_errors) io.err << "accord: error: " << e << "\n";
      out << "Apply stopped before the first step: "
          << CountOf(static_cast<int>(report.secret_errors.size()), "secret", "secrets")
          << " could not be used (see the errors above). Nothing was changed.\n";
      return finish("stopped_before_first_step", kExitError);
    }
    io.err << "accord: error: apply stopped at " << report.failed_step << ": " << report.error
           << "\n";
    if (report.before_any_step) {
      out << "Apply stopped before the first step: " << report.failed_step
          << " needs a secret that could not be used or is wrong (see the error above). "
             "Nothing was changed.\n";
      return finish("stopped_before_first_step", kExitError);
    }
    out << "\nApply stopped at " << report.failed_step << ": " << CountOf(done, "step", "steps")
        << " done before it; nothing after it ran. Run `accord plan` to continue from here.\n";
    return finish("stopped", kExitError);
  }
  out << "\n" << ApplySummary(plan, report);
  return finish("complete", PlanExitCode(Summarize(plan), false));
}

std::string ApplySummary(const Plan& plan, const ApplyReport& report) {
  const PlanSummary sum = Summarize(plan);
  // What cannot be got back, said apart: every step that runs was done.
  const std::vector<std::string> gone = IrreversibleWords(sum);
  std::string out =
      "Apply complete: " + CountOf(static_cast<int>(report.done.size()), "step", "steps") +
      " done" + (gone.empty() ? "" : " (" + Join(gone, ", ") + ")") + ", " +
      std::to_string(report.pending.size()) + " deferred (pending until a login or logout), " +
      std::to_string(sum.refused) + " refused, " + std::to_string(sum.blocked) + " blocked" +
      (sum.skipped ? ", " + std::to_string(sum.skipped) + " skipped" : "") + ".\n";
  for (const Change& c : plan.changes) {
    auto ran = [&](const std::vector<std::string>& ids) {
      return std::find(ids.begin(), ids.end(), c.Id()) != ids.end();
    };
    if ((ran(report.done) || ran(report.pending)) &&
        std::find(c.notes.begin(), c.notes.end(), kEscrowPendingNote) != c.notes.end()) {
      out += "Escrow pending: " + std::string(kEscrowPendingNote) + ".\n";
    }
  }
  if (sum.refused + sum.blocked == 0) return out;
  out += "Not applied:\n";
  for (const Change& c : plan.changes) {
    if (c.outcome != Outcome::kRefused && c.outcome != Outcome::kBlocked) continue;
    out += "  ! " + EscapeForTerminal(StepTitle(c)) + "  " + ToString(c.outcome) + ": " +
           EscapeForTerminal(c.Why()) + "\n";
    if (!c.remedy.empty()) out += "      fix: " + EscapeForTerminal(c.remedy) + "\n";
  }
  return out;
}

}  // namespace accord
