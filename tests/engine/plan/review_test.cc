// SPDX-License-Identifier: Apache-2.0
// Planning within a review (the not-reviewed rule): a Mac given the steps a
// person approved runs only those; anything else is refused, what depends
// on it is blocked, and a review for another Mac plans nothing.
#include "model/review.h"

#include "plan/planner.h"
#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

using test::Account;
using test::FirstAccount;
using test::Snapshot;
using test::Steps;

constexpr const char* kUuid = "6C1F8D6E-3B52-4E0C-9A1D-0B7F3A2C5E11";

const std::string kFile =
    "accord: 1\n"
    "authority:\n  user: firstaccount\n  password: {env: AUTH_PW}\n"
    "users:\n"
    "  firstaccount: {role: admin}\n"
    "  student: {uid: 510, full_name: Student, password: {env: STUDENT_PW}, secure_token: true}\n"
    "  guest: {ensure: absent}\n";

DeviceState Mac(const std::vector<Account>& accounts) {
  DeviceState mac = test::Device(Snapshot(accounts));
  mac.hardware_uuid = kUuid;
  return mac;
}

Result<Plan> PlanWithin(const std::string& yaml, const DeviceState& mac, const Review& review) {
  PlanOptions options;
  options.review = review;
  return MakePlan(test::Desired(yaml), mac, options);
}

Review ReviewedOn(const std::string& yaml, const DeviceState& mac) {
  Result<Plan> reviewed = MakePlan(test::Desired(yaml), mac);
  REQUIRE(reviewed.ok());
  return ReviewOf(reviewed.value(), kUuid, "fleet.yaml");
}

}  // namespace

TEST_CASE("within its own review, a plan is the plan", "[review]") {
  DeviceState mac = Mac({FirstAccount(), Account{"guest", 502}});
  Review review = ReviewedOn(kFile, mac);
  CHECK(review.steps.size() == 3);  // create and grant student, delete guest
  Result<Plan> within = PlanWithin(kFile, mac, review);
  REQUIRE(within.ok());
  Result<Plan> plain = MakePlan(test::Desired(kFile), mac);
  REQUIRE(plain.ok());
  CHECK(within.value() == plain.value());
}

TEST_CASE("a deletion nobody reviewed is refused as not-reviewed", "[review]") {
  // Reviewed while guest did not exist; on the Mac, guest has appeared.
  Review review = ReviewedOn(kFile, Mac({FirstAccount()}));
  Result<Plan> within = PlanWithin(kFile, Mac({FirstAccount(), Account{"guest", 502}}), review);
  REQUIRE(within.ok());
  CHECK(Steps(within.value()) ==
        std::vector<std::string>{"create_user:student run", "grant_token:student run",
                                 "delete_user:guest refused[not-reviewed]"});
  const Change& guest = within.value().changes.back();
  CHECK(guest.Why().find("not reviewed") != std::string::npos);
  CHECK(guest.remedy.find("plan the fleet again") != std::string::npos);
  CHECK(Summarize(within.value()).refused == 1);
}

TEST_CASE("a step whose values changed since the review is not the reviewed step", "[review]") {
  DeviceState mac = Mac({FirstAccount()});
  Review review = ReviewedOn(kFile, mac);
  std::string renamed = kFile;
  renamed.replace(renamed.find("Student"), 7, "Pupil");
  Result<Plan> within = PlanWithin(renamed, mac, review);
  REQUIRE(within.ok());
  // The creation is refused, and the grant that needs the account with it.
  CHECK(Steps(within.value()) ==
        std::vector<std::string>{"create_user:student refused[not-reviewed]",
                                 "grant_token:student skipped"});
}

TEST_CASE("a step refused in review stays unrun when it later looks safe", "[review]") {
  // In review the only admin was the authority, and demoting it was refused;
  // on the Mac another token admin exists, so the demotion now looks safe.
  const std::string file = "accord: 1\nusers:\n  firstaccount: {role: standard}\n";
  Account it{"it", 502, true, true};
  Result<Plan> in_review = MakePlan(test::Desired(file), Mac({FirstAccount()}));
  REQUIRE(in_review.ok());
  Review review = ReviewOf(in_review.value(), kUuid, "fleet.yaml");
  Result<Plan> within = PlanWithin(file, Mac({FirstAccount(), it}), review);
  REQUIRE(within.ok());
  Result<Plan> plain = MakePlan(test::Desired(file), Mac({FirstAccount(), it}));
  REQUIRE(plain.ok());
  CHECK(Steps(plain.value()) == std::vector<std::string>{"make_standard:firstaccount run"});
  CHECK(Steps(within.value()) ==
        std::vector<std::string>{"make_standard:firstaccount refused[not-reviewed]"});
}

TEST_CASE("a review for another Mac, or for a Mac that cannot be named, plans nothing",
          "[review]") {
  DeviceState mac = Mac({FirstAccount()});
  Review review = ReviewedOn(kFile, mac);
  review.hardware_uuid = "00000000-0000-0000-0000-000000000000";
  Result<Plan> other = PlanWithin(kFile, mac, review);
  REQUIRE_FALSE(other.ok());
  CHECK(test::Messages(other).find("the review is for the Mac with hardware UUID "
                                   "00000000-0000-0000-0000-000000000000, and this Mac has "
                                   "hardware UUID " +
                                   std::string(kUuid) + " [device-mismatch]") != std::string::npos);
  mac.hardware_uuid.reset();
  Result<Plan> unnamed = PlanWithin(kFile, mac, ReviewedOn(kFile, Mac({FirstAccount()})));
  REQUIRE_FALSE(unnamed.ok());
  CHECK(test::Messages(unnamed).find("this Mac has an unobserved one") != std::string::npos);
}

TEST_CASE("the same step: action, subject and values, never what it was planned from", "[review]") {
  Change a;
  a.action = Action::kDeleteUser;
  a.user = "guest";
  a.attributes = {{Attr::kHome, std::nullopt, std::string("/Users/guest"), "kept"}};
  Change b = a;
  b.reason = "another reason";
  b.attributes[0].before = AttrValue();
  b.attributes[0].note = "another note";
  b.outcome = Outcome::kRefused;
  CHECK(SameStep(a, b));
  b.erase_home = true;
  CHECK_FALSE(SameStep(a, b));
  b = a;
  b.user = "guest2";
  CHECK_FALSE(SameStep(a, b));
  b = a;
  b.attributes[0].after = AttrValue();  // unknown is not "/Users/guest"
  CHECK_FALSE(SameStep(a, b));
  b = a;
  b.attributes.push_back({Attr::kUid, std::nullopt, std::int64_t{502}, ""});
  CHECK_FALSE(SameStep(a, b));
}

}  // namespace accord
