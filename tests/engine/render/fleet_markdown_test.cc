// SPDX-License-Identifier: Apache-2.0
// The review comment for a fleet of 800 Macs with a few change patterns:
// counts in one line, the irreversible steps first with their Mac counts,
// identical changes aggregated, errors apart, and under GitHub's limit by
// the stated rule, whatever the size.
#include <cstdio>

#include "render/fleet_render.h"
#include "support/catch.h"
#include "support/test_support.h"

namespace accord {
namespace {

struct Pattern {
  const char* name;
  int macs;
  std::vector<RunStep> runs;
  std::vector<StoppedStep> stopped;
  bool error = false;
};

FleetReport Fleet800() {
  const StoppedStep token{"grant_token:itadmin",
                          "grant a SecureToken to itadmin",
                          Outcome::kRefused,
                          "unknown-state",
                          "secure_token: true; SecureToken of itadmin could not be observed",
                          "install a SecureToken table on the Mac"};
  const std::vector<Pattern> patterns = {
      {"lab",
       312,
       {{"create user student", '+', false}, {"delete user guest", '-', true}},
       {token}},
      {"eng", 300, {{"update user itadmin (shell)", '~', false}}, {}},
      {"design", 150, {}, {}},
      {"kiosk",
       30,
       {{"delete user guest and erase its home", '-', true},
        {"rotate the FileVault recovery key", '~', true}},
       {}},
      {"broken", 8, {}, {}, true},
  };
  FleetReport r;
  r.fleet_file = "fleet.yaml";
  for (const Pattern& p : patterns) {
    for (int i = 1; i <= p.macs; ++i) {
      MacReport m;
      char name[64];
      std::snprintf(name, sizeof name, "%s-mac-%03d", p.name, i);
      m.name = name;
      char uuid[64];
      std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012zu", r.macs.size());
      m.hardware_uuid = uuid;
      m.index = r.macs.size();
      m.layers = {"base", p.name};
      if (p.error) {
        m.errors = {
            Diagnostic{Severity::kError, "inventory/users.json", {3, 7}, "", "expected a string"}};
      } else {
        PlanSummary s;
        for (const RunStep& run : p.runs) {
          (run.sign == '+' ? s.create : run.sign == '-' ? s.destroy : s.change) += 1;
          s.homes_erased += run.title.find("erase its home") != std::string::npos;
          s.keys_replaced += run.title.find("recovery key") != std::string::npos;
        }
        s.refused = static_cast<int>(p.stopped.size());
        m.counts = s;
        m.changes = !p.runs.empty();
        m.runs = p.runs;
        m.stopped = p.stopped;
      }
      r.macs.push_back(std::move(m));
    }
  }
  return r;
}

bool Before(const std::string& text, const std::string& a, const std::string& b) {
  return text.find(a) != std::string::npos && text.find(a) < text.find(b);
}

}  // namespace

TEST_CASE("the comment for 800 Macs aggregates, flags and fits", "[fleet][golden]") {
  const FleetReport fleet = Fleet800();
  const std::string comment = RenderFleetMarkdown(fleet);
  test::CompareGolden("fleet/comment-800-macs.md", comment);
  CHECK(comment.size() <= kCommentLimit);
  CHECK(comment.find("800 Macs: 642 to change, 312 with refused or blocked steps, 8 not planned") !=
        std::string::npos);
  // Every irreversible step, with its Mac count, before any other change.
  for (const char* line :
       {"| ⚠️ | **delete user guest** | <details><summary>312 Macs</summary>",
        "| ⚠️ | **delete user guest and erase its home** | "
        "<details><summary>30 Macs</summary>",
        "| ⚠️ | **rotate the FileVault recovery key** | "
        "<details><summary>30 Macs</summary>"}) {
    INFO(line);
    CHECK(Before(comment, line, "### Changes"));
  }
  CHECK(comment.find("| + | create user student | <details><summary>312 Macs</summary>") !=
        std::string::npos);
  CHECK(comment.find("| grant a SecureToken to itadmin | refused \\[unknown-state\\] | "
                     "<details><summary>312 Macs</summary>") != std::string::npos);
  CHECK(comment.find("### Not planned: 8 Macs with errors") != std::string::npos);
  CHECK(comment.find("- **broken-mac-008**: inventory/users.json:3:7: error: expected a string") !=
        std::string::npos);
  // Read back from the JSON, as report --merge does, it is the same comment.
  Result<FleetReport> read = ReadFleetJson(RenderFleetJson(fleet), "plan.json");
  REQUIRE(read.ok());
  CHECK(RenderFleetMarkdown(read.value()) == comment);
}

TEST_CASE("a comment over its limit sheds detail in the stated order, never the counts",
          "[fleet]") {
  const FleetReport fleet = Fleet800();
  const std::string full = RenderFleetMarkdown(fleet, std::string::npos);
  CHECK(full.find("<details><summary>Every Mac (800)</summary>") != std::string::npos);
  CHECK(full == RenderFleetMarkdown(fleet));  // 800 Macs fit whole (the golden)
  for (std::size_t limit : {std::size_t{20000}, std::size_t{4000}, std::size_t{1500}}) {
    INFO(limit);
    const std::string cut = RenderFleetMarkdown(fleet, limit);
    CHECK(cut.size() <= limit);
    CHECK(cut.find("800 Macs: 642 to change") != std::string::npos);
    CHECK(cut.find("**delete user guest**") != std::string::npos);
  }
  const std::string tight = RenderFleetMarkdown(fleet, 2500);
  CHECK(tight.find("<details>") == std::string::npos);  // names gone, counts kept
  CHECK(tight.find("| 312 Macs |") != std::string::npos);
}

}  // namespace accord
