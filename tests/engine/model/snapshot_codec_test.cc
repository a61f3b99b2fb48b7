// SPDX-License-Identifier: Apache-2.0
// Device snapshots: the contract-v1 example parses, null means unknown, the
// canonical form round-trips, and every error names its key path.
#include "model/snapshot_codec.h"

#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

// The snapshot of DOMAIN §3, verbatim.
const char* kDomainExample = R"({"accord_device": 1, "name": "lab-mac-07", "os_version": "14.5",
 "mdm": {"enrolled": false, "bootstrap_token": {"supported": false, "escrowed": false}},
 "users": [{"name": "firstaccount", "uid": 501, "gid": 20, "full_name": "First Account",
            "shell": "/bin/zsh", "home": "/Users/firstaccount",
            "guid": "C4713E84-50C7-419E-ABC4-766DFE170F56", "hidden": false,
            "admin": true, "secure_token": true,
            "filevault_password_in_sync": true, "keychain_in_sync": true}],
 "homes": [{"path": "/Users/olduser", "uid": 503}],
 "filevault": {"status": "on", "deferred_user": null, "personal_recovery_key": true,
               "recovery_key_escrowed": true, "institutional_recovery_key": false}})";

std::string Error(const std::string& json) {
  Result<DeviceState> r = ParseSnapshot(json, "s.json");
  INFO(json);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors().size() >= 1);
  return FormatDiagnostic(r.errors().front());
}

}  // namespace

TEST_CASE("the contract-v1 example parses field by field", "[snapshot]") {
  DeviceState s = test::Device(kDomainExample);
  CHECK(s.name == "lab-mac-07");
  CHECK(s.os_version == "14.5");
  CHECK(s.mdm.enrolled == false);
  CHECK(s.mdm.bootstrap_token_supported == false);
  REQUIRE(s.users.size() == 1);
  const ObservedUser& u = s.users[0];
  CHECK(u.name == "firstaccount");
  CHECK(u.uid == 501);
  CHECK(u.gid == 20);
  CHECK(u.guid == "C4713E84-50C7-419E-ABC4-766DFE170F56");
  CHECK(u.admin == true);
  CHECK(u.secure_token == true);
  CHECK(u.keychain_in_sync == true);
  REQUIRE(s.homes.size() == 1);
  CHECK(s.homes[0] == ObservedHome{"/Users/olduser", 503});
  CHECK(s.filevault.status == FileVaultStatus::kOn);
  CHECK_FALSE(s.filevault.deferred_user.has_value());
  CHECK(s.filevault.recovery_key_escrowed == true);
}

TEST_CASE("null and omitted values are unknown", "[snapshot]") {
  DeviceState s = test::Device(R"({"accord_device": 1, "users": [
    {"name": "bob", "uid": null, "secure_token": null}], "filevault": {"status": null}})");
  REQUIRE(s.users.size() == 1);
  CHECK_FALSE(s.users[0].uid.has_value());
  CHECK_FALSE(s.users[0].secure_token.has_value());
  CHECK_FALSE(s.users[0].shell.has_value());
  CHECK_FALSE(s.filevault.status.has_value());
  CHECK_FALSE(s.mdm.enrolled.has_value());
  CHECK_FALSE(s.name.has_value());
}

TEST_CASE("the canonical form round-trips", "[snapshot]") {
  DeviceState s = test::Device(kDomainExample);
  std::string text = SerializeSnapshot(s);
  CHECK(test::Device(text) == s);
  CHECK(SerializeSnapshot(test::Device(text)) == text);
  DeviceState unknowns = test::Device(test::Snapshot(
      {{"ghost", 0, false, false, "", "", false, {"uid", "shell", "admin"}}}, {}, "null", "null"));
  CHECK(test::Device(SerializeSnapshot(unknowns)) == unknowns);
}

TEST_CASE("snapshot errors name the key path", "[snapshot][errors]") {
  CHECK(Error(R"({"accord_device": 1, "users": [{"name": "a"}, {"name": "b", "uid": "502"}]})") ==
        "s.json: error: users[1].uid: expected an integer or null, got a string");
  CHECK(Error(R"({"accord_device": 1, "users": [{"name": "a", "admn": true}]})") ==
        "s.json: error: users[0].admn: unknown field 'admn'; did you mean 'admin'?");
  CHECK(Error(R"({"accord_device": 1, "users": [], "filevault": {"status": "maybe"}})") ==
        "s.json: error: filevault.status: 'maybe' is not one of off, on, encrypting, decrypting, "
        "deferred");
  CHECK(
      Error(R"({"accord_device": 1, "users": [], "mdm": {"bootstrap_token": {"escrowed": 1}}})") ==
      "s.json: error: mdm.bootstrap_token.escrowed: expected true, false or null, got an integer");
  CHECK(Error(R"({"accord_device": 1, "users": [{"name": "a"}, {"name": "a"}]})") ==
        "s.json: error: users[1].name: user 'a' is listed twice");
  CHECK(Error(R"({"accord_device": 1, "users": [{"uid": 5}]})") ==
        "s.json: error: users[0].name: every user needs a name (the short name)");
  CHECK(Error(R"({"accord_device": 1, "users": [], "homes": [{"path": "Users/x"}]})") ==
        "s.json: error: homes[0].path: every home needs an absolute path");
  CHECK(Error(R"({"accord_device": 1, "users": [{"name": "a", "uid": 99999999999}]})") ==
        "s.json: error: users[0].uid: out of range for a macOS account ID");
}

TEST_CASE("snapshot structure errors", "[snapshot][errors]") {
  CHECK(
      Error(R"({"users": []})") ==
      "s.json: error: accord_device: missing: a device snapshot starts with \"accord_device\": 1");
  CHECK(Error(R"({"accord_device": 2, "users": []})") ==
        "s.json: error: accord_device: unsupported snapshot format 2; this Accord reads format 1");
  CHECK(Error(R"({"accord_device": 1})") ==
        "s.json: error: users: missing: the list of accounts is required");
  CHECK(Error(R"([1, 2])") == "s.json: error: expected an object, got an array");
}

TEST_CASE("duplicate JSON keys are errors with their path", "[snapshot][errors]") {
  CHECK(
      Error(
          R"({"accord_device": 1, "users": [{"name": "a"}, {"name": "b", "uid": 1, "uid": 2}]})") ==
      "s.json: error: users[1]: duplicate key 'uid'");
  CHECK(Error(R"({"accord_device": 1, "users": [], "users": []})") ==
        "s.json: error: (top level): duplicate key 'users'");
}

TEST_CASE("JSON syntax errors name line and column", "[snapshot][errors]") {
  std::string e = Error("{\"accord_device\": 1,\n \"users\": [,]}");
  CHECK(e.find("s.json:2:12: error: JSON syntax error:") == 0);
  CHECK(Error("").find("s.json:1:1: error: JSON syntax error") == 0);
}

TEST_CASE("names observed as invalid UTF-8 are written replaced, never thrown on", "[snapshot]") {
  // A real Mac's dscl output is not bound to be UTF-8; JSON is.
  DeviceState s;
  ObservedUser u;
  u.name = "bad\xff\xfename";
  u.full_name = "Caf\xc3";
  s.users.push_back(u);
  std::string text = SerializeSnapshot(s);
  CHECK(text.find("bad\xef\xbf\xbd\xef\xbf\xbdname") != std::string::npos);  // U+FFFD twice
  Result<DeviceState> again = ParseSnapshot(text, "again.json");
  REQUIRE(again.ok());
  CHECK(again.value().users[0].full_name == "Caf\xef\xbf\xbd");
}

}  // namespace accord
