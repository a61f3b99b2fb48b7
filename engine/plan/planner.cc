// SPDX-License-Identifier: Apache-2.0
// Composition of the planning stages.
#include "plan/planner.h"

#include "plan/check.h"
#include "plan/diff.h"
#include "plan/resolve.h"
#include "safety/harms.h"

namespace accord {
namespace {

// Provenance: which layer asked for each change and value. Only a composed
// desired state records layer files, so plain files' plans are unchanged.
void NoteOrigins(Plan& plan, const DesiredState& desired) {
  const SourceMap& source = desired.source;
  for (Change& c : plan.changes) {
    std::string base = c.user.empty() ? "filevault" : "users." + c.user;
    // The key that asked for the step, else the user's (or FileVault's) entry.
    const char* key = "";
    switch (c.action) {
      case Action::kDeleteUser: key = ".ensure"; break;
      case Action::kMakeAdmin:
      case Action::kMakeStandard: key = ".role"; break;
      case Action::kGrantToken:
      case Action::kRevokeToken: key = ".secure_token"; break;
      case Action::kResetPassword:
      case Action::kChangePassword: key = ".password"; break;
      case Action::kEnableFileVault:
      case Action::kDisableFileVault: key = ".enabled"; break;
      case Action::kRotateRecoveryKey:
      case Action::kRemoveRecoveryKey: key = ".recovery_key.personal"; break;
      default: break;
    }
    c.origin = source.Origin(base + key);
    if (c.origin.empty()) c.origin = source.Origin(base);
    for (Attribute& a : c.attributes) a.origin = source.Origin(base + "." + ToString(a.name));
  }
}

// The Mac the file is for (device-mismatch): an error at device: before
// anything is planned, or, overridden, the warning every plan shows.
Result<std::optional<Finding>> ForThisMac(const DesiredState& desired, const DeviceState& device,
                                          const PlanOptions& options) {
  if (!desired.device) return std::optional<Finding>();
  std::optional<std::string> why = DeviceMismatch(*desired.device, device);
  if (!why) return std::optional<Finding>();
  HarmSpec spec = SpecOf(Harm::kOtherMac);
  if (options.allow_device_mismatch) {
    return std::optional<Finding>(Finding{FindingLevel::kWarning, RuleId(spec.rule), "",
                                          *why + "; planned anyway: --allow-device-mismatch"});
  }
  return SingleError(desired.source.File("device", desired.file), desired.source.Value("device"),
                     "device",
                     *why + " [" + RuleId(spec.rule) + "]; nothing was planned: " + spec.fix);
}

// The review must be this Mac's; a fresh step not in it is refused before
// the check, so what depends on it is blocked and the rest is judged
// without it.
Result<Plan> WithinReview(Plan plan, const DesiredState& desired, const DeviceState& device,
                          const Review& review) {
  if (device.hardware_uuid != review.hardware_uuid) {
    HarmSpec spec = SpecOf(Harm::kOtherMac);
    const std::string mac =
        device.hardware_uuid ? "hardware UUID " + *device.hardware_uuid : "an unobserved one";
    return SingleError(desired.file, {}, "",
                       "the review is for the Mac with hardware UUID " + review.hardware_uuid +
                           ", and this Mac has " + mac + " [" + RuleId(spec.rule) +
                           "]; nothing was planned: ship each Mac its own review");
  }
  for (Change& c : plan.changes) {
    if (Stopped(c.outcome) || Reviewed(c, review)) continue;
    c.rule = Rule::kNotReviewed;
    Stop(c, Outcome::kRefused,
         "not reviewed: the reviewed plan" +
             (review.fleet_file.empty() ? std::string() : " of " + review.fleet_file) +
             " has no such step for this Mac",
         "review it: plan the fleet again, and ship this Mac the new review once approved");
  }
  return plan;
}

}  // namespace

Result<Plan> MakePlan(const DesiredState& desired, const DeviceState& device,
                      const PlanOptions& options) {
  Result<std::optional<Finding>> mac = ForThisMac(desired, device, options);
  if (!mac.ok()) return mac.errors();
  Result<Resolution> resolution = Resolve(desired, device);
  if (!resolution.ok()) return resolution.errors();
  Plan diff = Diff(desired, device, resolution.value());
  if (options.review) {
    Result<Plan> within = WithinReview(std::move(diff), desired, device, *options.review);
    if (!within.ok()) return within.errors();
    diff = std::move(within).value();
  }
  Result<Plan> checked = Check(std::move(diff), desired, device);
  if (!checked.ok()) return checked;
  Plan plan = std::move(checked).value();
  if (mac.value()) plan.findings.insert(plan.findings.begin(), *mac.value());
  NoteOrigins(plan, desired);
  return plan;
}

}  // namespace accord
