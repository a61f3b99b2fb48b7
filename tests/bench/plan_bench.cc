// SPDX-License-Identifier: Apache-2.0
// Benchmark: plan N users with N changes (N = 2,000 by default) and print
// the time of each stage next to what yaml-cpp alone takes to load the same
// desired-state file. It also runs N/2 and 2N, so that growth is visible:
// linear work doubles with N, quadratic work quadruples. A second scenario
// plans the deletion of every account of a partly known Mac (FileVault sync
// and escrow unknown, as a real Mac shows them), where every step is refused
// and every refusal names unknowns. A third renders one plan of 5N users
// as text and as (streamed) JSON, in time and peak memory; a fourth plans a
// fleet of 5N Macs from osquery result lines (fleet_bench.cc). It measures;
// the tests assert behaviour.
//
//   accord_bench [N] [repetitions]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "bench/bench.h"
#include "load/desired_loader.h"
#include "load/yaml_tree.h"
#include "model/snapshot_codec.h"
#include "plan/planner.h"
#include "render/json_render.h"
#include "render/text_render.h"

namespace {

using accord::bench::ChildPeakMiB;
using accord::bench::MedianMs;

struct Scenario {
  std::string yaml;
  std::string json;
};

// N/2 existing accounts each get a change (shell, role or token); N/2 new
// accounts are created from a UID range: N changes in all, plus token grants.
Scenario Make(int n) {
  Scenario s;
  s.yaml =
      "accord: 1\nuid_ranges:\n  people: {first: 501, last: 2000000}\n"
      "authority:\n  user: u0\n  password: {env: AUTH}\nusers:\n";
  s.json = "{\"accord_device\": 1, \"name\": \"bench\", \"os_version\": \"14.5\", \"users\": [\n";
  for (int i = 0; i < n; ++i) {
    std::string name = "u" + std::to_string(i);
    bool existing = i < n / 2;
    if (existing) {
      s.json += std::string(i ? ",\n" : "") + "{\"name\": \"" + name +
                "\", \"uid\": " + std::to_string(501 + i) + ", \"full_name\": \"User " +
                std::to_string(i) + "\", \"shell\": \"/bin/bash\", \"home\": \"/Users/" + name +
                "\", \"hidden\": false, \"admin\": " + (i % 10 == 0 ? "true" : "false") +
                ", \"secure_token\": " + (i % 10 == 0 ? "true" : "false") +
                ", \"filevault_password_in_sync\": true, \"keychain_in_sync\": true}";
      s.yaml += "  " + name + ": {shell: /bin/zsh}\n";
    } else {
      s.yaml += "  " + name + ": {full_name: New " + std::to_string(i) +
                ", uid_range: people, password: {env: P" + std::to_string(i) +
                "}, secure_token: true}\n";
    }
  }
  s.json +=
      "],\n \"homes\": [], \"filevault\": {\"status\": \"on\", \"recovery_key_escrowed\": "
      "true}}\n";
  return s;
}

// N token holders whose FileVault sync is unknown, FileVault on, escrow
// unknown; the file deletes them all: N refusals, each naming unknowns.
Scenario MakePartlyKnown(int n) {
  Scenario s;
  s.yaml = "accord: 1\nusers:\n";
  s.json = "{\"accord_device\": 1, \"name\": \"bench\", \"users\": [\n";
  for (int i = 0; i < n; ++i) {
    std::string name = "u" + std::to_string(i);
    s.json += std::string(i ? ",\n" : "") + "{\"name\": \"" + name +
              "\", \"uid\": " + std::to_string(501 + i) +
              ", \"admin\": " + (i < 5 ? "true" : "false") +
              ", \"secure_token\": true, \"filevault_password_in_sync\": null}";
    s.yaml += "  " + name + ": {ensure: absent}\n";
  }
  s.json +=
      "],\n \"homes\": [], \"filevault\": {\"status\": \"on\", \"recovery_key_escrowed\": "
      "null}}\n";
  return s;
}

int Run(int n, int repetitions) {
  Scenario s = Make(n);
  std::size_t steps = 0;
  double yaml_only = MedianMs(repetitions, [&] {
    if (accord::ParseYamlOnlyForBenchmark(s.yaml) != 1) std::abort();
  });
  double load = MedianMs(repetitions, [&] {
    if (!accord::LoadDesiredState(s.yaml, "bench.yaml").ok()) std::abort();
  });
  double observe = MedianMs(repetitions, [&] {
    if (!accord::ParseSnapshot(s.json, "bench.json").ok()) std::abort();
  });
  accord::DesiredState desired = accord::LoadDesiredState(s.yaml, "bench.yaml").value();
  accord::DeviceState device = accord::ParseSnapshot(s.json, "bench.json").value();
  double plan = MedianMs(repetitions, [&] {
    accord::Result<accord::Plan> p = accord::MakePlan(desired, device);
    if (!p.ok()) std::abort();
    steps = p.value().changes.size();
  });
  std::printf(
      "%6d users %6zu steps | yaml-cpp alone %8.2f ms | load %8.2f ms | snapshot %8.2f ms "
      "| resolve+diff+check %8.2f ms\n",
      n, steps, yaml_only, load, observe, plan);
  return 0;
}

void RunPartlyKnown(int n, int repetitions) {
  Scenario s = MakePartlyKnown(n);
  accord::DesiredState desired = accord::LoadDesiredState(s.yaml, "bench.yaml").value();
  accord::DeviceState device = accord::ParseSnapshot(s.json, "bench.json").value();
  int refused = 0;
  double plan = MedianMs(repetitions, [&] {
    accord::Result<accord::Plan> p = accord::MakePlan(desired, device);
    if (!p.ok()) std::abort();
    refused = accord::Summarize(p.value()).refused;
  });
  std::printf(
      "%6d users, partly known | %6d refusals naming unknowns | resolve+diff+check %8.2f ms\n", n,
      refused, plan);
}

// One Mac with N users, all changed: the JSON plan beside the text plan,
// each written to a discarding stream, in time and in peak memory.
void RunRender(int n, int repetitions) {
  Scenario s = Make(n);
  accord::DesiredState desired = accord::LoadDesiredState(s.yaml, "bench.yaml").value();
  accord::DeviceState device = accord::ParseSnapshot(s.json, "bench.json").value();
  accord::Plan plan = accord::MakePlan(desired, device).value();
  std::ofstream null("/dev/null");
  auto text = [&] { null << accord::RenderPlanText(plan, accord::TextStyle{}); };
  auto json = [&] { accord::WritePlanJson(plan, null); };
  double text_ms = MedianMs(repetitions, text);
  double json_ms = MedianMs(repetitions, json);
  double base = ChildPeakMiB([] {});
  double text_mib = ChildPeakMiB(text) - base;
  double json_mib = ChildPeakMiB(json) - base;
  std::printf(
      "%6d users, one plan | text %8.2f ms, +%6.1f MiB | json (streamed) %8.2f ms, +%6.1f MiB\n", n,
      text_ms, text_mib, json_ms, json_mib);
}

}  // namespace

namespace accord::bench {

double MedianMs(int repetitions, const std::function<void()>& work) {
  std::vector<double> times;
  for (int r = 0; r < repetitions; ++r) {
    auto start = std::chrono::steady_clock::now();
    work();
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// Peak memory of `work` run in a child process (so that it is the work's
// own, not the benchmark's so far), in MiB, from the child's rusage
// (ru_maxrss: KiB on Linux, bytes on macOS).
double ChildPeakMiB(const std::function<void()>& work) {
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    work();
    std::_Exit(0);
  }
  int status = 0;
  struct rusage usage {};
  if (pid < 0 || ::wait4(pid, &status, 0, &usage) != pid) return -1;
#ifdef __APPLE__
  return static_cast<double>(usage.ru_maxrss) / (1024.0 * 1024.0);
#else
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
#endif
}

}  // namespace accord::bench

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "--floor-yaml-json") {
    return accord::bench::FloorYamlJson(args[1], args[2]);
  }
  if (args.size() == 2 && args[0] == "--floor-lines") return accord::bench::FloorLines(args[1]);
  if (!args.empty() && args[0] == "--scale") {
    // accord_bench --scale [USERS [MACS... [--runs R]]]
    int users = args.size() > 1 ? std::atoi(args[1].c_str()) : 10000;
    std::vector<long> fleets;
    int runs = 3;
    for (std::size_t i = 2; i < args.size(); ++i) {
      if (args[i] == "--runs" && i + 1 < args.size()) {
        runs = std::atoi(args[++i].c_str());
      } else {
        fleets.push_back(std::atol(args[i].c_str()));
      }
    }
    if (args.size() <= 2) fleets = {10000, 100000};
    if (users < 2 || runs < 1) return 1;
    return accord::bench::RunScale(argv[0], users, fleets, runs);
  }
  int n = argc > 1 ? std::atoi(argv[1]) : 2000;
  int repetitions = argc > 2 ? std::atoi(argv[2]) : 5;
  if (n < 2 || repetitions < 1) {
    std::fprintf(stderr, "usage: accord_bench [users >= 2] [repetitions >= 1]\n");
    return 1;
  }
  std::printf("accord_bench: median of %d runs (%zu-byte desired state at N=%d)\n", repetitions,
              Make(n).yaml.size(), n);
  for (int size : {n / 2, n, 2 * n}) Run(size, repetitions);
  for (int size : {n / 2, n, 2 * n}) RunPartlyKnown(size, repetitions);
  RunRender(5 * n, repetitions);                // 10,000 users at the default N
  accord::bench::RunFleet(5 * n, repetitions);  // 10,000 Macs at the default N
  return 0;
}
