// SPDX-License-Identifier: Apache-2.0
// Prediction: what enrolling a Mac will do to its accounts (`plan
// --enroll`), beside a Plan rather than inside one. Its events are made by
// the agent and the MDM in their own order, never run by Accord; each is
// one or more steps on the device model, judged by the same rules as a
// plan's. Then a verdict: ready, ready with warnings, or not ready, each
// reason with its fix.
#pragma once

#include <string>
#include <vector>

#include "model/device_state.h"
#include "model/plan.h"

namespace accord {

enum class EventKind { kAgentInstall, kMdmEnrollment, kBinding, kFileVaultPolicy, kAgentRemoval };

// "agent-install", "mdm-enrollment", "binding", "filevault-policy",
// "agent-removal": the JSON's names.
const char* ToString(EventKind kind);

// One step of an enrollment event: the change it makes, in the order made.
struct EventStep {
  EventKind kind = EventKind::kAgentInstall;
  Change change;
  bool operator==(const EventStep&) const = default;
};

enum class Verdict { kReady, kReadyWithWarnings, kNotReady };

struct ReadinessReason {
  std::string kind;   // "refused", "blocked", or a warning's kind ("bind-name-case")
  std::string event;  // the event's step id; empty for the Mac as a whole
  std::string message;
  std::string fix;
  bool operator==(const ReadinessReason&) const = default;
};

struct Readiness {
  Verdict verdict = Verdict::kReady;
  std::vector<ReadinessReason> reasons;  // the refusals and blocks first, then warnings
  bool operator==(const Readiness&) const = default;
};

struct Prediction {
  std::string enrollment_file;
  std::string device_source;
  Known<std::string> device_name;
  Known<std::string> os_version;
  std::vector<EventStep> steps;
  std::vector<Finding> findings;
  Readiness readiness;
  bool operator==(const Prediction&) const = default;
};

PlanSummary Summarize(const Prediction& prediction);

const char* ToString(Verdict verdict);  // "ready", "ready-with-warnings", "not-ready"

}  // namespace accord
