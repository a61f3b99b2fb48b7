// SPDX-License-Identifier: Apache-2.0
// Import: what the Mac showed becomes values, what it did not becomes
// comments; passwords and system accounts are never imported; the
// authority is only an account certainly an admin with a SecureToken.
#include "plan/import.h"

#include "render/desired_yaml.h"
#include "support/catch.h"
#include "support/test_support.h"

namespace accord {
namespace {

const char* kMac = R"({"accord_device": 1, "name": "lab", "users": [
  {"name": "root", "uid": 0, "admin": true, "secure_token": false},
  {"name": "_mbsetupuser", "uid": 248, "admin": false, "secure_token": false},
  {"name": "svc", "uid": 410, "admin": true, "secure_token": true, "hidden": true},
  {"name": "zed", "uid": 503, "full_name": "Zed", "shell": "/bin/zsh", "home": "/Users/zed",
   "hidden": false, "admin": true, "secure_token": true},
  {"name": "amy", "uid": 501, "full_name": "Amy", "shell": "/bin/zsh", "home": "/Volumes/Data/amy",
   "hidden": false, "admin": true, "secure_token": true},
  {"name": "kim", "uid": 1204, "full_name": "Kim", "shell": "/bin/bash", "home": "/Users/kim",
   "hidden": true, "admin": false, "secure_token": null}],
 "filevault": {"status": "on", "personal_recovery_key": true, "recovery_key_escrowed": true}})";

}  // namespace

TEST_CASE("import describes the person accounts as the Mac showed them", "[import]") {
  ImportedState imported = ImportDesired(test::Device(kMac));
  const DesiredState& s = imported.state;
  REQUIRE(s.users.size() == 3);  // not root, _mbsetupuser or the UID-410 service account
  CHECK(s.users[0].name == "zed");
  const DesiredUser* amy = s.FindUser("amy");
  REQUIRE(amy);
  CHECK(amy->uid == 501);
  CHECK(amy->role == Role::kAdmin);
  CHECK(amy->home == std::string("/Volumes/Data/amy"));  // not the default: kept
  CHECK_FALSE(s.FindUser("zed")->home);                  // the default: left out
  const DesiredUser* kim = s.FindUser("kim");
  CHECK(kim->hidden == true);
  CHECK_FALSE(kim->secure_token);  // unknown: no value
  CHECK_FALSE(kim->password);
  CHECK(s.uid_ranges == std::vector<UidRange>{{"people", 501, 1204}});
  // The lowest UID among the certain SecureToken admins; the other is named.
  REQUIRE(s.authority);
  CHECK(s.authority->user == "amy");
  CHECK_FALSE(s.authority->password);
  REQUIRE(s.filevault);
  CHECK(s.filevault->enabled == true);
  CHECK(s.filevault->personal_recovery_key == true);
  CHECK(s.filevault->escrow == Escrow::kRequired);

  std::string yaml = RenderDesiredYaml(s, {}, imported.comments);
  CHECK(yaml.find("    # cannot tell secure_token: the Mac did not show them") !=
        std::string::npos);
  CHECK(yaml.find("    # password: {env: KIM_PASSWORD}  # not imported") != std::string::npos);
  CHECK(yaml.find("  # also certain SecureToken admins: zed") != std::string::npos);
  DesiredState reloaded = test::Desired(yaml);
  CHECK(reloaded.users.size() == 3);
  CHECK(reloaded.warnings.empty());
}

TEST_CASE("import names no authority and no FileVault values it cannot be sure of", "[import]") {
  DeviceState mac = test::Device(R"({"accord_device": 1, "users": [
    {"name": "amy", "uid": 501, "admin": true, "secure_token": null},
    {"name": "bo", "uid": 502, "admin": null, "secure_token": true}]})");
  ImportedState imported = ImportDesired(mac);
  CHECK_FALSE(imported.state.authority);
  CHECK_FALSE(imported.state.filevault);
  CHECK_FALSE(imported.state.device);
  std::string yaml = RenderDesiredYaml(imported.state, {}, imported.comments);
  CHECK(yaml.find("# authority:\n#   none chosen: no account is certainly an admin") !=
        std::string::npos);
  CHECK(yaml.find("# filevault:\n#   enabled: cannot tell") != std::string::npos);
  CHECK(yaml.find("cannot tell full_name, shell, home, hidden and secure_token") !=
        std::string::npos);
  CHECK(yaml.find("cannot tell full_name, role, shell, home and hidden") != std::string::npos);
  CHECK(test::Desired(yaml).users.size() == 2);
}

}  // namespace accord
