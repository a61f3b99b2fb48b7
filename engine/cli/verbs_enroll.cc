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

// Whether the options go with --enroll, and why not.
Status CheckEnrollOptions(const PlanOptions& opt) {
  if (!opt.desired.empty()) {
    return "--enroll predicts enrollment from its own file; plan -f DESIRED separately";
  }
  if (!opt.fleet.empty()) {
    return "--enroll does not compose a fleet's layers; give it --inventory DIR alone";
  }
  if (!opt.out.empty()) {
    return "a prediction cannot be saved for `accord apply`: the agent and the MDM make these "
           "changes, not Accord";
  }
  if (!opt.inventory.empty() && opt.json) {
    return "--json predicts one Mac (--device or --replay); with --inventory, Accord prints one "
           "readiness line per Mac";
  }
  return OkStatus();
}

// "ready", or "not ready: grant_token:_jumpcloudserviceaccount is blocked: …"
std::string ReadinessLine(const Plan& p) {
  const Readiness& r = *p.readiness;
  std::string line = ToString(r.verdict);
  if (!r.reasons.empty()) line += ": " + r.reasons.front().message;
  if (r.reasons.size() > 1) line += " (and " + std::to_string(r.reasons.size() - 1) + " more)";
  return line;
}

int PredictInventory(const Enrollment& e, const PlanOptions& opt, Io& io) {
  Inventory inventory = ReadInventory(opt.inventory);
  Report(inventory.errors, io.err);
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
    Plan p = PredictEnrollment(e, *mac.device, mac.source);
    not_ready = not_ready || p.readiness->verdict == Verdict::kNotReady;
    changes = changes || Summarize(p).HasChanges();
    io.out << EscapeForTerminal(ReadinessLine(p)) << "\n";
  }
  if (inventory.macs.empty()) io.err << "accord: error: no Mac found in " << opt.inventory << "\n";
  if (error || inventory.macs.empty()) return kExitError;
  if (not_ready) return kExitRefused;
  return opt.detailed_exitcode && changes ? kExitChanges : kExitOk;
}

}  // namespace

int EnrollPlanVerb(const PlanOptions& opt, Io& io) {
  if (Status usable = CheckEnrollOptions(opt); !usable.ok()) {
    return Failed(usable, io.err);
  }
  Result<Enrollment> enrollment = LoadEnrollmentFile(opt.enroll);
  if (!enrollment.ok()) {
    return Failed(enrollment.errors(), io.err);
  }
  if (!opt.inventory.empty()) return PredictInventory(enrollment.value(), opt, io);
  Result<Observed> device = ObserveFrom({opt.device, opt.replay}, io.mac);
  if (!device.ok()) {
    return Failed(device.errors(), io.err);
  }
  ReportWarnings(device.value().warnings, io.err);
  Plan p = PredictEnrollment(enrollment.value(), device.value().state, device.value().description);
  ShowPlan(p, opt, io);
  return PlanExitCode(p, opt.detailed_exitcode);
}

}  // namespace accord
