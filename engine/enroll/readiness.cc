// SPDX-License-Identifier: Apache-2.0
// The verdict of a prediction.
#include "enroll/predict.h"

namespace accord {

Readiness Judge(const Prediction& prediction, std::vector<ReadinessReason> warnings) {
  Readiness r;
  for (const EventStep& e : prediction.steps) {
    const Change& c = e.change;
    if (c.outcome != Outcome::kRefused && c.outcome != Outcome::kBlocked) continue;
    std::string rule = c.rule ? std::string(" [") + RuleId(*c.rule) + "]" : "";
    // The event says what it is; the reason names why it stops.
    r.reasons.push_back({ToString(c.outcome), c.Id(),
                         c.Id() + " is " + ToString(c.outcome) + rule + ": " +
                             (c.outcome_why.empty() ? c.reason : c.outcome_why),
                         c.remedy});
  }
  bool stopped = !r.reasons.empty();
  for (const Finding& f : prediction.findings) {
    if (f.level == FindingLevel::kWarning) r.reasons.push_back({f.kind, "", f.message, ""});
  }
  for (ReadinessReason& w : warnings) r.reasons.push_back(std::move(w));
  r.verdict = stopped             ? Verdict::kNotReady
              : r.reasons.empty() ? Verdict::kReady
                                  : Verdict::kReadyWithWarnings;
  return r;
}

}  // namespace accord
