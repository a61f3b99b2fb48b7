// SPDX-License-Identifier: Apache-2.0
// What fails a fleet's check: a broken fleet file or layer always (exit 1);
// a Mac whose own data cannot be planned (4) and refusals (3) as --fail-on
// chooses; known gaps accepted in a reviewed baseline, by Mac and rule,
// shown with their reason and never failing the check. The report is made
// whatever fails, so a CI job can always post it.
#include <filesystem>

#include "support/catch.h"
#include "support/test_support.h"

namespace accord {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kFleet = {
    "plan",   "--fleet", "examples/gitops/fleet.yaml", "--inventory", "examples/gitops/inventory",
    "--quiet"};

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// The GitOps example with its last result line cut short: design-mac-01's
// data is bad, the other Macs plan.
std::string Truncated() {
  std::string root = test::TempDir("gate-truncated");
  fs::copy(test::SourcePath("examples/gitops"), root, fs::copy_options::recursive);
  std::string log = test::ReadFile(root + "/inventory/osqueryd.results.log");
  log.resize(log.rfind('\n', log.size() - 2) + 1 + 200);
  test::WriteFile(root + "/inventory/osqueryd.results.log", log);
  return root;
}

}  // namespace

TEST_CASE("fail-on chooses what fails the check, and a broken layer always does", "[fleet][gate]") {
  // The example refuses steps as unknown-state and escrow-before-enable.
  CHECK(test::RunAccord(kFleet).status == 3);
  CHECK(test::RunAccord(With(kFleet, {"--fail-on", "none"})).status == 0);
  CHECK(test::RunAccord(With(kFleet, {"--fail-on", "errors"})).status == 0);
  CHECK(test::RunAccord(With(kFleet, {"--fail-on", "unknown-state"})).status == 3);
  CHECK(test::RunAccord(With(kFleet, {"--fail-on", "last-admin,errors"})).status == 0);

  // One Mac's bad data: 4 by default, the rest planned and reported.
  const std::string root = Truncated();
  const std::vector<std::string> bad = {"plan",        "--fleet",           root + "/fleet.yaml",
                                        "--inventory", root + "/inventory", "--quiet",
                                        "--format",    "markdown"};
  test::CliRun run = test::RunAccord(bad);
  CHECK(run.status == 4);
  CHECK(run.out.find("### Not planned: 1 Mac with errors") != std::string::npos);
  CHECK(run.out.find("### ⚠️ Cannot be undone") != std::string::npos);
  CHECK(test::RunAccord(With(bad, {"--fail-on", "refused"})).status == 3);
  CHECK(test::RunAccord(With(bad, {"--fail-on", "none"})).status == 0);
  std::vector<std::string> as_junit = bad;
  as_junit.back() = "junit";
  test::CliRun junit = test::RunAccord(as_junit);
  CHECK(junit.status == 4);
  CHECK(junit.out.find("<error message=") != std::string::npos);

  // A broken layer is the configuration: 1, whatever --fail-on says.
  test::WriteFile(root + "/layers/engineering.yaml", "accord: 1\nusers:\n  buildbot: {shell: [\n");
  CHECK(test::RunAccord(With(bad, {"--fail-on", "none"})).status == 1);

  test::CliRun typo = test::RunAccord(With(kFleet, {"--fail-on", "refusd"}));
  CHECK(typo.status == 1);
  CHECK(typo.err.find("'refusd' is none of errors, refused, a rule id") != std::string::npos);
}

TEST_CASE("a baseline accepts known gaps by Mac and rule, and says which it no longer needs",
          "[fleet][gate]") {
  const std::string dir = test::TempDir("gate-baseline");
  // The example's own baseline accepts the lab Mac's token gap; the lab
  // Mac's escrow refusal still fails the check.
  test::CliRun own = test::RunAccord(
      With(kFleet, {"--baseline", "examples/gitops/accepted-gaps.yaml", "--format", "markdown"}));
  CHECK(own.status == 3);
  CHECK(own.out.find("1 refused or blocked step accepted by the baseline") != std::string::npos);
  CHECK(own.out.find("refused \\[unknown-state\\], accepted") != std::string::npos);
  CHECK(own.out.find("Accepted: the lab Macs") != std::string::npos);
  CHECK(own.err.find("accepts nothing") == std::string::npos);

  test::WriteFile(dir + "/all.yaml",
                  "accord_baseline: 1\naccept:\n"
                  "  - {mac: lab-mac-01, rule: unknown-state, reason: no token table}\n"
                  "  - {mac: \"lab-*\", rule: escrow-before-enable, reason: escrow profile soon}\n"
                  "  - {mac: 9C41D7B0-5E2A-4F63-8B1D-7A0E3C2F4B92, rule: unknown-state, reason: "
                  "no key data}\n"
                  "  - {mac: \"kiosk-*\", rule: last-admin, reason: long gone}\n");
  test::CliRun all = test::RunAccord(With(kFleet, {"--baseline", dir + "/all.yaml"}));
  CHECK(all.status == 0);
  CHECK(all.err.find(dir + "/all.yaml:6: accepts nothing in this plan (mac 'kiosk-*', rule "
                           "last-admin): remove it once its gap is closed") != std::string::npos);
  // The JSON keeps what was accepted, so report renders and judges the same.
  test::CliRun json =
      test::RunAccord(With(kFleet, {"--baseline", dir + "/all.yaml", "--format", "json"}));
  test::WriteFile(dir + "/plan.json", json.out);
  CHECK(test::RunAccord({"report", dir + "/plan.json"}).status == 0);
  CHECK(test::RunAccord({"report", dir + "/plan.json", "--fail-on", "errors"}).status == 0);

  // A bad baseline is an error at its place, and nothing is written.
  test::WriteFile(dir + "/bad.yaml",
                  "accord_baseline: 1\naccept:\n  - {mac: lab-mac-01, rule: unkown-state}\n");
  test::CliRun bad =
      test::RunAccord(With(kFleet, {"--baseline", dir + "/bad.yaml", "--out-dir", dir + "/out"}));
  CHECK(bad.status == 1);
  CHECK(bad.err.find(dir + "/bad.yaml:3:29: error: accept[0].rule: no rule 'unkown-state'") !=
        std::string::npos);
  CHECK(bad.err.find("needs 'reason'") != std::string::npos);
  CHECK_FALSE(fs::exists(dir + "/out"));
}

}  // namespace accord
