// SPDX-License-Identifier: Apache-2.0
// Resolve: takeover by name and deterministic UID allocation.
#include "plan/resolve.h"

#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

using test::Account;
using test::FirstAccount;
using test::Snapshot;

const char* kTwoPeople = R"(accord: 1
uid_ranges:
  people: {first: 501, last: 599}
users:
  firstaccount: {uid: 501}
  secondaccount: {uid_range: people}
  thirdaccount: {uid_range: people}
)";

std::int64_t UidOf(const Resolution& r, const std::string& name) {
  auto it = r.new_uids.find(name);
  REQUIRE(it != r.new_uids.end());
  REQUIRE(it->second.uid.has_value());
  return *it->second.uid;
}

}  // namespace

TEST_CASE("two new users next to firstaccount get 502 and 503", "[resolve]") {
  DesiredState d = test::Desired(kTwoPeople);
  DeviceState m = test::Device(Snapshot({FirstAccount()}));
  Result<Resolution> r = Resolve(d, m);
  REQUIRE(r.ok());
  CHECK(UidOf(r.value(), "secondaccount") == 502);
  CHECK(UidOf(r.value(), "thirdaccount") == 503);
  CHECK(r.value().new_uids.at("secondaccount").how == "next free UID in range people (501-599)");
  // Deterministic: the same inputs give the same UIDs.
  CHECK(Resolve(d, m).value() == r.value());
}

TEST_CASE("a kept home owned by 502 pushes new users to 503 and 504", "[resolve]") {
  DesiredState d = test::Desired(kTwoPeople);
  DeviceState m = test::Device(Snapshot({FirstAccount()}, {{"/Users/olduser", 502}}));
  Result<Resolution> r = Resolve(d, m);
  REQUIRE(r.ok());
  CHECK(UidOf(r.value(), "secondaccount") == 503);
  CHECK(UidOf(r.value(), "thirdaccount") == 504);
  CHECK(Resolve(d, m).value() == r.value());
}

TEST_CASE("explicit UIDs in the file count as taken, in any order", "[resolve]") {
  DesiredState d = test::Desired(R"(accord: 1
uid_ranges:
  people: {first: 501, last: 599}
users:
  early: {uid_range: people}
  pinned: {uid: 520}
)");
  Result<Resolution> r = Resolve(d, test::Device(Snapshot({FirstAccount()})));
  REQUIRE(r.ok());
  CHECK(UidOf(r.value(), "early") == 521);
  CHECK(UidOf(r.value(), "pinned") == 520);
  CHECK(r.value().new_uids.at("pinned").how == "explicit");
}

TEST_CASE("without a range, a new user gets the next UID from 501 up, as macOS does", "[resolve]") {
  DesiredState d = test::Desired("accord: 1\nusers:\n  bob: {}\n");
  DeviceState m = test::Device(Snapshot({{"_agent", 491, true, true}, FirstAccount()}));
  CHECK(UidOf(Resolve(d, m).value(), "bob") == 502);
}

TEST_CASE("an empty range starts at its first UID", "[resolve]") {
  DesiredState d = test::Desired(R"(accord: 1
uid_ranges:
  service: {first: 450, last: 499}
users:
  svc: {uid_range: service}
)");
  CHECK(UidOf(Resolve(d, test::Device(Snapshot({FirstAccount()}))).value(), "svc") == 450);
}

TEST_CASE("a full range refuses only the creations it cannot serve", "[resolve]") {
  DesiredState d = test::Desired(R"(accord: 1
uid_ranges:
  tiny: {first: 501, last: 502}
  more: {first: 503, last: 599}
users:
  a: {uid_range: tiny}
  b: {uid_range: tiny}
  c: {uid_range: more}
)");
  Result<Resolution> r = Resolve(d, test::Device(Snapshot({FirstAccount()})));
  REQUIRE(r.ok());
  CHECK(r.value().new_uids.at("a").uid == 502);
  const UidChoice& b = r.value().new_uids.at("b");
  CHECK_FALSE(b.uid.has_value());
  CHECK(b.refusal == Refusal{Rule::kUidRangeFull,
                             "UID range tiny (501-502) has no free UID: 502 is in use",
                             "widen uid_ranges.tiny, or give b an explicit uid"});
  CHECK(r.value().new_uids.at("c").uid == 503);
}

TEST_CASE("a new account's name must be lowercase, an existing one is managed by its exact name",
          "[resolve]") {
  DesiredState d = test::Desired("accord: 1\nusers:\n  Bob: {shell: /bin/bash}\n");
  CHECK(Resolve(d, test::Device(Snapshot({FirstAccount(), {"Bob", 502}}))).ok());
  Result<Resolution> r = Resolve(d, test::Device(Snapshot({FirstAccount()})));
  REQUIRE_FALSE(r.ok());
  CHECK(test::Messages(r) ==
        "test.yaml:3:3: error: users.Bob: no account named 'Bob' exists on this Mac to manage, and "
        "names Accord creates must be lowercase (macOS looks names up case-insensitively); use "
        "'bob'\n");
}

TEST_CASE("a name differing only in case from an account on the Mac is an error", "[resolve]") {
  DesiredState d = test::Desired("accord: 1\nusers:\n  jdoe: {}\n");
  Result<Resolution> r = Resolve(d, test::Device(Snapshot({{"JDoe", 502}})));
  REQUIRE_FALSE(r.ok());
  CHECK(test::Messages(r).find("test.yaml:3:3: error: users.jdoe: this Mac has an account named "
                               "'JDoe', which differs from 'jdoe' only in case") == 0);
}

TEST_CASE("an explicit UID held by another account is an error", "[resolve]") {
  DesiredState d = test::Desired("accord: 1\nusers:\n  bob: {uid: 501}\n");
  Result<Resolution> r = Resolve(d, test::Device(Snapshot({FirstAccount()})));
  REQUIRE_FALSE(r.ok());
  CHECK(test::Messages(r) ==
        "test.yaml:3:14: error: users.bob.uid: uid 501 belongs to account 'firstaccount' on this "
        "Mac\n");
}

TEST_CASE("a full name equal to another account's short name on the Mac is an error", "[resolve]") {
  DesiredState d = test::Desired("accord: 1\nusers:\n  bob: {full_name: Kiosk}\n");
  Result<Resolution> r = Resolve(d, test::Device(Snapshot({FirstAccount(), {"kiosk", 502}})));
  REQUIRE_FALSE(r.ok());
  CHECK(test::Messages(r).find("test.yaml:3:20: error: users.bob.full_name:") == 0);
}

TEST_CASE("an explicit UID that owns a kept home is refused as uid-reuse", "[resolve]") {
  DesiredState d = test::Desired("accord: 1\nusers:\n  bob: {uid: 502}\n");
  Result<Resolution> r =
      Resolve(d, test::Device(Snapshot({FirstAccount()}, {{"/Users/olduser", 502}})));
  REQUIRE(r.ok());
  const UidChoice& c = r.value().new_uids.at("bob");
  CHECK_FALSE(c.uid.has_value());
  REQUIRE(c.refusal.has_value());
  CHECK(c.refusal->rule == Rule::kUidReuse);
  CHECK(c.refusal->why.find("/Users/olduser") != std::string::npos);
}

TEST_CASE("an unknown UID on the Mac refuses allocation as unknown-state", "[resolve]") {
  DesiredState d = test::Desired("accord: 1\nusers:\n  bob: {}\n");
  Account ghost{"ghost", 0};
  ghost.unknown = {"uid"};
  Result<Resolution> r = Resolve(d, test::Device(Snapshot({FirstAccount(), ghost})));
  REQUIRE(r.ok());
  const std::optional<Refusal>& refusal = r.value().new_uids.at("bob").refusal;
  REQUIRE(refusal.has_value());
  CHECK(refusal->rule == Rule::kUnknownState);
  CHECK(refusal->why.find("ghost") != std::string::npos);
}

TEST_CASE("existing accounts are taken over by name and get no new UID", "[resolve]") {
  DesiredState d = test::Desired("accord: 1\nusers:\n  firstaccount: {}\n");
  Result<Resolution> r = Resolve(d, test::Device(Snapshot({FirstAccount()})));
  REQUIRE(r.ok());
  CHECK(r.value().new_uids.empty());
}

}  // namespace accord
