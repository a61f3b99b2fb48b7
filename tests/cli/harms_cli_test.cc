// SPDX-License-Identifier: Apache-2.0
// The harms beyond lockouts as an admin met them on the command line, each
// case of the report that found them: what plan says, what apply leaves
// alone on the simulated Mac, exit codes; the summaries that count
// destructive steps apart; the README's harms table made from the table.
#include <filesystem>
#include <sstream>

#include "safety/harms.h"
#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::string> kSecrets = {{"ADMIN_PASSWORD", "correct horse"},
                                                     {"NEWGUY_PASSWORD", "battery staple"}};

// The Mac of tests/support/scenario's HarmsMac, named `name`, with `extra`
// accounts and FileVault `filevault` with (or without) a personal key.
std::string Mac(const std::string& extra = "", const std::string& filevault = "on",
                const std::string& name = "lab-mac-07", const std::string& personal = "true") {
  return test::HarmsSnapshot(test::HarmsMac{extra, "", "\"" + filevault + "\"", name, personal});
}

const std::string kNewguy = test::PersonJson("newguy", "502", "\"/Users/firstaccount\"");
const std::string kContractor = test::PersonJson("contractor", "504", "\"/Users/contractor\"");

struct Files {
  std::string desired;
  std::string device;
};

Files Write(const std::string& name, const std::string& yaml, const std::string& snapshot) {
  std::string dir = test::TempDir(name);
  Files f{dir + "/desired.yaml", dir + "/device.json"};
  test::WriteFile(f.desired, yaml);
  test::WriteFile(f.device, snapshot);
  return f;
}

test::CliRun RunPlan(const Files& f, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"plan", "-f", f.desired, "--device", f.device};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::RunAccord(args, kSecrets);
}

test::CliRun Apply(const Files& f, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"apply",    "-f",     f.desired,
                                   "--device", f.device, "--auto-approve"};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::RunAccord(args, kSecrets);
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Plans `f`, expecting `line` refused with exit 3, then applies: the Mac
// is left as it was.
void RefusedAndUntouched(const Files& f, const std::string& line) {
  test::CliRun plan = RunPlan(f);
  INFO(plan.out << plan.err);
  CHECK(plan.status == 3);
  CHECK(Has(plan.out, line));
  const std::string before = test::ReadFile(f.device);
  test::CliRun apply = Apply(f);
  INFO(apply.out << apply.err);
  CHECK(apply.status == 3);
  CHECK(test::ReadFile(f.device) == before);
}

}  // namespace

TEST_CASE("1: a new account is never given another account's home, nor erases it", "[cli][harms]") {
  RefusedAndUntouched(Write("harm-new-home",
                            "accord: 1\nusers:\n  newguy: {home: /Users/firstaccount, password: "
                            "{env: NEWGUY_PASSWORD}}\n",
                            Mac()),
                      "! create user newguy  refused [home-in-use]");
  // newguy made by hand with the admin's home: deleting it with its home
  // keeps /Users/firstaccount.
  Files f =
      Write("harm-erase-home", "accord: 1\nusers:\n  newguy: {ensure: absent, remove_home: true}\n",
            Mac(kNewguy));
  RefusedAndUntouched(f, "! delete user newguy  refused [home-in-use]");
  CHECK(Has(RunPlan(f).out,
            "remove_home would erase /Users/firstaccount, which is firstaccount's "
            "home too"));
  // validate sees it in the file alone where both are declared (a warning:
  // the file cannot tell which exist already).
  Files both = Write(
      "harm-validate-home",
      "accord: 1\nusers:\n  firstaccount: {}\n  newguy: {home: /Users/firstaccount}\n", Mac());
  test::CliRun validate = test::RunAccord({"validate", both.desired});
  INFO(validate.err);
  CHECK(validate.status == 0);
  CHECK(Has(validate.err,
            "desired.yaml:4:18: warning: users.newguy.home: home "
            "'/Users/firstaccount' is also users.firstaccount's home (its default)"));
}

TEST_CASE("1: root's home is never erased, and a system account goes only when the file says so",
          "[cli][harms]") {
  RefusedAndUntouched(
      Write("harm-daemon", "accord: 1\nusers:\n  daemon: {ensure: absent, remove_home: true}\n",
            Mac()),
      "! delete user daemon  refused [system-account]");
  RefusedAndUntouched(Write("harm-daemon-allowed",
                            "accord: 1\nusers:\n  daemon: {ensure: absent, remove_home: true, "
                            "allow_system_account: true}\n",
                            Mac()),
                      "! delete user daemon  refused [system-home]");
  Files kept =
      Write("harm-daemon-kept",
            "accord: 1\nusers:\n  daemon: {ensure: absent, allow_system_account: true}\n", Mac());
  test::CliRun plan = RunPlan(kept);
  CHECK(plan.status == 0);
  CHECK(Has(plan.out, "[system-account] the file deletes daemon, a system account (UID 1)"));
  test::CliRun validate =
      test::RunAccord({"validate", Write("harm-root",
                                         "accord: 1\nusers:\n  root: {ensure: absent, remove_home: "
                                         "true}\n",
                                         Mac())
                                       .desired});
  CHECK(validate.status == 1);
  CHECK(Has(validate.err, "root is a system account: its home is never erased [system-home]"));
}

TEST_CASE("2: FileVault is turned off only where the file says allow_decrypt", "[cli][harms]") {
  const std::string authority =
      "authority: {user: firstaccount, password: {env: ADMIN_PASSWORD}}\nusers:\n  "
      "firstaccount: {}\n";
  RefusedAndUntouched(
      Write("harm-fv-off", "accord: 1\n" + authority + "filevault: {enabled: false}\n", Mac()),
      "! disable FileVault  refused [filevault-off]");
  Files allowed = Write(
      "harm-fv-off-allowed",
      "accord: 1\n" + authority + "filevault: {enabled: false, allow_decrypt: true}\n", Mac());
  test::CliRun plan = RunPlan(allowed);
  CHECK(plan.status == 0);
  CHECK(Has(plan.out, "Plan: 0 to create, 1 to change (FileVault off), 0 to delete."));
  test::CliRun apply = Apply(allowed);
  INFO(apply.out << apply.err);
  CHECK(apply.status == 0);
  CHECK(Has(apply.out, "Apply complete: 1 step done (FileVault off), "));
  CHECK(Has(test::ReadFile(allowed.device), "\"status\": \"decrypting\""));
}

// Whether `yaml` manages `key: value` (a line of it, not a comment).
bool Pins(const std::string& yaml, const std::string& setting) {
  std::istringstream in(yaml);
  for (std::string line; std::getline(in, line);) {
    std::size_t at = line.find_first_not_of(' ');
    if (at != std::string::npos && line.compare(at, setting.size(), setting) == 0) return true;
  }
  return false;
}

TEST_CASE("2: import never pins an off switch, and the round trip still plans nothing",
          "[cli][harms][import]") {
  const std::string bob = test::PersonJson("bob", "502", "\"/Users/bob\"");
  Files off = Write("harm-import-off", "accord: 1\n", Mac(bob, "off", "lab-mac-07", "false"));
  test::CliRun imported = test::RunAccord({"import", "--device", off.device});
  REQUIRE(imported.status == 0);
  INFO(imported.out);
  CHECK(Pins(imported.out, "secure_token: true"));  // firstaccount's: an on switch is kept
  CHECK_FALSE(Pins(imported.out, "enabled: false"));
  CHECK_FALSE(Pins(imported.out, "secure_token: false"));
  CHECK_FALSE(Pins(imported.out, "personal: false"));
  CHECK(Has(imported.out, "# enabled: off now (not managed"));
  CHECK(Has(imported.out, "# secure_token: false now (not managed, so a token macOS gives bob"));
  test::WriteFile(off.desired, imported.out);
  CHECK(Has(RunPlan(off).out, "No changes."));
  // The MDM turns FileVault on, and bob gets a token at a login: the
  // imported file has nothing to say about either.
  test::WriteFile(off.device, Mac(test::PersonJson("bob", "502", "\"/Users/bob\"", true), "on",
                                  "lab-mac-07", "true"));
  test::CliRun later = RunPlan(off, {"--json"});
  INFO(later.out);
  CHECK(later.status == 0);
  CHECK_FALSE(Has(later.out, "filevault\""));
  CHECK(Has(later.out, "\"changes\": []"));
}

TEST_CASE("3: a file for another Mac stops before any step, unless overridden and said",
          "[cli][harms][device]") {
  Files f = Write("harm-wrong-mac",
                  "accord: 1\ndevice: lab-mac-07\nusers:\n  contractor: {ensure: absent}\n",
                  Mac(kContractor, "on", "sales-mbp-12"));
  // The Mac's serial and hardware UUID, as ioreg showed them there.
  std::string known = test::ReadFile(f.device);
  known.replace(known.find("\"os_version\""), 12,
                "\"serial\": \"C02ZK1ABMD6T\", \"hardware_uuid\": "
                "\"9C1F5E2A-3B7D-4E68-A0C4-6D2B8F1E7A35\", \"os_version\"");
  test::WriteFile(f.device, known);
  test::CliRun plan = RunPlan(f);
  CHECK(plan.status == 1);
  CHECK(Has(plan.err,
            "desired.yaml:2:9: error: device: the file is for 'lab-mac-07', but this "
            "Mac has name 'sales-mbp-12', serial 'C02ZK1ABMD6T' and hardware UUID "
            "'9C1F5E2A-3B7D-4E68-A0C4-6D2B8F1E7A35' [device-mismatch]; nothing was "
            "planned: run it on the Mac that device: names"));
  const std::string before = test::ReadFile(f.device);
  test::CliRun apply = Apply(f);
  CHECK(apply.status == 1);
  CHECK(apply.out.empty());
  CHECK(test::ReadFile(f.device) == before);

  test::CliRun overridden = Apply(f, {"--allow-device-mismatch", "--json"});
  INFO(overridden.out << overridden.err);
  CHECK(overridden.status == 0);
  CHECK(Has(overridden.out,
            "\"warnings\":[\"the file is for 'lab-mac-07', but this Mac has name "
            "'sales-mbp-12', serial 'C02ZK1ABMD6T' and hardware UUID "
            "'9C1F5E2A-3B7D-4E68-A0C4-6D2B8F1E7A35'; planned anyway: "
            "--allow-device-mismatch\"]"));
  CHECK_FALSE(Has(test::ReadFile(f.device), "\"contractor\""));
}

TEST_CASE("3: a per-Mac file of plan --fleet --out-dir is bound to its Mac",
          "[cli][harms][fleet]") {
  std::string dir = test::TempDir("harm-out-dir");
  REQUIRE(test::RunAccord({"plan", "--fleet", "examples/gitops/fleet.yaml", "--inventory",
                           "examples/gitops/inventory", "--out-dir", dir})
              .status == 3);
  const std::string file = dir + "/lab-mac-01.2D8E6B14-9F07-4A3C-B5E2-81C4D6A7F003.desired.yaml";
  REQUIRE(fs::exists(file));
  CHECK(Has(test::ReadFile(file), "\ndevice: \"2D8E6B14-9F07-4A3C-B5E2-81C4D6A7F003\"\n"));
  CHECK(Has(test::ReadFile(dir + "/lab-mac-01.2D8E6B14-9F07-4A3C-B5E2-81C4D6A7F003.plan.json"),
            "\"hardware_uuid\": \"2D8E6B14-9F07-4A3C-B5E2-81C4D6A7F003\""));
  // Applied to another Mac (its name differs, its UUID is another's):
  // stopped before step 1, nothing changed.
  std::string other = Mac("", "on", "lab-mac-01");
  other.replace(other.find("\"os_version\""), 12,
                "\"hardware_uuid\": \"11111111-2222-3333-4444-555555555555\", \"os_version\"");
  test::WriteFile(dir + "/other.json", other);
  test::CliRun apply = test::RunAccord(
      {"apply", "-f", file, "--device", dir + "/other.json", "--auto-approve"}, kSecrets);
  INFO(apply.out << apply.err);
  CHECK(apply.status == 1);
  CHECK(Has(apply.err, "[device-mismatch]; nothing was planned"));
  CHECK(test::ReadFile(dir + "/other.json") == other);
  // A Mac whose identity was not observed cannot be shown to be it: stopped too.
  test::WriteFile(dir + "/unnamed.json", Mac("", "on", "somewhere"));
  test::CliRun unknown = test::RunAccord({"plan", "-f", file, "--device", dir + "/unnamed.json"});
  CHECK(unknown.status == 1);
  CHECK(Has(unknown.err, "cannot tell whether this Mac is '2D8E6B14-9F07-4A3C-B5E2-81C4D6A7F003'"));
}

TEST_CASE("4: no two accounts on one UID, and no UID from a range the account does not name",
          "[cli][harms][uid]") {
  Files unknown_uid = Write("harm-uid-unknown", "accord: 1\nusers:\n  carol: {uid: 503}\n",
                            Mac(test::PersonJson("bob", "null", "\"/Users/bob\"")));
  RefusedAndUntouched(unknown_uid, "! create user carol  refused [unknown-state]");
  CHECK(Has(RunPlan(unknown_uid).out,
            "cannot tell whether uid 503 is free while the UID of account "
            "bob is unknown"));
  Files ranges = Write("harm-uid-range",
                       "accord: 1\nuid_ranges:\n  builders: {first: 1000, last: 1999}\nusers:\n  "
                       "ci: {uid_range: builders}\n  alice: {}\n",
                       Mac());
  test::CliRun plan = RunPlan(ranges);
  CHECK(plan.status == 1);
  CHECK(Has(plan.err,
            "desired.yaml:6:3: error: users.alice: 'alice' is created, and the file "
            "declares UID ranges (builders (1000-1999)), so it must say which one"));
}

TEST_CASE("5: a personal recovery key the file does not want is a refused step, not no changes",
          "[cli][harms]") {
  Files f = Write("harm-personal-key", "accord: 1\nfilevault: {recovery_key: {personal: false}}\n",
                  Mac());
  RefusedAndUntouched(f, "! remove the personal recovery key  refused [recovery-key-removal]");
  test::CliRun plan = RunPlan(f);
  CHECK_FALSE(Has(plan.out, "No changes"));
  CHECK(Has(plan.out, "fix: remove it by hand (sudo fdesetup removerecovery -personal)"));
}

TEST_CASE("a deletion beside a creation one edit apart warns, summaries count erased homes apart",
          "[cli][harms]") {
  Files f = Write("harm-typo",
                  "accord: 1\nusers:\n  contractor: {ensure: absent, remove_home: true}\n  "
                  "contractr: {password: {env: NEWGUY_PASSWORD}}\n",
                  Mac(kContractor));
  test::CliRun plan = RunPlan(f);
  INFO(plan.out);
  CHECK(Has(plan.out,
            "[possible-typo] the plan deletes contractor and creates contractr, one edit "
            "apart"));
  CHECK(Has(plan.out, "Plan: 1 to create, 0 to change, 1 to delete (1 home erased)."));
  test::CliRun json = RunPlan(f, {"--json"});
  CHECK(Has(json.out, "\"homes_erased\": 1"));
  test::CliRun apply = Apply(f);
  INFO(apply.out << apply.err);
  CHECK(Has(apply.out, "Apply complete: 2 steps done (1 account deleted, 1 home erased), "));
}

TEST_CASE("the README's harms table is the harm table", "[harms][docs]") {
  const std::string readme = test::ReadFile(test::SourcePath("README.md"));
  const std::string begin =
      "<!-- harms table: made by HarmsMarkdown() in engine/safety/harms.cc -->\n";
  std::size_t from = readme.find(begin);
  std::size_t to = readme.find("<!-- end of harms table -->");
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  CHECK(readme.substr(from + begin.size(), to - from - begin.size()) == HarmsMarkdown());
  // And the manual's HARMS section lists every one.
  test::CliRun manual = test::RunAccord({"--help-man"});
  REQUIRE(manual.status == 0);
  const std::string harms = manual.out.substr(manual.out.find(".SH HARMS"));
  for (Harm h : kAllHarms) {
    INFO(SpecOf(h).what);
    std::string id;  // as roff writes it
    for (char c : std::string(RuleId(SpecOf(h).rule)))
      id += c == '-' ? std::string("\\-") : std::string(1, c);
    CHECK(Has(harms, ".TP\n.B " + id + "\n"));
  }
}

TEST_CASE("the plan schema knows every rule id a refusal can name", "[harms][schemas]") {
  const std::string schema = test::ReadFile(test::SourcePath("schemas/plan.schema.json"));
  for (Rule r : kAllRules) {
    INFO(RuleId(r));
    CHECK(Has(schema, "\"" + std::string(RuleId(r)) + "\""));
  }
}

}  // namespace accord
