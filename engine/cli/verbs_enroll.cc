// SPDX-License-Identifier: Apache-2.0
// plan --enroll: what enrolling a Mac will do to its accounts, predicted on
// one Mac (a snapshot, a capture bundle, or the Mac Accord runs on) or on
// every Mac of an inventory (its verdict and every reason, or one JSON
// document), or one Mac of it with --mac. Nothing is applied:
// the agent and the MDM make these changes, so a prediction is never saved
// as a plan.
#include "cli/device_source.h"
#include "cli/pipeline.h"
#include "cli/verbs.h"
#include "core/terminal_text.h"
#include "enroll/predict.h"
#include "inventory/inventory.h"
#include "load/enrollment_loader.h"
#include "render/readiness_render.h"

namespace accord {
namespace {

int PredictInventory(const Enrollment& e, const EnrollRequest& opt, const Display& display,
                     Io& io) {
  Inventory inventory = ReadInventory(opt.inventory);
  Report(inventory.errors, io.err);
  ReportIgnored(inventory, io.err);
  bool error = !inventory.errors.empty();
  bool not_ready = false;
  bool changes = false;
  std::vector<MacReadiness> macs;
  for (const InventoryMac& mac : inventory.macs) {
    MacReadiness& m = macs.emplace_back(MacReadiness{&mac, std::nullopt});
    if (!mac.device) {
      error = true;
      continue;
    }
    m.prediction = PredictEnrollment(e, *mac.device, mac.source);
    for (EventStep& s : m.prediction->steps) InSourceWords(s.change.remedy, mac);
    for (ReadinessReason& r : m.prediction->readiness.reasons) InSourceWords(r.fix, mac);
    not_ready = not_ready || m.prediction->readiness.verdict == Verdict::kNotReady;
    changes = changes || Summarize(*m.prediction).HasChanges();
  }
  if (display.json) {
    io.out << RenderReadinessJson(
        macs, opt.enrollment,
        std::vector<std::string>(inventory.ignored.begin(), inventory.ignored.end()));
  } else {
    io.out << RenderReadinessText(macs);
  }
  if (inventory.macs.empty()) io.err << "accord: error: no Mac found in " << opt.inventory << "\n";
  if (error || inventory.macs.empty()) return kExitError;
  if (not_ready) return kExitRefused;
  return display.detailed_exitcode && changes ? kExitChanges : kExitOk;
}

}  // namespace

int EnrollPlanVerb(const EnrollRequest& opt, const Display& display, Io& io) {
  Result<Enrollment> enrollment = LoadEnrollmentFile(opt.enrollment);
  if (!enrollment.ok()) {
    return Failed(enrollment.errors(), io.err);
  }
  if (!opt.inventory.empty()) {
    return PredictInventory(enrollment.value(), opt, display, io);
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
