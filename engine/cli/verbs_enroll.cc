// plan --enroll: what enrolling a Mac will do to its accounts, predicted on
// one Mac (a snapshot, a capture bundle, or the Mac Accord runs on) or on
// every Mac of an inventory (one readiness line each). Nothing is applied:
// the agent and the MDM make these changes, so a prediction is never saved
// as a plan.
#include "cli/device_source.h"
#include "cli/pipeline.h"
#include "cli/verbs.h"
#include "core/terminal_text.h"
#include "enroll/predict.h"
#include "inventory/inventory.h"
#include "load/enrollment_loader.h"

namespace accord {
namespace {

// "ready", or "not ready: grant_token:_jumpcloudserviceaccount is blocked: …"
std::string ReadinessLine(const Prediction& p) {
  const Readiness& r = p.readiness;
  std::string line = ToString(r.verdict);
  if (!r.reasons.empty()) line += ": " + r.reasons.front().message;
  if (r.reasons.size() > 1) line += " (and " + std::to_string(r.reasons.size() - 1) + " more)";
  return line;
}

int PredictInventory(const Enrollment& e, const EnrollRequest& opt, bool detailed_exitcode,
                     Io& io) {
  Inventory inventory = ReadInventory(opt.inventory);
  Report(inventory.errors, io.err);
  ReportIgnored(inventory, io.err);
  bool error = !inventory.errors.empty();
  bool not_ready = false;
  bool changes = false;
  std::size_t width = 0;
  for (const InventoryMac& mac : inventory.macs)
    width = std::max(width, Label(mac.identity).size());
  for (const InventoryMac& mac : inventory.macs) {
    const std::string& label = Label(mac.identity);
    io.out << EscapeForTerminal(label) << std::string(width - label.size() + 2, ' ');
    if (!mac.device) {
      error = true;
      io.out << "error: "
             << EscapeForTerminal(mac.errors.empty() ? "no device state"
                                                     : mac.errors.front().message)
             << "\n";
      continue;
    }
    Prediction p = PredictEnrollment(e, *mac.device, mac.source);
    not_ready = not_ready || p.readiness.verdict == Verdict::kNotReady;
    changes = changes || Summarize(p).HasChanges();
    io.out << EscapeForTerminal(ReadinessLine(p)) << "\n";
  }
  if (inventory.macs.empty()) io.err << "accord: error: no Mac found in " << opt.inventory << "\n";
  if (error || inventory.macs.empty()) return kExitError;
  if (not_ready) return kExitRefused;
  return detailed_exitcode && changes ? kExitChanges : kExitOk;
}

}  // namespace

int EnrollPlanVerb(const EnrollRequest& opt, const Display& display, Io& io) {
  Result<Enrollment> enrollment = LoadEnrollmentFile(opt.enrollment);
  if (!enrollment.ok()) {
    return Failed(enrollment.errors(), io.err);
  }
  if (!opt.inventory.empty()) {
    return PredictInventory(enrollment.value(), opt, display.detailed_exitcode, io);
  }
  Result<Observed> device = ObserveFrom(opt.device, io.mac);
  if (!device.ok()) {
    return Failed(device.errors(), io.err);
  }
  ReportWarnings(device.value().warnings, io.err);
  Prediction p =
      PredictEnrollment(enrollment.value(), device.value().state, device.value().description);
  ShowPrediction(p, display, io);
  return PlanExitCode(Summarize(p), display.detailed_exitcode);
}

}  // namespace accord
