// SPDX-License-Identifier: Apache-2.0
// The plist reader, on the fixtures' plists and on edge cases.
#include "macos/plist.h"

#include "support/catch.h"
#include "support/fixtures.h"

namespace accord {

TEST_CASE("dscl -plist user records parse, attribute by attribute", "[plist]") {
  PlistParse p = ParsePlist(test::Fixture("dscl-plist-read-user-1.txt"));
  REQUIRE(p.ok());
  REQUIRE(p.root.kind == PlistValue::Kind::kDict);
  CHECK(p.root.Get("dsAttrTypeStandard:UniqueID")->Strings() == std::vector<std::string>{"1000"});
  CHECK(p.root.Get("dsAttrTypeStandard:RecordName")->Strings() ==
        std::vector<std::string>{"nonexistent_user"});
  CHECK(p.root.Get("dsAttrTypeStandard:NFSHomeDirectory")->Strings() ==
        std::vector<std::string>{"/Users/nonexistent_user"});
  CHECK(p.root.Get("missing") == nullptr);
}

TEST_CASE("a truncated plist keeps its complete records and says it is partial", "[plist]") {
  // The stored diskutil sample stops at '</dic': five users, then nothing.
  PlistParse p = ParsePlist(test::Fixture("diskutil-apfs-listusers-plist-1.txt"));
  CHECK_FALSE(p.ok());
  const PlistValue* users = p.root.Get("Users");
  REQUIRE(users != nullptr);
  REQUIRE(users->array.size() == 5);
  CHECK(users->array[0].Get("APFSCryptoUserUUID")->text == "76057753-404D-4114-A988-EFCF80779BD3");
  CHECK(users->array[4].Get("APFSCryptoUserType")->text == "LocalOpenDirectory");
}

TEST_CASE("an element cut off mid-record is dropped, not half-read", "[plist]") {
  PlistParse p = ParsePlist(
      "<plist><dict><key>Users</key><array><dict><key>A</key><string>1</string></dict>"
      "<dict><key>A</key><string>2");
  CHECK_FALSE(p.ok());
  REQUIRE(p.root.Get("Users") != nullptr);
  CHECK(p.root.Get("Users")->array.size() == 1);
}

TEST_CASE("scalars, booleans, empty containers and entities", "[plist]") {
  PlistParse p = ParsePlist(
      "<?xml version=\"1.0\"?><!DOCTYPE plist><plist version=\"1.0\"><dict>"
      "<key>s</key><string>a &lt;b&gt; &amp; &#65;</string><key>i</key><integer>-2</integer>"
      "<key>t</key><true/><key>f</key><false/><key>e</key><array/><key>d</key><dict/>"
      "<key>r</key><real>1.5</real></dict></plist>");
  REQUIRE(p.ok());
  CHECK(p.root.Get("s")->text == "a <b> & A");
  CHECK(p.root.Get("i")->text == "-2");
  CHECK(p.root.Get("t")->boolean);
  CHECK_FALSE(p.root.Get("f")->boolean);
  CHECK(p.root.Get("e")->array.empty());
  CHECK(p.root.Get("d")->kind == PlistValue::Kind::kDict);
}

TEST_CASE("garbage and deep nesting are errors, not crashes", "[plist]") {
  CHECK_FALSE(ParsePlist("").ok());
  CHECK_FALSE(ParsePlist("FileVault is On.").ok());
  std::string deep = "<plist>";
  for (int i = 0; i < 10000; ++i) deep += "<array>";
  PlistParse p = ParsePlist(deep);
  CHECK(p.error.find("nesting too deep") == 0);
}

}  // namespace accord
