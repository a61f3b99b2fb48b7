// SPDX-License-Identifier: Apache-2.0
// The UID ledger: who holds a UID, the highest in a range, and that one
// unknown UID or home owner stops every choice (named, accounts first).
#include "plan/uid_ledger.h"

#include "support/catch.h"

namespace accord {
namespace {

ObservedUser User(const std::string& name, Known<std::int64_t> uid) {
  ObservedUser u;
  u.name = name;
  u.uid = uid;
  return u;
}

}  // namespace

TEST_CASE("the ledger names who holds a UID and the highest in a range", "[resolve]") {
  DeviceState mac;
  mac.users = {User("nobody", -2), User("root", 0), User("alice", 501), User("bob", 505)};
  mac.homes = {{"/Users/alice", 501}, {"/Users/gone", 503}, {"/Users/gone2", 503}};
  UidLedger ledger(mac);
  CHECK_FALSE(ledger.Unknown().has_value());
  CHECK(ledger.Holder(501) == "account alice");  // an account before its home
  CHECK(ledger.Holder(503) == "the kept home /Users/gone");
  CHECK(ledger.Holder(-2) == "account nobody");
  CHECK(ledger.Holder(502).empty());
  CHECK(ledger.Holder(505) == "account bob");
  CHECK(ledger.HomeOf(503) == "/Users/gone");
  CHECK_FALSE(ledger.HomeOf(505).has_value());
  CHECK(ledger.HighestIn(501, 504) == 503);
  CHECK_FALSE(ledger.HighestIn(600, 699).has_value());
  ledger.Reserve(650);
  CHECK(ledger.HighestIn(600, 699) == 650);
  CHECK(ledger.Highest() == 505);  // what the Mac holds, reservations aside
}

TEST_CASE("an unknown UID or home owner stops every choice, accounts named first", "[resolve]") {
  DeviceState mac;
  mac.users = {User("alice", 501), User("mystery", std::nullopt), User("other", std::nullopt)};
  mac.homes = {{"/Users/*", std::nullopt}};
  CHECK(UidLedger(mac).Unknown() == "the UID of account mystery");
  mac.users.resize(1);
  CHECK(UidLedger(mac).Unknown() == "the owner of /Users/*");
}

}  // namespace accord
