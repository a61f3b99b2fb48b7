// SPDX-License-Identifier: Apache-2.0
// `plan`'s flags into one typed request: which of one Mac, a fleet or an
// enrollment prediction is asked for, and whether the flags given go with
// it. CLI11 already refuses the pairs it can see (--fleet with -f, --out
// with --fleet); what depends on the mode is decided here, once.
#include "cli/verbs.h"
#include "core/names.h"

namespace accord {
namespace {

Result<EnrollRequest> EnrollFrom(const PlanFlags& f) {
  if (!f.desired.empty()) {
    return Because(
        "--enroll predicts enrollment from its own file; plan -f DESIRED "
        "separately");
  }
  if (!f.fleet.empty()) {
    return Because("--enroll does not compose a fleet's layers; give it --inventory DIR alone");
  }
  if (!f.out.empty()) {
    return Because(
        "a prediction cannot be saved for `accord apply`: the agent and the MDM "
        "make these changes, not Accord");
  }
  if (!f.mac.empty()) {
    if (f.inventory.empty()) return Because("--mac MAC needs --inventory DIR, the fleet's data");
    // One Mac of the inventory: its whole prediction.
    return EnrollRequest{f.enroll, {f.device, f.replay, f.inventory, f.mac}, ""};
  }
  return EnrollRequest{f.enroll, {f.device, f.replay}, f.inventory};
}

Result<FleetPlanRequest> FleetFrom(const PlanFlags& f) {
  if (f.inventory.empty()) {
    return Because("plan --fleet needs --inventory DIR, the fleet's data");
  }
  Result<FleetFormat> format = ParseFleetFormat(f.format);
  if (!format.ok()) return format.errors();
  Shard shard;
  if (!f.shard.empty()) {
    if (!f.mac.empty()) return Because("--shard plans part of a fleet; --mac plans one Mac of it");
    Result<Shard> parsed = ParseShard(f.shard);
    if (!parsed.ok()) return parsed.errors();
    shard = parsed.value();
  }
  if (f.max_deletions && !f.mac.empty()) {
    return Because("--max-deletions is a budget for the fleet; --mac plans one Mac of it");
  }
  if ((!f.fail_on.empty() || !f.baseline.empty()) && !f.mac.empty()) {
    return Because("--fail-on and --baseline judge the fleet; --mac plans one Mac of it");
  }
  FleetGate gate;
  if (!f.fail_on.empty()) {
    Result<FleetGate> parsed = ParseFailOn(f.fail_on);
    if (!parsed.ok()) return parsed.errors();
    gate = parsed.value();
  }
  return FleetPlanRequest{f.fleet, f.inventory, f.out_dir,       format.value(), f.quiet,
                          f.mac,   shard,       f.max_deletions, gate,           f.baseline};
}

}  // namespace

Result<FleetFormat> ParseFleetFormat(const std::string& name) {
  if (name == "text") return FleetFormat::kText;
  if (name == "markdown") return FleetFormat::kMarkdown;
  if (name == "junit") return FleetFormat::kJunit;
  if (name == "json") return FleetFormat::kJson;
  return Because("--format is text, markdown, junit or json, not " + Printable(name));
}

Result<PlanRequest> ChoosePlan(const PlanFlags& f) {
  PlanRequest request;
  request.display = {f.json, f.no_color, f.explain, f.detailed_exitcode};
  if (f.allow_device_mismatch && f.desired.empty()) {
    return Because(
        "--allow-device-mismatch goes with -f DESIRED: it lets a file labelled for another Mac "
        "be planned here");
  }
  if (!f.enroll.empty()) {
    Result<EnrollRequest> enroll = EnrollFrom(f);
    if (!enroll.ok()) return enroll.errors();
    request.mode = std::move(enroll).value();
  } else if (!f.fleet.empty()) {
    Result<FleetPlanRequest> fleet = FleetFrom(f);
    if (!fleet.ok()) return fleet.errors();
    request.mode = std::move(fleet).value();
  } else if (!f.desired.empty()) {
    // One Mac: a snapshot, a bundle, one Mac of a fleet's data, or this Mac.
    if (!f.inventory.empty() && f.mac.empty()) {
      return Because("-f DESIRED with --inventory DIR plans one Mac: name it with --mac MAC");
    }
    request.mode = OneMacPlan{f.desired,
                              {f.device, f.replay, f.inventory, f.mac},
                              f.out,
                              PlanOptions{f.allow_device_mismatch, std::nullopt}};
  } else if (!f.inventory.empty() || !f.mac.empty()) {
    return Because(
        "--inventory DIR needs --fleet FLEET, --enroll ENROLLMENT, or -f DESIRED with --mac "
        "MAC");
  } else {
    return Because(
        "plan needs -f DESIRED (one Mac), --fleet FLEET --inventory DIR, or "
        "--enroll ENROLLMENT");
  }
  return request;
}

}  // namespace accord
