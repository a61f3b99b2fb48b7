// SPDX-License-Identifier: Apache-2.0
// Fleets end to end: the GitOps example planned in every format, its
// composed files shipped and planned again, osquery ingest of every
// osquery fixture, and bad input that stops one Mac and not the others.
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "inventory/inventory.h"
#include "load/desired_loader.h"
#include "model/snapshot_codec.h"
#include "support/catch.h"
#include "support/test_support.h"

namespace accord {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kExample = {"plan", "--fleet", "examples/gitops/fleet.yaml",
                                           "--inventory", "examples/gitops/inventory"};
constexpr const char* kLabMac = "2D8E6B14-9F07-4A3C-B5E2-81C4D6A7F003";
// Its files in --out-dir: its name, then its hardware UUID.
constexpr const char* kLabFile = "lab-mac-01.2D8E6B14-9F07-4A3C-B5E2-81C4D6A7F003";

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// A copy of the GitOps example to break, as `root`/examples/gitops.
std::string CopyExample(const std::string& name) {
  std::string root = test::TempDir(name);
  fs::copy(test::SourcePath("examples/gitops"), root + "/gitops", fs::copy_options::recursive);
  return root + "/gitops";
}

// Everything ingest derived from one source, field by field.
std::string Ingested(const Inventory& inventory, const std::string& dir) {
  std::string out;
  for (const std::string& q : inventory.ignored) out += "ignored: results of " + q + "\n";
  for (const Diagnostic& d : inventory.errors) out += "error: " + FormatDiagnostic(d) + "\n";
  for (const InventoryMac& mac : inventory.macs) {
    out += "Mac " + mac.identity.hardware_uuid +
           " name=" + mac.identity.name.value_or("(unknown)") +
           " serial=" + mac.identity.serial.value_or("(unknown)") + " labels=";
    for (const std::string& l : mac.identity.labels) out += l + ";";
    out += "\n";
    for (const Diagnostic& d : mac.errors) out += "  error: " + FormatDiagnostic(d) + "\n";
    for (const std::string& u : mac.unknown) out += "  unknown: " + u + "\n";
    if (mac.device) out += SerializeSnapshot(*mac.device);
  }
  for (std::size_t at = out.find(dir); at != std::string::npos; at = out.find(dir, at)) {
    out.replace(at, dir.size(), "INVENTORY");
  }
  return out;
}

// `fixture` alone in an inventory folder, named `as`.
std::string IngestOne(const std::string& fixture, const std::string& as) {
  std::string dir = test::TempDir("ingest");
  fs::copy_file(test::SourcePath("tests/providers/osquery/fixtures/" + fixture), dir + "/" + as);
  return Ingested(ReadInventory(dir), dir);
}

}  // namespace

TEST_CASE("the GitOps example plans as its golden table, Markdown and JUnit", "[golden][fleet]") {
  const std::string ignored =
      "accord: warning: Ignored the results of 1 query that is not Accord's: "
      "pack_it-macs_osquery_info.\n";
  test::CliRun text = test::RunAccord(kExample);
  CHECK(text.err == ignored);  // the example's one foreign result, named once
  CHECK(text.status == 3);     // lab-mac-01 and eng-mbp-02 have refusals
  test::CompareGolden("fleet/gitops.txt", text.out);
  test::CliRun markdown = test::RunAccord(With(kExample, {"--format", "markdown"}));
  CHECK(markdown.status == 3);
  test::CompareGolden("fleet/gitops.md", markdown.out);
  test::CliRun junit = test::RunAccord(With(kExample, {"--format", "junit"}));
  CHECK(junit.status == 3);
  test::CompareGolden("fleet/gitops.junit.xml", junit.out);
  test::CliRun json = test::RunAccord(With(kExample, {"--format", "json"}));
  CHECK(json.status == 3);
  test::CompareGolden("fleet/gitops.json", json.out);
  nlohmann::json doc = nlohmann::json::parse(json.out);
  CHECK(doc["summary"]["refused_or_blocked"] == 2);
  CHECK(doc["ignored_results"] == nlohmann::json::array({"pack_it-macs_osquery_info"}));
  // lab-mac-01 runs neither fleetd nor the Mac Admins extension: the fix of
  // its token refusal names the table and where it comes from.
  for (const auto& m : doc["macs"]) {
    if (m["name"] != "lab-mac-01") continue;
    bool named = false;
    for (const auto& s : m["stopped"]) {
      std::string fix = s["fix"].is_string() ? s["fix"].get<std::string>() : "";
      named = named || (fix.find("apfs_crypto_users") != std::string::npos &&
                        fix.find("fleetdm/fleet#50763") != std::string::npos);
    }
    CHECK(named);
  }
  // A progress bar on a terminal (stderr), none with --quiet, none off one.
  test::CliRun shown = test::RunAccord(kExample, {}, true);
  CHECK(shown.err.find("4/4 Macs planned") != std::string::npos);
  CHECK(shown.err.back() == '\r');  // and wiped when done
  CHECK(shown.out == text.out);
  CHECK(test::RunAccord(With(kExample, {"--quiet"}), {}, true).err == ignored);
  CHECK(test::RunAccord(kExample).out == text.out);
}

TEST_CASE("out-dir keeps each Mac's plan and the composed file compose prints", "[fleet]") {
  std::string dir = test::TempDir("out-dir");
  test::CliRun run = test::RunAccord(With(kExample, {"--out-dir", dir}));
  REQUIRE(run.status == 3);
  std::string desired = test::ReadFile(dir + "/" + kLabFile + ".desired.yaml");
  test::CompareGolden("fleet/lab-mac-01.desired.yaml", desired);
  test::CompareGolden("fleet/lab-mac-01.plan.json",
                      test::ReadFile(dir + "/" + kLabFile + ".plan.json"));
  test::CliRun compose =
      test::RunAccord({"compose", "--fleet", "examples/gitops/fleet.yaml", "--inventory",
                       "examples/gitops/inventory", "--mac", "lab-mac-01"});
  CHECK(compose.status == 0);
  CHECK(compose.out == desired);

  // Shipped to the Mac, exactly that file plans the same steps there.
  Inventory inventory = ReadInventory(test::SourcePath("examples/gitops/inventory"));
  const InventoryMac* lab = nullptr;
  for (const InventoryMac& m : inventory.macs) {
    if (m.identity.hardware_uuid == kLabMac) lab = &m;
  }
  REQUIRE(lab);
  REQUIRE(lab->device);
  test::WriteFile(dir + "/lab.json", SerializeSnapshot(*lab->device));
  test::CliRun there = test::RunAccord({"plan", "-f", dir + "/" + kLabFile + ".desired.yaml",
                                        "--device", dir + "/lab.json", "--json"});
  CHECK(there.status == 3);
  std::string fleet_plan = test::ReadFile(dir + "/" + kLabFile + ".plan.json");
  for (const char* id : {"\"grant_token:itadmin\"", "\"delete_user:guest\"",
                         "\"create_user:student\"", "\"enable_filevault\""}) {
    INFO(id);
    CHECK(fleet_plan.find(id) != std::string::npos);
    CHECK(there.out.find(id) != std::string::npos);
  }
}

TEST_CASE("a Mac without SecureToken data plans its tokens as unknown and refuses token steps",
          "[fleet]") {
  std::string dir = test::TempDir("unknown-tokens");
  REQUIRE(test::RunAccord(With(kExample, {"--out-dir", dir})).status == 3);
  std::string plan = test::ReadFile(dir + "/" + kLabFile + ".plan.json");
  // lab-mac-01's data has neither apfs_crypto_users nor filevault_users.
  std::size_t grant = plan.find("\"id\": \"grant_token:itadmin\"");
  REQUIRE(grant != std::string::npos);
  std::string step = plan.substr(grant, plan.find("\"depends_on\"", grant) - grant);
  CHECK(step.find("\"outcome\": \"refused\"") != std::string::npos);
  CHECK(step.find("\"rule\": \"unknown-state\"") != std::string::npos);
  Inventory inventory = ReadInventory(test::SourcePath("examples/gitops/inventory"));
  for (const InventoryMac& m : inventory.macs) {
    if (m.identity.hardware_uuid != kLabMac) continue;
    for (const ObservedUser& u : m.device->users) CHECK_FALSE(u.secure_token.has_value());
  }
}

TEST_CASE("every osquery fixture ingests as its golden, field by field", "[golden][osquery]") {
  std::vector<std::string> fixtures;
  for (const auto& e :
       fs::directory_iterator(test::SourcePath("tests/providers/osquery/fixtures"))) {
    fixtures.push_back(e.path().filename().string());
  }
  std::sort(fixtures.begin(), fixtures.end());
  REQUIRE(fixtures.size() >= 9);
  for (const std::string& f : fixtures) {
    INFO(f);
    // Verbatim copies of ../shared/fixtures/osquery (present beside a checkout in CI).
    std::string shared = test::SourcePath("../shared/fixtures/osquery/" + f);
    if (fs::exists(shared))
      CHECK(test::ReadFile(shared) ==
            test::ReadFile(test::SourcePath("tests/providers/osquery/fixtures/" + f)));
    test::CompareGolden("osquery/" + f + ".txt", IngestOne(f, f));
  }
  // A Fleet report is named by its file, as saved from Fleet's API.
  test::CompareGolden("osquery/fleet-query-report-as-accord_users.txt",
                      IngestOne("fleet-query-report-api-docs.json", "accord_users.json"));
  // The example's inventory: every Accord query, in every result format.
  test::CompareGolden(
      "osquery/gitops-inventory.txt",
      Ingested(ReadInventory(test::SourcePath("examples/gitops/inventory")), test::SourcePath("")));
}

TEST_CASE("a broken layer stops only the Macs that choose it", "[fleet][errors]") {
  std::string root = CopyExample("broken-layer");
  test::WriteFile(root + "/layers/engineering.yaml", "accord: 1\nusers:\n  buildbot: {shell: [\n");
  test::CliRun run = test::RunAccord(
      {"plan", "--fleet", root + "/fleet.yaml", "--inventory", root + "/inventory"});
  CHECK(run.status == 1);
  CHECK(run.err.find(root + "/layers/engineering.yaml:4:1: error: YAML syntax error") !=
        std::string::npos);
  CHECK(run.out.find("eng-mbp-01     base,engineering  -") != std::string::npos);
  CHECK(run.out.find("layer 'engineering'") != std::string::npos);
  CHECK(run.out.find("lab-mac-01     base,lab          1") != std::string::npos);
  CHECK(run.out.find("design-mac-01  base              0") != std::string::npos);
  // The error is said once on stderr (then named by the fleet file's line
  // that chooses the layer), and every report carries it.
  const std::string cause = root + "/layers/engineering.yaml:4:1: error: ";
  std::size_t first = run.err.find(cause);
  REQUIRE(first != std::string::npos);
  CHECK(run.err.find(cause, first + 1) == std::string::npos);
  for (const char* format : {"markdown", "junit"}) {
    INFO(format);
    test::CliRun report = test::RunAccord({"plan", "--fleet", root + "/fleet.yaml", "--inventory",
                                           root + "/inventory", "--format", format});
    CHECK(report.status == 1);
    CHECK(report.out.find("YAML syntax error") != std::string::npos);
    CHECK(report.out.find("reported above") == std::string::npos);
  }
}

TEST_CASE("an unknown selector key is an error at its place", "[fleet][errors]") {
  std::string root = CopyExample("bad-selector");
  std::string fleet = test::ReadFile(root + "/fleet.yaml");
  fleet.replace(fleet.find("{labels: [engineering]}"), 23, "{label: [engineering]}");
  test::WriteFile(root + "/fleet.yaml", fleet);
  test::CliRun run = test::RunAccord(
      {"plan", "--fleet", root + "/fleet.yaml", "--inventory", root + "/inventory"});
  CHECK(run.status == 1);
  CHECK(run.err == root +
                       "/fleet.yaml:11:14: error: layers[1].select: unknown key 'label'; did "
                       "you mean 'labels'?\n");
}

TEST_CASE("a host without a hardware UUID is named, and the others are planned",
          "[fleet][errors]") {
  std::string root = CopyExample("no-uuid");
  test::WriteFile(
      root + "/inventory/more.log",
      R"({"name":"pack/accord/accord_users","hostIdentifier":"kiosk.local","action":"snapshot","snapshot":[{"username":"kiosk","uid":"501"}]})"
      "\n");
  test::CliRun run = test::RunAccord(
      {"plan", "--fleet", root + "/fleet.yaml", "--inventory", root + "/inventory"});
  CHECK(run.status == 4);  // data, not the configuration: the others are planned
  CHECK(run.err.find(root + "/inventory/more.log:1:1: error: result of users from host "
                            "'kiosk.local' has no hardware UUID") != std::string::npos);
  CHECK(run.out.find("4 Macs: 3 to change, 2 with refused or blocked steps, 0 not planned") !=
        std::string::npos);
}

TEST_CASE("a truncated result line stops its Mac, named with its place", "[fleet][errors]") {
  std::string root = CopyExample("truncated");
  std::string log = test::ReadFile(root + "/inventory/osqueryd.results.log");
  // The last line, cut mid-write: it is design-mac-01's escrow query.
  std::size_t last = log.rfind('\n', log.size() - 2) + 1;
  log.resize(last + 200);
  test::WriteFile(root + "/inventory/osqueryd.results.log", log);
  test::CliRun run = test::RunAccord(
      {"plan", "--fleet", root + "/fleet.yaml", "--inventory", root + "/inventory"});
  CHECK(run.status == 4);  // one Mac's data: the others are planned
  CHECK(run.err.find(root + "/inventory/osqueryd.results.log:36:201: error: truncated or "
                            "malformed result line") != std::string::npos);
  CHECK(run.out.find("design-mac-01  -  ") != std::string::npos);
  CHECK(run.out.find("3 to change, 2 with refused or blocked steps, 1 not planned") !=
        std::string::npos);
}

TEST_CASE("the query pack collects what ingest reads, the same in osquery and Fleet form",
          "[fleet][osquery]") {
  nlohmann::json pack = nlohmann::json::parse(
      test::ReadFile(test::SourcePath("examples/gitops/queries/accord.conf")));
  std::string fleet =
      test::ReadFile(test::SourcePath("examples/gitops/queries/accord.queries.yml"));
  for (const char* q :
       {"system_info", "users", "admins", "disk_encryption", "homes", "apfs_crypto_users",
        "filevault_users", "filevault_status", "recovery_key_escrow"}) {
    INFO(q);
    std::string name = std::string("accord_") + q;
    REQUIRE(pack["queries"].contains(name));
    std::string sql = pack["queries"][name]["query"];
    CHECK(pack["queries"][name]["snapshot"] == true);
    CHECK(fleet.find("  name: " + name + "\n") != std::string::npos);
    CHECK(fleet.find("  query: " + nlohmann::json(sql).dump() + "\n") != std::string::npos);
    // Every query carries the key ingest files rows under.
    CHECK(sql.find("hardware_uuid") != std::string::npos);
  }
}

TEST_CASE("the README shows what the fleet plan prints", "[golden][fleet]") {
  std::string readme = test::ReadFile(test::SourcePath("README.md"));
  const std::string marker = "The fleet plan prints:\n\n```text\n";
  std::size_t start = readme.find(marker);
  REQUIRE(start != std::string::npos);
  start += marker.size();
  CHECK(readme.substr(start, readme.find("```", start) - start) == test::RunAccord(kExample).out);
}

TEST_CASE("one Mac of a fleet: its whole plan, each change with the layer behind it",
          "[golden][fleet]") {
  test::CliRun run = test::RunAccord(With(kExample, {"--mac", "lab-mac-01", "--explain"}));
  INFO(run.err);
  CHECK(run.status == 3);
  CHECK(run.out.find("from: examples/gitops/layers/lab.yaml:9") != std::string::npos);
  test::CompareGolden("fleet/lab-mac-01.explain.txt", run.out);
  test::CliRun unknown = test::RunAccord(With(kExample, {"--mac", "nope"}));
  CHECK(unknown.status == 1);
  CHECK(unknown.err ==
        "accord: warning: Ignored the results of 1 query that is not Accord's: "
        "pack_it-macs_osquery_info.\n"
        "accord: error: no Mac in examples/gitops/inventory is 'nope'\n");
}

TEST_CASE("a damaged Fleet report is an error at its place", "[fleet][errors][osquery]") {
  std::string dir = test::TempDir("bad-report");
  test::WriteFile(dir + "/accord_users.json",
                  "{\"query_id\": 31, \"results\": [{\"host_name\": \"foo\",");
  Inventory inventory = ReadInventory(dir);
  REQUIRE(inventory.errors.size() == 1);
  CHECK(FormatDiagnostic(inventory.errors[0]).rfind(dir + "/accord_users.json:1:", 0) == 0);
  CHECK(inventory.errors[0].message.find("JSON syntax error") != std::string::npos);
  CHECK(inventory.macs.empty());
}

TEST_CASE("one Mac of a fleet's data, drilled into: unlockers and observe", "[fleet]") {
  const std::vector<std::string> mac = {"--fleet",     "examples/gitops/fleet.yaml",
                                        "--inventory", "examples/gitops/inventory",
                                        "--mac",       "lab-mac-01"};
  test::CliRun unlockers = test::RunAccord(With({"unlockers"}, mac));
  INFO(unlockers.err);
  CHECK(unlockers.out.find("lab-mac-01") != std::string::npos);
  test::CliRun observe = test::RunAccord(With({"observe"}, mac));
  CHECK(observe.status == 0);
  // The Mac as ingested, with what its data cannot show said on stderr.
  CHECK(observe.err.find("accord: warning: cannot tell every SecureToken") != std::string::npos);
  std::string dir = test::TempDir("drill-down");
  test::WriteFile(dir + "/lab.json", observe.out);
  test::CliRun same = test::RunAccord({"unlockers", "--device", dir + "/lab.json"});
  CHECK(same.status == unlockers.status);
  CHECK(same.out == unlockers.out);
  // A Mac the inventory does not have, or --mac alone, is an error.
  test::CliRun nope =
      test::RunAccord({"unlockers", "--inventory", "examples/gitops/inventory", "--mac", "nope"});
  CHECK(nope.status == 1);
  CHECK(nope.err.find("no Mac in examples/gitops/inventory is 'nope'") != std::string::npos);
  CHECK(test::RunAccord({"observe", "--mac", "lab-mac-01"}).status == 1);
}

}  // namespace accord

namespace accord {

// `accord report` reads the JSON back: every format it renders is the one
// plan --fleet renders (the goldens), and shards merge into the whole.
TEST_CASE("report renders a fleet plan's JSON as plan --fleet does, and merges its shards",
          "[golden][fleet]") {
  test::CliRun json = test::RunAccord(With(kExample, {"--format", "json"}));
  const std::string dir = test::TempDir("fleet-report");
  test::WriteFile(dir + "/whole.json", json.out);
  for (const auto& [format, golden] :
       std::vector<std::pair<std::string, std::string>>{{"text", "fleet/gitops.txt"},
                                                        {"markdown", "fleet/gitops.md"},
                                                        {"junit", "fleet/gitops.junit.xml"},
                                                        {"json", "fleet/gitops.json"}}) {
    INFO(format);
    test::CliRun shown = test::RunAccord({"report", dir + "/whole.json", "--format", format});
    CHECK(shown.status == 3);
    test::CompareGolden(golden, shown.out);
  }
  // The four Macs as two shards, in the wrong order: merged, they are the
  // whole again.
  nlohmann::ordered_json whole = nlohmann::ordered_json::parse(json.out);
  nlohmann::ordered_json a = whole;
  nlohmann::ordered_json b = whole;
  a["macs"] = nlohmann::ordered_json::array({whole["macs"][3], whole["macs"][1]});
  b["macs"] = nlohmann::ordered_json::array({whole["macs"][0], whole["macs"][2]});
  test::WriteFile(dir + "/a.json", a.dump(2));
  test::WriteFile(dir + "/b.json", b.dump(2));
  test::CliRun merged =
      test::RunAccord({"report", "--merge", dir + "/a.json", dir + "/b.json", "--format", "json"});
  CHECK(merged.status == 3);
  CHECK(merged.out == json.out);
  // Not shards of one run: the same Mac twice, another fleet, or no --merge.
  test::CliRun twice = test::RunAccord({"report", "--merge", dir + "/a.json", dir + "/a.json"});
  CHECK(twice.status == 1);
  CHECK(twice.err.find("is in report 1 and in report 2") != std::string::npos);
  b["fleet_file"] = "other/fleet.yaml";
  test::WriteFile(dir + "/other.json", b.dump(2));
  CHECK(test::RunAccord({"report", "--merge", dir + "/a.json", dir + "/other.json"}).status == 1);
  CHECK(test::RunAccord({"report", dir + "/a.json", dir + "/b.json"}).err.find("--merge") !=
        std::string::npos);
  // A broken document is named by its key path.
  a["macs"][0]["summary"]["create"] = "many";
  test::WriteFile(dir + "/bad.json", a.dump(2));
  test::CliRun bad = test::RunAccord({"report", dir + "/bad.json"});
  CHECK(bad.status == 1);
  CHECK(bad.err.find(dir + "/bad.json: error: macs[0].summary.create: expected an integer") !=
        std::string::npos);
  CHECK(bad.out.empty());
}

}  // namespace accord

namespace accord {

TEST_CASE("a clipped Fleet query report is an error, never part of a Mac", "[fleet][osquery]") {
  const std::string dir = test::TempDir("clipped-report");
  std::string report = test::ReadFile(
      test::SourcePath("tests/providers/osquery/fixtures/fleet-query-report-api-docs.json"));
  report.replace(report.find("\"report_clipped\": false"), 23, "\"report_clipped\": true");
  test::WriteFile(dir + "/accord_users.json", report);
  Inventory inventory = ReadInventory(dir);
  CHECK(inventory.macs.empty());
  REQUIRE(inventory.errors.size() == 1);
  CHECK(inventory.errors.front().message.find("Fleet clipped this report") == 0);
}

}  // namespace accord

namespace accord {

// A generated inventory of 60 Macs (Accord snapshots named by hardware
// UUID), planned whole and in 4 shards: the shards are disjoint, cover the
// fleet, and their JSON merges into the whole plan's.
TEST_CASE("shards of a fleet are disjoint, cover it, and merge into the whole plan",
          "[fleet][shard]") {
  const std::string dir = test::TempDir("fleet-shards");
  const std::string snapshot = test::ReadFile(test::SourcePath("examples/fresh-mac/device.json"));
  for (int i = 0; i < 60; ++i) {
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "%08X-1111-4222-8333-%012X", static_cast<unsigned>(i * 7919),
                  static_cast<unsigned>(i));
    std::string text = snapshot;
    std::size_t name = text.find("\"name\": \"");
    REQUIRE(name != std::string::npos);
    text.insert(name + 9, "m" + std::to_string(i) + "-");
    test::WriteFile(dir + "/inventory/" + uuid + ".json", text);
  }
  test::WriteFile(dir + "/base.yaml",
                  test::ReadFile(test::SourcePath("examples/gitops/layers/base.yaml")));
  test::WriteFile(dir + "/fleet.yaml",
                  "accord_fleet: 1\nlayers:\n  - {file: base.yaml, select: all}\n");
  auto plan = [&](std::vector<std::string> more) {
    std::vector<std::string> args = {"plan",        "--fleet",          dir + "/fleet.yaml",
                                     "--inventory", dir + "/inventory", "--format",
                                     "json"};
    args.insert(args.end(), more.begin(), more.end());
    return test::RunAccord(args);
  };
  test::CliRun whole = plan({});
  REQUIRE((whole.status == 0 || whole.status == 3));
  std::set<std::string> all;
  nlohmann::json doc = nlohmann::json::parse(whole.out);
  for (const auto& m : doc["macs"]) all.insert(m["hardware_uuid"]);
  REQUIRE(all.size() == 60);
  std::multiset<std::string> seen;
  std::vector<std::string> args = {"report", "--merge", "--format", "json"};
  for (int k = 1; k <= 4; ++k) {
    test::CliRun shard = plan({"--shard", std::to_string(k) + "/4"});
    REQUIRE(shard.status == whole.status);
    auto macs = nlohmann::json::parse(shard.out)["macs"];
    CHECK(macs.size() > 5);  // the hash spreads them
    for (const auto& m : macs) seen.insert(m["hardware_uuid"]);
    test::WriteFile(dir + "/shard-" + std::to_string(k) + ".json", shard.out);
    args.push_back(dir + "/shard-" + std::to_string(k) + ".json");
    // The same shard on another run is the same Macs.
    CHECK(plan({"--shard", std::to_string(k) + "/4"}).out == shard.out);
  }
  CHECK(seen.size() == all.size());                               // disjoint
  CHECK(std::set<std::string>(seen.begin(), seen.end()) == all);  // and covering
  test::CliRun merged = test::RunAccord(args);
  CHECK(merged.out == whole.out);
  // Each shard says which it is; a merge must have all four, each once.
  CHECK(nlohmann::json::parse(test::ReadFile(dir + "/shard-2.json"))["shard"] ==
        nlohmann::json{{"index", 2}, {"count", 4}});
  CHECK(doc["shard"].is_null());
  std::vector<std::string> three(args.begin(), args.end() - 1);
  test::CliRun short_one = test::RunAccord(three);
  CHECK(short_one.status == 1);
  CHECK(short_one.err.find("1 shard of 4 is missing (4): merged without it, the report would "
                           "look like the whole fleet") != std::string::npos);
  CHECK(short_one.out.empty());
  std::vector<std::string> again = three;
  again.push_back(dir + "/shard-2.json");
  CHECK(test::RunAccord(again).err.find("shard 2/4 is both report 2 and report 4") !=
        std::string::npos);
  test::WriteFile(dir + "/whole.json", whole.out);
  std::vector<std::string> mixed = three;
  mixed.push_back(dir + "/whole.json");
  CHECK(test::RunAccord(mixed).err.find("report 4 does not say which shard it is, and others do") !=
        std::string::npos);
  // Bad shards are named.
  for (const char* bad : {"0/4", "5/4", "1/0", "a/b", "3"}) {
    INFO(bad);
    test::CliRun r = plan({"--shard", bad});
    CHECK(r.status == 1);
    CHECK(r.err.find("--shard is K/N") != std::string::npos);
  }
}

}  // namespace accord

namespace accord {

TEST_CASE("a fleet-wide deletion budget stops a plan that deletes more, and ships nothing",
          "[fleet][cli]") {
  // The GitOps example deletes one account, on one Mac.
  test::CliRun within = test::RunAccord(With(kExample, {"--max-deletions", "1"}));
  CHECK(within.status == 3);  // its refusals, as without the budget
  const std::string out_dir = test::TempDir("fleet-budget") + "/out";
  test::CliRun over =
      test::RunAccord(With(kExample, {"--max-deletions", "0", "--out-dir", out_dir}));
  CHECK(over.status == 1);
  CHECK(over.err.find("the fleet's plan deletes 1 account on 1 Mac, more than --max-deletions 0 "
                      "allows: stopped") != std::string::npos);
  CHECK(over.err.find("nothing was written") != std::string::npos);
  CHECK(over.out == within.out);  // the report is still shown, for review
  CHECK_FALSE(std::filesystem::exists(out_dir));
  CHECK(test::RunAccord(With(kExample, {"--max-deletions", "-1"})).status != 0);
  // Over merged shards, where the budget is fleet-wide.
  const std::string json = test::TempDir("fleet-budget-json") + "/whole.json";
  test::WriteFile(json, test::RunAccord(With(kExample, {"--format", "json"})).out);
  CHECK(test::RunAccord({"report", json, "--max-deletions", "0"}).status == 1);
  CHECK(test::RunAccord({"report", json, "--max-deletions", "1"}).status == 3);
}

}  // namespace accord
