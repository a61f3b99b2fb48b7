// SPDX-License-Identifier: Apache-2.0
// The read-only verbs that plan nothing: validate, unlockers, observe and
// capture (capture writes only its bundle, never to the Mac).
#include "cli/device_source.h"
#include "cli/verbs.h"
#include "core/terminal_text.h"
#include "core/text_file.h"
#include "fleet/compose.h"
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

int ValidateVerb(const ValidateOptions& opt, Io& io, spdlog::logger& log) {
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
      io.out << file << ": ok (device snapshot, "
             << CountOf(static_cast<int>(device.value().users.size()), "account", "accounts")
             << ")\n";
    } else if (Result<std::string> text = ReadTextFile(file);
               text.ok() && LooksLikeFleetFile(text.value())) {
      Result<Fleet> fleet = ParseFleet(text.value(), file);
      Diagnostics errors = fleet.ok() ? Diagnostics{} : fleet.errors();
      if (fleet.ok()) {
        for (const Result<DesiredState>& layer : ReadLayers(fleet.value()).layers) {
          if (!layer.ok())
            errors.insert(errors.end(), layer.errors().begin(), layer.errors().end());
        }
      }
      if (!errors.empty()) {
        Report(errors, io.err);
        status = kExitError;
        continue;
      }
      io.out << file << ": ok (fleet, "
             << CountOf(static_cast<int>(fleet.value().layers.size()), "layer", "layers") << ")\n";
    } else if (text.ok() && LooksLikeEnrollmentFile(text.value())) {
      Result<Enrollment> enrollment = ParseEnrollment(text.value(), file);
      if (!enrollment.ok()) {
        Report(enrollment.errors(), io.err);
        status = kExitError;
        continue;
      }
      io.out << file << ": ok (enrollment, "
             << CountOf(static_cast<int>(enrollment.value().users.size()), "bound user",
                        "bound users")
             << ")\n";
    } else {
      Result<DesiredState> desired = LoadDesiredStateFile(file);
      if (!desired.ok()) {
        Report(desired.errors(), io.err);
        status = kExitError;
        continue;
      }
      Report(desired.value().warnings, io.err);
      io.out << file << ": ok (desired state, "
             << CountOf(static_cast<int>(desired.value().users.size()), "user", "users") << ")\n";
    }
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
