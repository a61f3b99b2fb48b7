// SPDX-License-Identifier: Apache-2.0
// The read-only verbs that plan nothing: validate, unlockers, observe and
// capture (capture writes only its bundle, never to the Mac).
#include <nlohmann/json.hpp>

#include "apply/plan_file.h"
#include "cli/device_source.h"
#include "cli/pipeline.h"
#include "cli/verbs.h"
#include "core/names.h"
#include "core/terminal_text.h"
#include "core/text_file.h"
#include "fleet/compose.h"
#include "load/baseline_loader.h"
#include "load/desired_loader.h"
#include "load/enrollment_loader.h"
#include "load/fleet_loader.h"
#include "macos/capture.h"
#include "model/snapshot_codec.h"
#include "plan/import.h"
#include "render/desired_yaml.h"
#include "render/unlock_render.h"
#include "safety/findings.h"
#include "safety/unlock_paths.h"

namespace accord {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

void ReportWarnings(const std::vector<std::string>& warnings, std::ostream& err) {
  for (const std::string& w : warnings) err << "accord: warning: " << w << "\n";
}

void Report(const Diagnostics& diagnostics, std::ostream& err) {
  for (const Diagnostic& d : diagnostics) err << FormatDiagnostic(d) << "\n";
}

int Failed(const Status& failed, std::ostream& err, std::string_view then) {
  for (const Diagnostic& d : failed.errors()) err << FormatDiagnostic(d) << then << "\n";
  return kExitError;
}

bool UseColor(const Io& io, bool no_color_flag) {
  std::optional<std::string> no_color = io.getenv("NO_COLOR");
  return io.out_is_terminal && !no_color_flag && (!no_color || no_color->empty());
}

namespace {

// What validate says of one file that is good: its kind and size, or the
// errors that make it bad.
using Checked = Result<std::string>;

Checked CheckSnapshot(const std::string& text, const std::string& name) {
  Result<DeviceState> device = ParseSnapshot(text, name);
  if (!device.ok()) return device.errors();
  return "device snapshot, " +
         CountOf(static_cast<int>(device.value().users.size()), "account", "accounts");
}

// A saved plan (`plan --out`): its format, and where its inputs are.
Checked CheckPlanFile(const std::string& text, const std::string& name) {
  Result<PlanFile> file = ParsePlanFile(text, name);
  if (!file.ok()) return file.errors();
  const PlanFile& f = file.value();
  Result<DesiredState> desired = LoadDesiredStateFile(InputOfPlan(f.desired_file, name));
  if (!desired.ok()) return desired.errors();
  Result<std::string> device = ReadTextFile(InputOfPlan(f.device_file, name));
  if (!device.ok()) return device.errors();
  nlohmann::json plan = nlohmann::json::parse(f.plan_json, nullptr, false);
  std::size_t steps = plan.is_object() && plan.contains("changes") && plan["changes"].is_array()
                          ? plan["changes"].size()
                          : 0;
  return "saved plan, " + CountOf(static_cast<int>(steps), "step", "steps") + ", of " +
         InputOfPlan(f.desired_file, name) + " for " + InputOfPlan(f.device_file, name) +
         "; apply it with `accord apply " + name + "`";
}

Checked CheckFleet(const std::string& text, const std::string& name) {
  Result<Fleet> fleet = ParseFleet(text, name);
  if (!fleet.ok()) return fleet.errors();
  Diagnostics errors;
  for (const Result<DesiredState>& layer : ReadLayers(fleet.value()).layers) {
    if (!layer.ok()) errors.insert(errors.end(), layer.errors().begin(), layer.errors().end());
  }
  if (!errors.empty()) return errors;
  return "fleet, " + CountOf(static_cast<int>(fleet.value().layers.size()), "layer", "layers");
}

Checked CheckEnrollment(const std::string& text, const std::string& name) {
  Result<Enrollment> enrollment = ParseEnrollment(text, name);
  if (!enrollment.ok()) return enrollment.errors();
  return "enrollment, " +
         CountOf(static_cast<int>(enrollment.value().users.size()), "bound user", "bound users");
}

Checked CheckBaseline(const std::string& text, const std::string& name) {
  Result<Baseline> baseline = ParseBaseline(text, name);
  if (!baseline.ok()) return baseline.errors();
  return "baseline, " +
         CountOf(static_cast<int>(baseline.value().accept.size()), "accepted gap", "accepted gaps");
}

Checked CheckDesired(const std::string& text, const std::string& name, std::ostream& err) {
  Result<DesiredState> desired = LoadDesiredState(text, name);
  if (!desired.ok()) return desired.errors();
  Report(desired.value().warnings, err);
  return "desired state, " +
         CountOf(static_cast<int>(desired.value().users.size()), "user", "users");
}

// JSON is a snapshot or a saved plan (told apart by their format keys);
// YAML a fleet, an enrollment, a baseline or a desired state. Standard input (`-`) is
// JSON when it is a JSON object.
Checked Check(const std::string& text, const std::string& file, std::ostream& err) {
  const std::string name = file == "-" ? kStdinName : file;
  std::size_t first = text.find_first_not_of(" \t\r\n");
  bool object = first != std::string::npos && text[first] == '{';
  bool json = EndsWith(file, ".json") ||
              (file == "-" && object && text.find("\"accord_") != std::string::npos);
  if (object && text.find("\"accord_plan_file\"") != std::string::npos) {
    return CheckPlanFile(text, name);
  }
  if (json) return CheckSnapshot(text, name);
  if (LooksLikeFleetFile(text)) return CheckFleet(text, name);
  if (LooksLikeEnrollmentFile(text)) return CheckEnrollment(text, name);
  if (LooksLikeBaseline(text)) return CheckBaseline(text, name);
  return CheckDesired(text, name, err);
}

}  // namespace

int ValidateVerb(const ValidateOptions& opt, Io& io, spdlog::logger& log) {
  int status = kExitOk;
  for (const std::string& file : opt.files) {
    Result<std::string> text = ReadInput(file, io);
    Checked checked = text.ok() ? Check(text.value(), file, io.err) : Checked(text.errors());
    if (!checked.ok()) {
      Report(checked.errors(), io.err);
      status = kExitError;
      continue;
    }
    io.out << (file == "-" ? kStdinName : file) << ": ok (" << checked.value() << ")\n";
    log.debug("validated {}", file);
  }
  return status;
}

namespace {

// Observes for a read-only verb, reporting errors and warnings.
Result<Observed> Observe(const DeviceSource& source, const std::string& fleet, Io& io) {
  if (!fleet.empty()) {
    if (Result<Fleet> loaded = LoadFleetFile(fleet); !loaded.ok()) {
      Report(loaded.errors(), io.err);
      return loaded.errors();
    }
  }
  Result<Observed> observed = ObserveFrom(source, io.mac);
  if (!observed.ok()) {
    Report(observed.errors(), io.err);
  } else {
    ReportWarnings(observed.value().warnings, io.err);
  }
  return observed;
}

}  // namespace

int UnlockersVerb(const UnlockersOptions& opt, Io& io) {
  Result<Observed> device = Observe(opt.device, opt.fleet, io);
  if (!device.ok()) return kExitError;
  UnlockReport report = AssessUnlock(device.value().state);
  std::string name = MacName(device.value().state.name);
  io.out << (opt.json ? RenderUnlockJson(report, name) : RenderUnlockText(report, name));
  bool safe =
      report.verdict == UnlockVerdict::kNotNeeded || report.verdict == UnlockVerdict::kUnlockable;
  return safe ? kExitOk : kExitRefused;
}

int ObserveVerb(const ObserveOptions& opt, Io& io) {
  Result<Observed> device = Observe(opt.device, opt.fleet, io);
  if (!device.ok()) return kExitError;
  io.out << SerializeSnapshot(device.value().state);
  if (opt.explain) {
    // On stderr, so that stdout stays a snapshot.
    const Observed& o = device.value();
    io.err << "Observed " << o.description << ".\n";
    if (!io.mac || !opt.device.snapshot.empty() || !opt.device.replay.empty() ||
        !opt.device.inventory.empty()) {
      io.err << "No local state: it is kept only on the Mac Accord runs on.\n";
    } else if (o.notes.empty()) {
      io.err << "The local state file records nothing that the Mac does not show.\n";
    } else {
      io.err << "Merged with the local state file (what the Mac shows wins):\n";
      for (const MergeNote& n : o.notes) {
        io.err << "  " << EscapeForTerminal(n.subject) << ": " << EscapeForTerminal(n.decision)
               << "\n";
      }
    }
  }
  return kExitOk;
}

int ImportVerb(const ImportOptions& opt, Io& io) {
  Result<Observed> device = Observe(opt.device, opt.fleet, io);
  if (!device.ok()) return kExitError;
  ImportedState imported = ImportDesired(device.value().state);
  io.out << RenderDesiredYaml(
      imported.state,
      {"Imported by `accord import` from " + device.value().description + ".",
       "Every value is what the Mac showed; planning this file against the same Mac shows",
       "No changes. Edit it into the state you want, then `accord plan` it."},
      imported.comments);
  return kExitOk;
}

int CaptureVerb(const CaptureOptions& opt, Io& io) {
  if (!io.mac) {
    io.err << "accord: error: capture runs on a Mac (it runs the macOS tools); capture there and "
              "use --replay "
           << opt.dir << " here\n";
    return kExitError;
  }
  Result<std::size_t> captured = CaptureBundle(io.mac->runner, opt.dir);
  if (!captured.ok()) {
    return Failed(captured.errors(), io.err);
  }
  io.out << "Captured " << captured.value() << " command outputs in " << opt.dir
         << ". Plan against them anywhere with --replay " << opt.dir << "\n";
  return kExitOk;
}

}  // namespace accord
