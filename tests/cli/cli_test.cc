// SPDX-License-Identifier: Apache-2.0
// The command line: verbs, help, exit codes, colour, and that secrets never
// reach the output.
#include "support/catch.h"
#include "support/test_support.h"

namespace accord {
namespace {

const std::vector<std::string> kPlanTwoUsers = {"plan", "-f", "examples/two-new-users/desired.yaml",
                                                "--device", "examples/two-new-users/device.json"};

std::vector<std::string> With(std::vector<std::string> args, const std::string& extra) {
  args.push_back(extra);
  return args;
}

}  // namespace

TEST_CASE("help works on every verb", "[cli]") {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"validate", "--help"}, {"plan", "--help"}}) {
    test::CliRun run = test::RunAccord(args);
    INFO(args.front());
    CHECK(run.status == 0);
    CHECK(run.out.find("Usage:") != std::string::npos);
  }
  CHECK(test::RunAccord({"plan", "--help"}).out.find("--detailed-exitcode") != std::string::npos);
}

TEST_CASE("usage errors exit 1", "[cli]") {
  CHECK(test::RunAccord({}).status == 1);
  CHECK(test::RunAccord({"frobnicate"}).status == 1);
  CHECK(test::RunAccord({"plan"}).status == 1);
  test::CliRun no_device = test::RunAccord({"plan", "-f", "examples/fresh-mac/desired.yaml"});
  CHECK(no_device.status == 1);
  CHECK(no_device.err ==
        "accord: error: --device SNAPSHOT or --replay DIR is needed: this is not a Mac\n");
}

TEST_CASE("plan exit codes: 0, 2 with --detailed-exitcode, 3 refused, 1 error", "[cli]") {
  CHECK(test::RunAccord(kPlanTwoUsers).status == 0);
  CHECK(test::RunAccord(With(kPlanTwoUsers, "--detailed-exitcode")).status == 2);
  CHECK(test::RunAccord({"plan", "-f", "examples/agent-service-account/desired.yaml", "--device",
                         "examples/agent-service-account/device.json", "--detailed-exitcode"})
            .status == 0);
  CHECK(test::RunAccord({"plan", "-f", "examples/refused-renumber/desired.yaml", "--device",
                         "examples/refused-renumber/device.json"})
            .status == 3);
  test::CliRun missing = test::RunAccord({"plan", "-f", "nope.yaml", "--device", "nope.json"});
  CHECK(missing.status == 1);
  CHECK(missing.err.find("nope.yaml: error: cannot read") == 0);
  CHECK(missing.out.empty());
}

TEST_CASE("a bad snapshot fails the plan with its key path", "[cli]") {
  std::string dir = test::TempDir("cli-bad-snapshot");
  test::WriteFile(dir + "/device.json",
                  R"({"accord_device": 1, "users": [{"name": "a", "uid": true}]})");
  test::CliRun run = test::RunAccord(
      {"plan", "-f", "examples/fresh-mac/desired.yaml", "--device", dir + "/device.json"});
  CHECK(run.status == 1);
  CHECK(run.err ==
        dir + "/device.json: error: users[0].uid: expected an integer or null, got a boolean\n");
}

TEST_CASE("colour only on a terminal, never with NO_COLOR or --no-color", "[cli]") {
  const std::string esc = "\033[";
  CHECK(test::RunAccord(kPlanTwoUsers, {}, true).out.find(esc) != std::string::npos);
  CHECK(test::RunAccord(kPlanTwoUsers, {}, false).out.find(esc) == std::string::npos);
  CHECK(test::RunAccord(kPlanTwoUsers, {{"NO_COLOR", "1"}}, true).out.find(esc) ==
        std::string::npos);
  CHECK(test::RunAccord(With(kPlanTwoUsers, "--no-color"), {}, true).out.find(esc) ==
        std::string::npos);
  // An empty NO_COLOR does not count, as no-color.org says.
  CHECK(test::RunAccord(kPlanTwoUsers, {{"NO_COLOR", ""}}, true).out.find(esc) !=
        std::string::npos);
}

TEST_CASE("secret values never reach the output, only their names", "[cli]") {
  std::map<std::string, std::string> env = {{"ALICE_INITIAL_PASSWORD", "pa55-alice-VALUE"},
                                            {"ACCORD_AUTHORITY_PASSWORD", "pa55-authority-VALUE"}};
  for (const char* flag : {"--no-color", "--json"}) {
    test::CliRun run = test::RunAccord(With(With(kPlanTwoUsers, flag), "-v"), env);
    CHECK(run.out.find("pa55") == std::string::npos);
    CHECK(run.err.find("pa55") == std::string::npos);
    CHECK(run.out.find("ALICE_INITIAL_PASSWORD") != std::string::npos);
  }
}

TEST_CASE("validate accepts every example file and says what it is", "[cli]") {
  test::CliRun run = test::RunAccord(
      {"validate", "examples/two-new-users/desired.yaml", "examples/two-new-users/device.json"});
  CHECK(run.status == 0);
  CHECK(run.out ==
        "examples/two-new-users/desired.yaml: ok (desired state, 3 users)\n"
        "examples/two-new-users/device.json: ok (device snapshot, 1 account)\n");
}

TEST_CASE("validate reports every bad file and exits 1", "[cli]") {
  test::CliRun run = test::RunAccord({"validate", "tests/engine/load/bad/06-unknown-top-key.yaml",
                                      "examples/fresh-mac/desired.yaml"});
  CHECK(run.status == 1);
  CHECK(run.out == "examples/fresh-mac/desired.yaml: ok (desired state, 1 user)\n");
  CHECK(run.err.find("06-unknown-top-key.yaml:3:1: error: unknown key 'user'") !=
        std::string::npos);
}

TEST_CASE("explain adds why each step comes after others", "[cli]") {
  const std::string after = "      after: create_user:alice (alice must exist first)\n";
  CHECK(test::RunAccord(With(kPlanTwoUsers, "--explain")).out.find(after) != std::string::npos);
  CHECK(test::RunAccord(kPlanTwoUsers).out.find("after:") == std::string::npos);
}

TEST_CASE("graph prints the step graph as DOT", "[cli]") {
  test::CliRun run = test::RunAccord({"graph", "-f", "examples/two-new-users/desired.yaml",
                                      "--device", "examples/two-new-users/device.json"});
  CHECK(run.status == 0);
  CHECK(run.out.rfind("digraph accord_plan {\n", 0) == 0);
  CHECK(run.out.find("  \"create_user:alice\" -> \"grant_token:alice\" [label=\"alice must exist "
                     "first\"];\n") != std::string::npos);
  CHECK(run.out.find("fillcolor=\"#c8e6c9\"") != std::string::npos);
}

TEST_CASE("verbose mode logs the stages to stderr", "[cli]") {
  test::CliRun run = test::RunAccord(With(kPlanTwoUsers, "-v"));
  CHECK(run.err.find("accord: debug: loaded examples/two-new-users/desired.yaml: 3 users") !=
        std::string::npos);
}

}  // namespace accord
