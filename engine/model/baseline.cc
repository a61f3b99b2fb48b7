// SPDX-License-Identifier: Apache-2.0
// Applying a baseline to a fleet report.
#include "model/baseline.h"

#include <fnmatch.h>

#include "core/names.h"

namespace accord {
namespace {

bool Matches(const Acceptance& a, const MacReport& m, const StoppedStep& c) {
  const bool mac = ToLower(a.mac) == ToLower(m.hardware_uuid) ||
                   (m.name && fnmatch(a.mac.c_str(), m.name->c_str(), 0) == 0);
  return mac && c.rule && *c.rule == a.rule && (a.step.empty() || a.step == c.id);
}

std::string Place(const Baseline& b, const Acceptance& a) {
  return b.file + ":" + std::to_string(a.at.line);
}

}  // namespace

std::vector<std::string> ApplyBaseline(const Baseline& baseline, FleetReport& report) {
  std::vector<bool> used(baseline.accept.size(), false);
  for (MacReport& m : report.macs) {
    for (StoppedStep& c : m.stopped) {
      for (std::size_t i = 0; i < baseline.accept.size() && !c.accepted; ++i) {
        const Acceptance& a = baseline.accept[i];
        if (!Matches(a, m, c)) continue;
        c.accepted = a.reason + " (" + Place(baseline, a) + ")";
        used[i] = true;
      }
    }
  }
  std::vector<std::string> unused;
  for (std::size_t i = 0; i < used.size(); ++i) {
    if (used[i]) continue;
    const Acceptance& a = baseline.accept[i];
    unused.push_back(Place(baseline, a) + ": accepts nothing in this plan (mac " +
                     Printable(a.mac) + ", rule " + a.rule +
                     (a.step.empty() ? "" : ", step " + a.step) +
                     "): remove it once its gap is closed");
  }
  return unused;
}

}  // namespace accord
