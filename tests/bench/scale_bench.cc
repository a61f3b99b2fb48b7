// SPDX-License-Identifier: Apache-2.0
// `accord_bench --scale`: Accord as users run it, whole processes side by
// side with the floor, the least any tool must do with the same bytes:
//   - `accord plan -f` of one Mac with N users (N changes) beside a process
//     that reads the same two files and parses them (yaml-cpp's Load of the
//     YAML, nlohmann/json of the snapshot);
//   - `accord plan --fleet` of M Macs in stock osqueryd result lines (the
//     `_` pack delimiter, system accounts, several volume rows) beside a
//     process that parses every line with nlohmann/json.
// Runs alternate (floor, Accord, floor, …) so both see the same machine;
// each figure is the median of the runs: CPU time (user + system), wall
// time and peak memory (ru_maxrss), and Accord's over the floor's.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench.h"
#include "load/yaml_tree.h"

namespace accord::bench {
namespace {

namespace fs = std::filesystem;

struct Usage {
  double cpu_s = 0;
  double wall_s = 0;
  double mib = 0;
};

// Runs `argv` as a child process; its CPU time, wall time and peak memory.
Usage RunProcess(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::fflush(nullptr);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid == 0) {
    if (!std::freopen("/dev/null", "w", stdout)) std::_Exit(127);
    ::execv(args[0], args.data());
    std::_Exit(127);
  }
  int status = 0;
  struct rusage r {};
  if (pid < 0 || ::wait4(pid, &status, 0, &r) != pid || !WIFEXITED(status) ||
      (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 2 && WEXITSTATUS(status) != 3)) {
    std::fprintf(stderr, "accord_bench: %s failed (status %d)\n", argv[0].c_str(), status);
    std::exit(1);
  }
  Usage u;
  u.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  u.cpu_s = static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
            static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
#ifdef __APPLE__
  u.mib = static_cast<double>(r.ru_maxrss) / (1024.0 * 1024.0);
#else
  u.mib = static_cast<double>(r.ru_maxrss) / 1024.0;
#endif
  return u;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void Compare(const std::string& work, const std::vector<std::string>& accord,
             const std::vector<std::string>& floor, int repetitions) {
  std::vector<Usage> a;
  std::vector<Usage> f;
  for (int r = 0; r < repetitions; ++r) {
    f.push_back(RunProcess(floor));
    a.push_back(RunProcess(accord));
  }
  auto med = [](const std::vector<Usage>& runs, double Usage::*field) {
    std::vector<double> v;
    for (const Usage& u : runs) v.push_back(u.*field);
    return Median(v);
  };
  double ac = med(a, &Usage::cpu_s), aw = med(a, &Usage::wall_s), am = med(a, &Usage::mib);
  double fc = med(f, &Usage::cpu_s), fw = med(f, &Usage::wall_s), fm = med(f, &Usage::mib);
  std::printf(
      "%-34s | accord %7.2f s cpu %7.2f s wall %7.1f MiB | floor %7.2f s cpu %7.2f s wall "
      "%7.1f MiB | %.2fx cpu %.2fx wall %.2fx memory\n",
      work.c_str(), ac, aw, am, fc, fw, fm, ac / fc, aw / fw, am / fm);
  std::fflush(stdout);
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) std::abort();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Uuid(long i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%08lX-5C1A-4E00-8000-%012lX", static_cast<unsigned long>(i),
                static_cast<unsigned long>(i) * 7919UL & 0xFFFFFFFFFFFFUL);
  return buf;
}

// One stock osqueryd snapshot line: pack "accord", delimiter "_".
void Line(std::string& out, const std::string& uuid, const std::string& query,
          const std::string& rows) {
  out += R"({"name":"pack_accord_accord_)" + query + R"(","hostIdentifier":")" + uuid +
         R"(","calendarTime":"Fri Dec  4 12:00:00 2026 UTC","unixTime":1796385600,"epoch":0,)"
         R"("counter":0,"numerics":false,"decorations":{"host_uuid":")" +
         uuid + R"("},"action":"snapshot","snapshot":[)" + rows + "]}\n";
}

// System accounts as every Mac's users table lists them (a few of its
// many), then six people; the admin group; every APFS volume's
// disk_encryption row (only the Data volume's has the user); tokens.
void AppendMac(std::string& out, long m) {
  const std::string uuid = Uuid(m);
  const std::string name = (m % 10 == 0 ? "lab-" : "mac-") + std::to_string(m);
  Line(out, uuid, "system_info",
       R"({"hardware_uuid":")" + uuid + R"(","hardware_serial":"C02X)" + std::to_string(m) +
           R"(","computer_name":")" + name + R"(","hostname":")" + name +
           R"(.local","os_version":"15.1"})");
  struct Account {
    const char* name;
    const char* uid;
    const char* home;
    const char* shell;
  };
  static const Account kSystem[] = {
      {"root", "0", "/var/root", "/bin/sh"},
      {"daemon", "1", "/var/root", "/usr/bin/false"},
      {"nobody", "4294967294", "/var/empty", "/usr/bin/false"},
      {"_mbsetupuser", "248", "/var/setup", "/bin/bash"},
      {"_www", "70", "/Library/WebServer", "/usr/bin/false"},
      {"_spotlight", "89", "/var/empty", "/usr/bin/false"},
      {"_windowserver", "88", "/var/empty", "/usr/bin/false"},
      {"_softwareupdate", "200", "/var/db/softwareupdate", "/usr/bin/false"}};
  std::string users;
  std::string admins;
  std::string crypto;
  std::string homes;
  for (const Account& a : kSystem) {
    users += std::string(users.empty() ? "" : ",") + R"({"username":")" + a.name + R"(","uid":")" +
             a.uid + R"(","gid":"-1","description":"System","directory":")" + a.home +
             R"(","shell":")" + a.shell + R"(","uuid":"FFFFEEEE-DDDD-CCCC-BBBB-AAAA000000)" +
             std::string(a.uid).substr(0, 2) + R"(","is_hidden":"1"})";
  }
  admins += R"({"username":"root"})";
  for (int u = 0; u < 6; ++u) {
    std::string user = u == 0 ? "itadmin" : "user" + std::to_string(u);
    std::string uid = std::to_string(501 + u);
    std::string guid = Uuid(m * 8 + u + 1000000000L);
    users += R"(,{"username":")" + user + R"(","uid":")" + uid +
             R"(","gid":"20","description":"User )" + uid + R"(","directory":"/Users/)" + user +
             R"(","shell":"/bin/zsh","uuid":")" + guid + R"(","is_hidden":"0"})";
    if (u < 2) {
      admins += R"(,{"username":")" + user + R"("})";
      crypto += std::string(crypto.empty() ? "" : ",") +
                R"({"device_identifier":"disk3s5","crypto_user_uuid":")" + guid +
                R"(","type":"LocalOpenDirectory","volume_owner":"1"})";
    }
    homes += std::string(homes.empty() ? "" : ",") + R"({"path":"/Users/)" + user + R"(","uid":")" +
             uid + R"("})";
  }
  Line(out, uuid, "users", users);
  Line(out, uuid, "admins", admins);
  Line(
      out, uuid, "disk_encryption",
      R"({"name":"/dev/disk3s1","uuid":"A1","encrypted":"0","type":"APFS","encryption_status":"not encrypted","filevault_status":"off","user_uuid":""},)"
      R"({"name":"/dev/disk3s5","uuid":"A5","encrypted":"1","type":"APFS Encryption","encryption_status":"encrypted","filevault_status":"on","user_uuid":"x"},)"
      R"({"name":"/dev/disk1s2","uuid":"B2","encrypted":"0","type":"APFS","encryption_status":"not encrypted","filevault_status":"off","user_uuid":""})");
  Line(out, uuid, "apfs_crypto_users", crypto);
  Line(out, uuid, "homes", homes);
}

// One Mac with `n` users, `n` changes (as plan_bench.cc's Make).
void WriteUsers(const fs::path& dir, int n) {
  std::string yaml =
      "accord: 1\nuid_ranges:\n  people: {first: 501, last: 2000000}\n"
      "authority:\n  user: u0\n  password: {env: AUTH}\nusers:\n";
  std::string json =
      "{\"accord_device\": 1, \"name\": \"bench\", \"os_version\": \"14.5\", \"users\": [\n";
  for (int i = 0; i < n; ++i) {
    std::string name = "u" + std::to_string(i);
    if (i < n / 2) {
      json += std::string(i ? ",\n" : "") + "{\"name\": \"" + name +
              "\", \"uid\": " + std::to_string(501 + i) + ", \"full_name\": \"User " +
              std::to_string(i) + "\", \"shell\": \"/bin/bash\", \"home\": \"/Users/" + name +
              "\", \"hidden\": false, \"admin\": " + (i % 10 == 0 ? "true" : "false") +
              ", \"secure_token\": " + (i % 10 == 0 ? "true" : "false") +
              ", \"filevault_password_in_sync\": true, \"keychain_in_sync\": true}";
      yaml += "  " + name + ": {shell: /bin/zsh}\n";
    } else {
      yaml += "  " + name + ": {full_name: New " + std::to_string(i) +
              ", uid_range: people, password: {env: P" + std::to_string(i) +
              "}, secure_token: true}\n";
    }
  }
  json +=
      "],\n \"homes\": [], \"filevault\": {\"status\": \"on\", \"recovery_key_escrowed\": "
      "true}}\n";
  Write(dir / "desired.yaml", yaml);
  Write(dir / "device.json", json);
}

void WriteFleet(const fs::path& dir, long macs) {
  fs::create_directories(dir / "inventory");
  std::ofstream log(dir / "inventory" / "osqueryd.results.log", std::ios::binary);
  std::string chunk;
  for (long m = 0; m < macs; ++m) {
    AppendMac(chunk, m);
    if (chunk.size() > (1 << 20)) {
      log << chunk;
      chunk.clear();
    }
  }
  log << chunk;
  Write(dir / "fleet.yaml",
        "accord_fleet: 1\nlayers:\n  - {file: base.yaml, select: all}\n"
        "  - {file: lab.yaml, select: {names: [\"lab-*\"]}}\n");
  Write(dir / "base.yaml",
        "accord: 1\nusers:\n  itadmin: {role: admin, secure_token: true}\n"
        "filevault: {enabled: true}\n");
  Write(dir / "lab.yaml", "accord: 1\nusers:\n  user5: {ensure: absent}\n");
}

}  // namespace

// The floors, run as their own processes by RunScale.
int FloorYamlJson(const std::string& yaml, const std::string& json) {
  std::size_t docs = ParseYamlOnlyForBenchmark(ReadAll(yaml));
  nlohmann::json snapshot = nlohmann::json::parse(ReadAll(json));
  return docs == 1 && snapshot.is_object() ? 0 : 1;
}

int FloorLines(const std::string& log) {
  std::ifstream in(log, std::ios::binary);
  std::size_t objects = 0;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) objects += nlohmann::json::parse(line).size();
  }
  return objects > 0 ? 0 : 1;
}

int RunScale(const std::string& self, int users, const std::vector<long>& fleets, int repetitions) {
  const std::string accord = (fs::path(self).parent_path() / "accord").string();
  fs::path dir = fs::temp_directory_path() / ("accord-scale-" + std::to_string(::getpid()));
  std::printf("accord_bench --scale: medians of %d alternating runs, whole processes\n",
              repetitions);
  WriteUsers(dir / "users", users);
  Compare(std::to_string(users) + " users, one Mac (plan -f)",
          {accord, "plan", "-f", (dir / "users/desired.yaml").string(), "--device",
           (dir / "users/device.json").string()},
          {self, "--floor-yaml-json", (dir / "users/desired.yaml").string(),
           (dir / "users/device.json").string()},
          repetitions);
  for (long macs : fleets) {
    fs::path f = dir / ("fleet-" + std::to_string(macs));
    WriteFleet(f, macs);
    std::string log = (f / "inventory/osqueryd.results.log").string();
    char work[80];
    std::snprintf(work, sizeof work, "%ld Macs, %.0f MB (plan --fleet)", macs,
                  static_cast<double>(fs::file_size(log)) / 1e6);
    Compare(work,
            {accord, "plan", "--fleet", (f / "fleet.yaml").string(), "--inventory",
             (f / "inventory").string(), "--quiet"},
            {self, "--floor-lines", log}, repetitions);
    if (!std::getenv("ACCORD_BENCH_KEEP")) fs::remove_all(f);
  }
  // ACCORD_BENCH_KEEP=1 keeps the generated files, for profiling.
  if (std::getenv("ACCORD_BENCH_KEEP")) {
    std::printf("kept %s\n", dir.c_str());
  } else {
    fs::remove_all(dir);
  }
  return 0;
}

}  // namespace accord::bench
