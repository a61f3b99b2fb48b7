// SPDX-License-Identifier: Apache-2.0
// Shared by the benchmark's scenarios: medians of repeated runs, and peak
// memory measured in a child process.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace accord::bench {

double MedianMs(int repetitions, const std::function<void()>& work);
// Peak memory of `work` run in a child process, in MiB (including the
// process's own baseline: subtract ChildPeakMiB([] {})).
double ChildPeakMiB(const std::function<void()>& work);

// A generated fleet of `macs` Macs as osquery result lines, planned with
// three layers, next to parsing the same lines as JSON.
void RunFleet(int macs, int repetitions);

// accord_bench --scale (scale_bench.cc): whole `accord` processes beside
// the floor's processes; `self` is this benchmark's path.
int RunScale(const std::string& self, int users, const std::vector<long>& fleets, int repetitions);
// The floors, as processes of their own: yaml-cpp's Load of a YAML file and
// nlohmann/json's parse of a JSON file; nlohmann/json's parse of each line.
int FloorYamlJson(const std::string& yaml, const std::string& json);
int FloorLines(const std::string& log);

}  // namespace accord::bench
