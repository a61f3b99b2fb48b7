// SPDX-License-Identifier: Apache-2.0
// Shared by the benchmark's scenarios: medians of repeated runs, and peak
// memory measured in a child process.
#pragma once

#include <functional>

namespace accord::bench {

double MedianMs(int repetitions, const std::function<void()>& work);
// Peak memory of `work` run in a child process, in MiB (including the
// process's own baseline: subtract ChildPeakMiB([] {})).
double ChildPeakMiB(const std::function<void()>& work);

// A generated fleet of `macs` Macs as osquery result lines, planned with
// three layers, next to parsing the same lines as JSON.
void RunFleet(int macs, int repetitions);

}  // namespace accord::bench
