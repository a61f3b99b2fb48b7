// SPDX-License-Identifier: Apache-2.0
// The fleet benchmark: M Macs as osqueryd result lines (snapshot format,
// Accord's seven queries, six accounts each, a third of them "engineering",
// a tenth named lab-*), planned with a base, an engineering and a lab layer
// on every core: ingest, compose, plan and the summary table, timed next to
// nlohmann/json parsing the very same lines and nothing else, plus the
// peak memory of the whole run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "bench/bench.h"
#include "core/atomic_file.h"
#include "core/text_file.h"
#include "fleet/fleet_plan.h"
#include "inventory/inventory.h"
#include "load/fleet_loader.h"
#include "render/fleet_render.h"

namespace accord::bench {
namespace {

namespace fs = std::filesystem;

std::string Uuid(int i) {
  char buf[40];
  unsigned long long tail = (static_cast<unsigned long long>(i) * 7919ULL) & 0xFFFFFFFFFFFFULL;
  std::snprintf(buf, sizeof buf, "%08X-0000-4000-8000-%012llX", static_cast<unsigned>(i), tail);
  return buf;
}

std::string Line(const std::string& uuid, const std::string& labels, const std::string& query,
                 const std::string& rows) {
  return R"({"name":"pack/accord/accord_)" + query + R"(","hostIdentifier":")" + uuid +
         R"(","calendarTime":"Fri Nov 28 12:00:00 2025 UTC","unixTime":1764331200,"epoch":0,)"
         R"("counter":0,"numerics":false,"decorations":{"host_uuid":")" +
         uuid + R"(","labels":")" + labels + R"("},"action":"snapshot","snapshot":[)" + rows +
         "]}\n";
}

std::string GenerateInventory(int macs) {
  std::string out;
  for (int m = 0; m < macs; ++m) {
    std::string uuid = Uuid(m);
    std::string name = (m % 10 == 0 ? "lab-" : "mac-") + std::to_string(m);
    std::string labels = m % 3 == 0 ? "engineering" : "";
    out += Line(uuid, labels, "system_info",
                R"({"hardware_uuid":")" + uuid + R"(","hardware_serial":"C02)" + std::to_string(m) +
                    R"(","computer_name":")" + name + R"(","hostname":")" + name +
                    R"(.local","os_version":"15.1"})");
    std::string users, admins, crypto, homes;
    for (int u = 0; u < 6; ++u) {
      std::string user = u == 0 ? "itadmin" : "user" + std::to_string(u);
      std::string uid = std::to_string(501 + u);
      std::string guid = Uuid(m * 8 + u + 1000000);
      std::string sep = u ? "," : "";
      users += sep + R"({"username":")" + user + R"(","uid":")" + uid +
               R"(","gid":"20","description":"User )" + uid + R"(","directory":"/Users/)" + user +
               R"(","shell":"/bin/zsh","uuid":")" + guid + R"(","is_hidden":"0"})";
      if (u < 2) admins += sep + R"({"username":")" + user + R"("})";
      if (u < 2) {
        crypto += sep + R"({"device_identifier":"disk3s5","crypto_user_uuid":")" + guid +
                  R"(","type":"LocalOpenDirectory","volume_owner":"1"})";
      }
      homes += sep + R"({"path":"/Users/)" + user + R"(","uid":")" + uid + R"("})";
    }
    out += Line(uuid, labels, "users", users);
    out += Line(uuid, labels, "admins", admins);
    out += Line(
        uuid, labels, "disk_encryption",
        R"({"name":"/dev/disk3s5","encrypted":"1","encryption_status":"encrypted","filevault_status":"on"})");
    out += Line(uuid, labels, "apfs_crypto_users", crypto);
    out += Line(uuid, labels, "homes", homes);
  }
  return out;
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  if (!WriteFileAtomically(path.string(), text).ok()) std::abort();
}

}  // namespace

void RunFleet(int macs, int repetitions) {
  fs::path dir = fs::temp_directory_path() / ("accord-fleet-bench-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::string log = GenerateInventory(macs);
  Write(dir / "inventory" / "osqueryd.results.log", log);
  Write(dir / "fleet.yaml",
        "accord_fleet: 1\nlayers:\n  - {file: base.yaml, select: all}\n"
        "  - {file: engineering.yaml, select: {labels: [engineering]}}\n"
        "  - {file: lab.yaml, select: {names: [\"lab-*\"]}}\n");
  Write(dir / "base.yaml",
        "accord: 1\nusers:\n  itadmin: {role: admin, secure_token: true}\n"
        "filevault: {enabled: true}\n");
  Write(dir / "engineering.yaml",
        "accord: 1\nusers:\n  user1: {shell: /bin/bash}\n  builder: {full_name: Builder, "
        "password: {env: B}}\n");
  Write(dir / "lab.yaml", "accord: 1\nusers:\n  user5: {ensure: absent}\n");

  auto parse_only = [&] {
    std::size_t from = 0;
    std::size_t objects = 0;
    while (from < log.size()) {
      std::size_t nl = log.find('\n', from);
      objects += nlohmann::json::parse(log.begin() + static_cast<std::ptrdiff_t>(from),
                                       log.begin() + static_cast<std::ptrdiff_t>(nl))
                     .size();
      from = nl + 1;
    }
    if (objects == 0) std::abort();
  };
  std::size_t changing = 0;
  auto whole = [&] {
    Fleet fleet = LoadFleetFile((dir / "fleet.yaml").string()).value();
    FleetLayers layers = ReadLayers(std::move(fleet));
    accord::Inventory inventory =
        ReadInventory((dir / "inventory").string(), accord::InventoryMode::kLazy);
    FleetPlan plan = PlanFleet(layers, inventory.macs,
                               std::max(1u, std::thread::hardware_concurrency()), nullptr);
    FleetReport report = ReportOf(plan, "fleet.yaml");
    std::string table = RenderFleetTable(report);
    changing = static_cast<std::size_t>(Summarize(report).changing);
    if (!inventory.errors.empty() || inventory.macs.size() != static_cast<std::size_t>(macs) ||
        Summarize(report).errors != 0 || table.empty()) {
      std::abort();
    }
  };
  // Alternated, so that both see the same machine (a shared VM's speed
  // drifts), each the median of its runs.
  std::vector<double> parse_runs;
  std::vector<double> whole_runs;
  for (int r = 0; r < repetitions; ++r) {
    parse_runs.push_back(MedianMs(1, parse_only));
    whole_runs.push_back(MedianMs(1, whole));
  }
  std::sort(parse_runs.begin(), parse_runs.end());
  std::sort(whole_runs.begin(), whole_runs.end());
  double parse_ms = parse_runs[parse_runs.size() / 2];
  double whole_ms = whole_runs[whole_runs.size() / 2];
  double base = ChildPeakMiB([] {});
  double whole_mib = ChildPeakMiB(whole) - base;
  std::printf(
      "%6d Macs, %5.1f MB of osquery results | JSON parse alone %8.1f ms | ingest+compose+plan+"
      "table %8.1f ms (%.2fx), +%6.1f MiB peak, %u threads, %zu Macs to change\n",
      macs, static_cast<double>(log.size()) / 1e6, parse_ms, whole_ms, whole_ms / parse_ms,
      whole_mib, std::max(1u, std::thread::hardware_concurrency()), changing);
  if (!std::getenv("ACCORD_BENCH_KEEP")) fs::remove_all(dir);
}

}  // namespace accord::bench
