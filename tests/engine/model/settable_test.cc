// SPDX-License-Identifier: Apache-2.0
// The settable attributes: each one read from the desired account, read
// from and written to the observed one, and nothing else taken for one.
#include "model/settable.h"

#include "support/catch.h"

namespace accord {

TEST_CASE("every settable attribute round-trips through the device model", "[model]") {
  DesiredUser want;
  want.full_name = "Jane Doe";
  want.shell = "/bin/bash";
  want.hidden = true;
  for (Attr a : kSettableAttrs) {
    INFO(ToString(a));
    CHECK(IsSettable(a));
    std::optional<AttrValue> wanted = Wanted(want, a);
    REQUIRE(wanted);
    ObservedUser seen;
    CHECK(std::holds_alternative<std::monostate>(Seen(seen, a)));  // unknown until observed
    CHECK(SetSeen(seen, a, *wanted));
    CHECK(Seen(seen, a) == *wanted);
    CHECK_FALSE(Wanted(DesiredUser{}, a));  // not managed unless declared
  }
}

TEST_CASE("a value of the wrong type or an attribute that is not settable changes nothing",
          "[model]") {
  ObservedUser u;
  CHECK_FALSE(SetSeen(u, Attr::kHidden, std::string("yes")));
  CHECK_FALSE(u.hidden);
  CHECK_FALSE(SetSeen(u, Attr::kUid, std::int64_t{501}));
  CHECK_FALSE(u.uid);
  CHECK_FALSE(IsSettable(Attr::kHome));  // set only at creation
  CHECK_FALSE(Wanted(DesiredUser{}, Attr::kRole));
}

}  // namespace accord
