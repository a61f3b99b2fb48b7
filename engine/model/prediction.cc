// SPDX-License-Identifier: Apache-2.0
// Names and counts of a prediction.
#include "model/prediction.h"

namespace accord {

const char* ToString(EventKind kind) {
  switch (kind) {
    case EventKind::kAgentInstall: return "agent-install";
    case EventKind::kMdmEnrollment: return "mdm-enrollment";
    case EventKind::kBinding: return "binding";
    case EventKind::kFileVaultPolicy: return "filevault-policy";
    case EventKind::kAgentRemoval: return "agent-removal";
  }
  return "?";
}

PlanSummary Summarize(const Prediction& prediction) {
  PlanSummary s;
  for (const EventStep& e : prediction.steps) Count(e.change, s);
  return s;
}

const char* ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kReady: return "ready";
    case Verdict::kReadyWithWarnings: return "ready-with-warnings";
    case Verdict::kNotReady: return "not-ready";
  }
  return "?";
}

char SignOf(Action action) {
  switch (action) {
    case Action::kCreateUser: return '+';
    case Action::kDeleteUser:
    case Action::kRemoveRecoveryKey: return '-';
    default: return '~';
  }
}

}  // namespace accord
