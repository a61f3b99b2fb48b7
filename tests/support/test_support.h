// SPDX-License-Identifier: Apache-2.0
// Helpers shared by tests: the source tree, files, the CLI run in-process,
// and scenario builders in Accord's own YAML and snapshot formats.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/desired_state.h"
#include "model/device_state.h"
#include "model/plan.h"

namespace accord {
struct ThisMac;
}

namespace accord::test {

std::string SourcePath(const std::string& relative);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& text);

// A real output of the corpus (tests/providers/macos/corpus/NAME), without
// the "# source:" and "# note:" lines that open it.
std::string Corpus(const std::string& name);

// Sets a file's modification time to a timestamp of Accord's format
// ("2026-11-28T09:00:00Z").
void SetModified(const std::string& path, const std::string& utc);
// A file only its owner can read (mode 0600), as Accord demands of secrets.
void WriteSecretFile(const std::string& path, const std::string& text);

// A fresh, empty directory under the system temp dir for one test.
std::string TempDir(const std::string& name);

struct CliRun {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs the CLI in-process, as if from the source root, with `env` as the
// whole environment.
// `input` is what the user types at prompts (none: stdin is closed).
// `mac`, when given, is the Mac the CLI runs on (a fake one).
CliRun RunAccord(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = {}, bool terminal = false,
                 const std::optional<std::string>& input = std::nullopt, ThisMac* mac = nullptr);

// Compares `actual` with tests/cli/golden/`golden`, or rewrites the golden
// file when ACCORD_UPDATE_GOLDEN is set (after a deliberate change). This
// build's version (release+commit) is compared as kVersionPlaceholder.
void CompareGolden(const std::string& golden, const std::string& actual);
inline constexpr const char* kVersionPlaceholder = "<version>";
// `text` with this build's version replaced by kVersionPlaceholder.
std::string WithoutVersion(std::string text);

// Loads desired state from YAML text; fails the test with the diagnostics if
// it does not load.
DesiredState Desired(const std::string& yaml);
// Parses a snapshot from JSON text; fails the test if it does not parse.
DeviceState Device(const std::string& json);
// The whole plan for a desired state (YAML) and a snapshot (JSON); fails
// the test if either does not load or no plan can be made.
Plan PlanOf(const std::string& yaml, const std::string& snapshot);
// "id outcome[rule]" for every step, in plan order.
std::vector<std::string> Steps(const Plan& plan);

// All diagnostics of `result` formatted, one per line ("" when ok).
template <typename T>
std::string Messages(const Result<T>& result) {
  std::string out;
  if (!result.ok()) {
    for (const Diagnostic& d : result.errors()) out += FormatDiagnostic(d) + "\n";
  }
  return out;
}

}  // namespace accord::test
