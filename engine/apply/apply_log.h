// SPDX-License-Identifier: Apache-2.0
// The record of one apply, as one JSON document (schemas/apply-log.schema.json):
// appended as a line to the apply log on a Mac, printed by `apply --json`.
// It says what ran and how each step was verified; it never holds a secret
// (step ids, outcomes and messages are built from names and references only).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "apply/apply.h"
#include "model/device_state.h"
#include "model/plan.h"

namespace accord {

inline constexpr int kApplyLogFormat = 1;

// The check that the authority's password unlocks the Data volume
// (providers/macos/unlock_check), run once per apply on a Mac.
struct UnlockCheck {
  std::string user;
  bool verified = false;  // the password unlocks the Data volume as this user
  std::string detail;     // what was run and what it said (never the password)
};

struct ApplyLogEntry {
  std::string time;  // UTC, ISO 8601
  std::string mac;   // the Mac's name
  std::string desired_file;
  std::string desired_fingerprint;
  std::string result;  // complete, stopped, stopped_before_first_step, nothing_to_do, cancelled
  std::optional<ApplyReport> report;
  std::vector<std::string> warnings;  // e.g. an ignored local state file
  // What was done before the first step, apart from the plan: the MDM's
  // escrow confirmation recorded, a key file removed.
  std::vector<std::string> before_steps;
  std::optional<UnlockCheck> unlock_check;
  // The accounts and FileVault facts as planned from (before) and as
  // observed again once the steps ran (after; none where no step ran or
  // the Mac could not be read), in the snapshot format: what a fleet's
  // results show of each apply.
  std::optional<DeviceState> before;
  std::optional<DeviceState> after;
};

// One line of JSON (no newline): every plan step with its result, in order.
std::string RenderApplyLog(const ApplyLogEntry& entry, const Plan& plan);

}  // namespace accord
