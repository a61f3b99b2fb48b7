// SPDX-License-Identifier: Apache-2.0
// accord(1) against --help: every verb and option --help shows is in the
// manual page, under its verb, and the manual documents no option --help
// does not show. Both come from cli.cc's one definition; this test is what
// fails if a hand-made change ever splits them. groff's own check of the
// page (no warnings with -ww) and the completion scripts' test are ctest
// entries beside it (tests/CMakeLists.txt).
#include <regex>
#include <set>
#include <sstream>

#include "core/version.h"
#include "model/user_fields.h"
#include "support/catch.h"
#include "support/test_support.h"

namespace accord {
namespace {

// The option names of a --help text: "-f", "--file" at the start of the
// entries under "Options:", and the positionals' names.
std::set<std::string> HelpOptions(const std::string& help) {
  std::set<std::string> names;
  std::istringstream in(help);
  bool positionals = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Positionals:", 0) == 0) positionals = true;
    if (line.rfind("Options:", 0) == 0 || line.rfind("Subcommands:", 0) == 0) positionals = false;
    static const std::regex entry(R"(^  (-[A-Za-z]|--[a-z][a-z-]*)(,(--[a-z][a-z-]*))?( |$))");
    static const std::regex positional(R"(^  ([a-z]+) )");
    std::smatch m;
    if (positionals && std::regex_search(line, m, positional)) names.insert(m[1]);
    if (std::regex_search(line, m, entry)) {
      names.insert(m[1]);
      if (m[3].matched) names.insert(m[3]);
    }
  }
  names.erase("-h");
  names.erase("--help");
  return names;
}

// The option names the manual lists in one section: each .TP item's names
// (\fB\-f\fR, \fB\-\-file\fR, or a positional's \fIfiles\fR).
std::set<std::string> ManOptions(const std::string& section) {
  std::set<std::string> names;
  std::istringstream in(section);
  bool item = false;
  for (std::string line; std::getline(in, line);) {
    if (line == ".TP") {
      item = true;
      continue;
    }
    if (!item) continue;
    item = false;
    static const std::regex name(R"(\\f([BI])((\\-)+[A-Za-z][A-Za-z\\-]*|[a-z]+)\\fR)");
    for (auto it = std::sregex_iterator(line.begin(), line.end(), name);
         it != std::sregex_iterator(); ++it) {
      std::string n = (*it)[2];
      if ((*it)[1] == "I" && n.front() == '\\') continue;  // an argument kind
      std::string plain;
      for (std::size_t i = 0; i < n.size(); ++i) {
        if (n[i] != '\\') plain += n[i];
      }
      if ((*it)[1] == "B" || plain == n) names.insert(plain);
    }
  }
  names.erase("-h");
  names.erase("--help");
  return names;
}

std::string Section(const std::string& man, const std::string& start) {
  std::size_t from = man.find(start);
  if (from == std::string::npos) return "";
  std::size_t to = man.find("\n.S", from + start.size());
  return man.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

std::vector<std::string> Verbs(const std::string& help) {
  std::vector<std::string> verbs;
  std::istringstream in(help.substr(help.find("Subcommands:")));
  std::string line;
  std::getline(in, line);
  static const std::regex verb(R"(^  ([a-z]+) )");
  for (; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, verb)) verbs.push_back(m[1]);
  }
  return verbs;
}

}  // namespace

TEST_CASE("the manual documents every verb and option --help shows, and no other", "[manual]") {
  test::CliRun man = test::RunAccord({"--help-man"});
  REQUIRE(man.status == 0);
  test::CliRun help = test::RunAccord({"--help"});
  REQUIRE(help.status == 0);
  std::vector<std::string> verbs = Verbs(help.out);
  CHECK(verbs.size() == 10);
  for (const std::string& verb : verbs) {
    INFO(verb);
    test::CliRun verb_help = test::RunAccord({verb, "--help"});
    REQUIRE(verb_help.status == 0);
    std::string section = Section(man.out, ".SS " + verb + "\n");
    REQUIRE_FALSE(section.empty());
    std::set<std::string> from_help = HelpOptions(verb_help.out);
    CHECK_FALSE(from_help.empty());
    CHECK(ManOptions(section) == from_help);
    CHECK(man.out.find(".B " + verb + "\n") != std::string::npos);  // in the synopsis
  }
  std::set<std::string> global = HelpOptions(help.out.substr(0, help.out.find("Subcommands:")));
  CHECK(ManOptions(Section(man.out, ".SH GLOBAL OPTIONS\n")) == global);
  for (const char* section : {".SH EXIT STATUS", ".SH FILES", ".SH SAFETY RULES", ".SH EXAMPLES"}) {
    CHECK(man.out.find(section) != std::string::npos);
  }
  for (const char* rule :
       {"last\\-token\\-admin", "filevault\\-unlock", "escrow\\-before\\-enable"}) {
    CHECK(man.out.find(std::string(".B ") + rule + "\n") != std::string::npos);
  }
  CHECK(man.out.find("\"accord " + std::string(AccordRelease()) + "\"") != std::string::npos);
}

TEST_CASE("the comparison fails when an option is in one and not the other", "[manual]") {
  std::string man = test::RunAccord({"--help-man"}).out;
  std::string plan_help = test::RunAccord({"plan", "--help"}).out;
  std::string section = Section(man, ".SS plan\n");
  REQUIRE(ManOptions(section) == HelpOptions(plan_help));
  // An option only in --help, and one only in the manual.
  CHECK(ManOptions(section) !=
        HelpOptions(plan_help + "  --sparkle          Added to --help only\n"));
  CHECK(ManOptions(section + "\n.TP\n\\fB\\-\\-glitter\\fR\nIn the manual only.\n") !=
        HelpOptions(plan_help));
}

TEST_CASE("accord --version and every JSON document say which Accord wrote them", "[manual]") {
  test::CliRun version = test::RunAccord({"--version"});
  CHECK(version.status == 0);
  CHECK(version.out ==
        std::string("accord ") + AccordRelease() + " (commit " + AccordCommit() + ")\n");
  CHECK(std::string(AccordCommit()) != "");
  const std::string device = "examples/fresh-mac/device.json";
  const std::string needle = "\"version\": \"" + AccordVersion() + "\"";
  CHECK(test::RunAccord(
            {"plan", "-f", "examples/fresh-mac/desired.yaml", "--device", device, "--json"})
            .out.find(needle) != std::string::npos);
  CHECK(test::RunAccord({"observe", "--device", device}).out.find(needle) != std::string::npos);
  CHECK(test::RunAccord({"unlockers", "--device", device, "--json"}).out.find(needle) !=
        std::string::npos);
  CHECK(test::RunAccord({"plan", "--enroll", "examples/enrollment/fresh-mac/enrollment.yaml",
                         "--device", "examples/enrollment/fresh-mac/device.json", "--json"})
            .out.find(needle) != std::string::npos);
}

}  // namespace accord

namespace accord {

// The model's own list of a user's keys (the loader reads by it), against
// the manual's reference, which comes from the schema: a key added to one
// and not the other fails here.
TEST_CASE("the manual documents every key of the YAML formats, from their schemas", "[manual]") {
  test::CliRun man = test::RunAccord({"--help-man"});
  REQUIRE(man.status == 0);
  for (const char* section :
       {".SH DESIRED STATE FILE\n", ".SH FLEET FILE\n", ".SH ENROLLMENT FILE\n"}) {
    CHECK(man.out.find(section) != std::string::npos);
  }
  int keys = 0;
  ForEachUserField([&](std::string_view key, auto) {
    INFO(key);
    ++keys;
    std::string entry = ".TP\n.B users.NAME." + std::string(key) + "\n";
    CHECK(man.out.find(entry) != std::string::npos);
  });
  CHECK(keys >= 14);
  for (const char* path :
       {"uid_ranges.NAME.first", "authority.password.env", "filevault.recovery_key.escrow",
        "policy.min_token_admins", "layers[].select", "agent.token_admin.user",
        "mdm.skip_account_creation", "users.NAME.take_over"}) {
    INFO(path);
    CHECK(man.out.find(".B " + std::string(path) + "\n") != std::string::npos);
  }
  // Every key has the schema's words, not only its kind.
  std::istringstream in(man.out);
  bool formats = false;
  std::string line;
  std::string previous;
  while (std::getline(in, line)) {
    if (line.rfind(".SH ", 0) == 0) formats = line.find(" FILE") != std::string::npos;
    if (formats && previous.rfind(".B ", 0) == 0) {
      INFO(previous);
      CHECK(line.find(". ") != std::string::npos);
    }
    previous = line;
  }
}

}  // namespace accord
