// SPDX-License-Identifier: Apache-2.0
// Shared test helpers.
#include "support/test_support.h"

#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cli/cli.h"
#include "core/version.h"
#include "load/desired_loader.h"
#include "model/snapshot_codec.h"
#include "plan/planner.h"
#include "support/catch.h"

namespace accord::test {

std::string SourcePath(const std::string& relative) {
  return std::string(ACCORD_SOURCE_DIR) + "/" + relative;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string Corpus(const std::string& name) {
  std::string text = ReadFile(SourcePath("tests/providers/macos/corpus/" + name));
  while (text.rfind("# ", 0) == 0) text.erase(0, text.find('\n') + 1);
  return text;
}

void SetModified(const std::string& path, const std::string& utc) {
  std::tm tm{};
  REQUIRE(::strptime(utc.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) != nullptr);
  const struct timeval both[2] = {{::timegm(&tm), 0}, {::timegm(&tm), 0}};
  REQUIRE(::utimes(path.c_str(), both) == 0);
}

void WriteSecretFile(const std::string& path, const std::string& text) {
  WriteFile(path, text);
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("accord-test-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

CliRun RunAccord(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, bool terminal,
                 const std::optional<std::string>& input, ThisMac* mac) {
  std::ostringstream out;
  std::ostringstream err;
  std::istringstream in(input.value_or(""));
  Io io{out,
        err,
        terminal,
        [&env](const std::string& name) -> std::optional<std::string> {
          auto it = env.find(name);
          if (it == env.end()) return std::nullopt;
          return it->second;
        },
        input ? &in : nullptr,
        mac,
        terminal};
  // Paths in plans are printed as given: run from the source root so that
  // golden output does not depend on where the build lives.
  struct InSourceDir {
    std::filesystem::path previous = std::filesystem::current_path();
    InSourceDir() { std::filesystem::current_path(ACCORD_SOURCE_DIR); }
    ~InSourceDir() { std::filesystem::current_path(previous); }
  } in_source_dir;  // restored even when a test's fake Mac "kills" the run
  int status = RunCli(args, io);
  return {status, out.str(), err.str()};
}

std::string WithoutVersion(std::string text) {
  const std::string version = AccordVersion();
  for (std::size_t at = text.find(version); at != std::string::npos; at = text.find(version, at)) {
    text.replace(at, version.size(), kVersionPlaceholder);
  }
  return text;
}

void CompareGolden(const std::string& golden, const std::string& raw) {
  // Goldens outlive commits: the version every JSON document carries is
  // compared as a placeholder.
  const std::string actual = WithoutVersion(raw);
  const std::string path = SourcePath("tests/cli/golden/" + golden);
  if (std::getenv("ACCORD_UPDATE_GOLDEN")) {
    WriteFile(path, actual);
    return;
  }
  INFO("golden file " << golden << " (ACCORD_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(std::filesystem::exists(path));
  CHECK(ReadFile(path) == actual);
}

DesiredState Desired(const std::string& yaml) {
  Result<DesiredState> r = LoadDesiredState(yaml, "test.yaml");
  if (!r.ok()) throw std::runtime_error("desired state did not load:\n" + Messages(r));
  return std::move(r).value();
}

Plan PlanOf(const std::string& yaml, const std::string& snapshot) {
  Result<Plan> p = MakePlan(Desired(yaml), Device(snapshot));
  if (!p.ok()) throw std::runtime_error("no plan:\n" + Messages(p));
  return std::move(p).value();
}

DeviceState Device(const std::string& json) {
  Result<DeviceState> r = ParseSnapshot(json, "test.json");
  if (!r.ok()) throw std::runtime_error("snapshot did not parse:\n" + Messages(r));
  return std::move(r).value();
}

std::vector<std::string> Steps(const Plan& plan) {
  std::vector<std::string> out;
  for (const Change& c : plan.changes) {
    std::string s = c.Id() + " " + ToString(c.outcome);
    if (c.rule) s += std::string("[") + RuleId(*c.rule) + "]";
    out.push_back(s);
  }
  return out;
}

}  // namespace accord::test
