// SPDX-License-Identifier: Apache-2.0
// The review format: what is written is what is read, step for step, and a
// damaged or hand-edited review is an error at its key path.
#include "render/review_json.h"

#include "support/catch.h"
#include "support/test_support.h"

namespace accord {
namespace {

Review Sample() {
  Change create;
  create.action = Action::kCreateUser;
  create.user = "student";
  create.attributes = {
      {Attr::kUid, std::nullopt, std::int64_t{503}, "next free"},
      {Attr::kHidden, std::nullopt, false, ""},
      {Attr::kPassword, std::nullopt, SecretRef{SecretRef::Source::kEnv, "PW"}, ""},
      {Attr::kHome, std::nullopt, AttrValue(), ""}};
  Change erase;
  erase.action = Action::kDeleteUser;
  erase.user = "guest";
  erase.erase_home = true;
  erase.attributes = {{Attr::kHome, std::nullopt, std::string("/Users/guest"), ""}};
  Change enable;
  enable.action = Action::kEnableFileVault;
  enable.outcome = Outcome::kDeferred;
  return Review{"6C1F8D6E-3B52-4E0C-9A1D-0B7F3A2C5E11", "fleet.yaml", {create, erase, enable}};
}

std::string Read(const std::string& text) {
  return test::Messages(ReadReviewJson(text, "mac.review.json"));
}

}  // namespace

TEST_CASE("a review reads back as the steps it was written from", "[review]") {
  Review review = Sample();
  std::string text = RenderReviewJson(review);
  CHECK(text.find("{\"secret\":{\"env\":\"PW\"}}") != std::string::npos);
  Result<Review> read = ReadReviewJson(text, "mac.review.json");
  REQUIRE(read.ok());
  CHECK(read.value().hardware_uuid == review.hardware_uuid);
  CHECK(read.value().fleet_file == "fleet.yaml");
  REQUIRE(read.value().steps.size() == review.steps.size());
  for (std::size_t i = 0; i < review.steps.size(); ++i) {
    INFO(review.steps[i].Id());
    CHECK(SameStep(read.value().steps[i], review.steps[i]));
  }
  // Every action and attribute name reads back as itself.
  for (Action a : kAllActions) {
    Change c;
    c.action = a;
    for (Attr attr : kAllAttrs) c.attributes.push_back({attr, std::nullopt, true, ""});
    Result<Review> one = ReadReviewJson(RenderReviewJson(Review{"U", "", {c}}), "r.json");
    REQUIRE(one.ok());
    CHECK(SameStep(one.value().steps.at(0), c));
  }
}

TEST_CASE("a damaged review is an error at its key path", "[review][errors]") {
  std::string good = RenderReviewJson(Sample());
  auto edited = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    REQUIRE(text.find(from) != std::string::npos);
    return text.replace(text.find(from), from.size(), to);
  };
  CHECK(Read(edited("\"action\":\"delete_user\"", "\"action\":\"erase_disk\"")) ==
        "mac.review.json: error: steps[1].action: no action 'erase_disk'\n");
  CHECK(Read(edited("\"id\":\"delete_user:guest\"", "\"id\":\"delete_user:root\"")) ==
        "mac.review.json: error: steps[1].id: is 'delete_user:root', but the step is "
        "delete_user:guest\n");
  CHECK(Read(edited("\"env\":\"PW\"", "\"vault\":\"PW\"")) ==
        "mac.review.json: error: steps[0].sets[2].value.secret: expected one of env, file or "
        "keychain "
        "naming a secret\n");
  CHECK(Read(edited("\"accord_review\": 1", "\"accord_review\": 2")).find("accord_review") !=
        std::string::npos);
  CHECK(Read(edited("\"hardware_uuid\": \"6C1F8D6E-3B52-4E0C-9A1D-0B7F3A2C5E11\"",
                    "\"hardware_uuid\": \"\"")) ==
        "mac.review.json: error: hardware_uuid: missing: a review is for one Mac\n");
  CHECK(Read(edited("\"erase_home\":true", "\"erase_home\":\"yes\"")).find("erase_home") !=
        std::string::npos);
  CHECK(Read(edited("\"steps\": [", "\"extra\": 1, \"steps\": [")).find("extra") !=
        std::string::npos);
  // Not JSON, or not an object: positioned, never a crash.
  CHECK(Read("{\"accord_review\": 1,").find("mac.review.json:1:") != std::string::npos);
  CHECK_FALSE(Read("[]").empty());
  CHECK_FALSE(Read(std::string(100000, '[')).empty());
}

}  // namespace accord
