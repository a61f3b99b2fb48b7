// SPDX-License-Identifier: Apache-2.0
// The streamed JSON plan is exactly the document nlohmann would print for
// the same tree: same keys, order, layout, escapes (a round trip through
// the parser and its dump gives the same bytes), for empty and busy plans
// and for names that are not valid UTF-8.
#include "render/json_render.h"

#include <nlohmann/json.hpp>

#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

std::string Redumped(const std::string& text) {
  return nlohmann::ordered_json::parse(text).dump(2, ' ', false,
                                                  nlohmann::json::error_handler_t::replace) +
         "\n";
}

}  // namespace

TEST_CASE("the streamed JSON plan is byte for byte the document's own dump", "[render]") {
  std::vector<Plan> plans;
  plans.push_back(Plan{});  // no changes, no findings, nothing known
  plans.push_back(
      test::PlanOf("accord: 1\nusers:\n  firstaccount: {role: standard}\n"
                   "  alice: {role: admin, secure_token: true, password: {env: P}}\n",
                   test::Snapshot({test::FirstAccount()})));
  Plan odd;
  odd.device_name = std::string("mac-\xff-\"quoted\"\n");
  Change c;
  c.action = Action::kDeleteUser;
  c.user = "b\xc3\xa9la\t";
  c.reason = "line one\nline two";
  c.notes = {"a note"};
  odd.changes.push_back(c);
  plans.push_back(odd);
  for (const Plan& p : plans) {
    std::string streamed = RenderPlanJson(p);
    INFO(streamed);
    CHECK(streamed == Redumped(streamed));
  }
  CHECK(plans[1].changes.size() >= 2);
}

}  // namespace accord
