// SPDX-License-Identifier: Apache-2.0
// The reboot oracle: who or what could unlock the disk after a reboot now,
// for scenarios in the snapshot format.
#include "safety/unlock_paths.h"

#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

// A Mac with FileVault on whose recovery key state is given explicitly.
std::string Mac(const std::string& users, const std::string& escrowed,
                const std::string& personal = "true", const std::string& status = "\"on\"") {
  return "{\"accord_device\": 1, \"users\": [" + users +
         "], \"filevault\": {\"status\": " + status + ", \"personal_recovery_key\": " + personal +
         ", \"recovery_key_escrowed\": " + escrowed + ", \"institutional_recovery_key\": false}}";
}

std::string User(const std::string& name, const std::string& token, const std::string& in_sync) {
  return "{\"name\": \"" + name + "\", \"uid\": 501, \"admin\": true, \"secure_token\": " + token +
         ", \"filevault_password_in_sync\": " + in_sync + "}";
}

}  // namespace

TEST_CASE("a token holder in step and an escrowed key are unlock paths", "[unlock]") {
  UnlockReport r = AssessUnlock(test::Device(Mac(User("firstaccount", "true", "true"), "true")));
  CHECK(r.verdict == UnlockVerdict::kUnlockable);
  CHECK(r.paths ==
        std::vector<UnlockPath>{{"firstaccount", "SecureToken holder, FileVault password in step"},
                                {"", "the escrowed recovery key"}});
  CHECK(r.doubtful.empty());
}

TEST_CASE("after a password reset with no escrowed key: nobody, locked out", "[unlock]") {
  // The seed's "Do not reboot!": the only token holder's FileVault password
  // still is the old one, and the personal key was never escrowed.
  UnlockReport r = AssessUnlock(test::Device(Mac(User("firstaccount", "true", "false"), "false")));
  CHECK(r.verdict == UnlockVerdict::kLockedOut);
  CHECK(r.paths.empty());
  REQUIRE(r.doubtful.size() == 2);
  CHECK(r.doubtful[0].how.find("only with its OLD password") != std::string::npos);
  CHECK(r.doubtful[1].how.find("not escrowed") != std::string::npos);
}

TEST_CASE("a second token admin in step keeps the Mac unlockable", "[unlock]") {
  UnlockReport r = AssessUnlock(
      test::Device(Mac(User("firstaccount", "true", "false") + "," + User("second", "true", "true"),
                       "false", "false")));
  CHECK(r.verdict == UnlockVerdict::kUnlockable);
  CHECK(r.paths ==
        std::vector<UnlockPath>{{"second", "SecureToken holder, FileVault password in step"}});
}

TEST_CASE("an agent's service account holding a token is no way in for a person", "[unlock]") {
  // Its password is the agent's (jumpcloud.com/support/troubleshooting-service-account).
  UnlockReport r = AssessUnlock(test::Device(
      Mac(User("_jumpcloudserviceaccount", "true", "true") + "," + User("ann", "true", "false"),
          "false", "false")));
  CHECK(r.verdict == UnlockVerdict::kLockedOut);
  CHECK(r.paths.empty());
  REQUIRE(r.doubtful.size() >= 1);
  CHECK(r.doubtful[0].who == "_jumpcloudserviceaccount");
  CHECK(r.doubtful[0].how.find("role account") != std::string::npos);
}

TEST_CASE("standard users without a token are not unlock paths", "[unlock]") {
  UnlockReport r =
      AssessUnlock(test::Device(Mac(User("kiosk", "false", "true"), "false", "false")));
  CHECK(r.verdict == UnlockVerdict::kLockedOut);
}

TEST_CASE("what cannot be observed makes the answer unknown, never unlockable", "[unlock]") {
  CHECK(AssessUnlock(test::Device(Mac(User("a", "null", "true"), "false", "false"))).verdict ==
        UnlockVerdict::kUnknown);
  CHECK(AssessUnlock(test::Device(Mac(User("a", "true", "null"), "false", "false"))).verdict ==
        UnlockVerdict::kUnknown);
  CHECK(AssessUnlock(test::Device(Mac(User("a", "false", "true"), "null", "false"))).verdict ==
        UnlockVerdict::kUnknown);
  CHECK(AssessUnlock(test::Device(Mac(User("a", "false", "true"), "false", "false", "null")))
            .verdict == UnlockVerdict::kUnknown);
  // A certain path is enough even where other things are unknown.
  CHECK(AssessUnlock(test::Device(Mac(User("a", "true", "true") + "," + User("b", "null", "null"),
                                      "null", "false", "null")))
            .verdict == UnlockVerdict::kUnlockable);
}

TEST_CASE("FileVault off needs no unlock, deferred and decrypting still do", "[unlock]") {
  CHECK(AssessUnlock(test::Device(Mac(User("a", "true", "false"), "false", "false", "\"off\"")))
            .verdict == UnlockVerdict::kNotNeeded);
  for (const char* status : {"\"deferred\"", "\"encrypting\"", "\"decrypting\""}) {
    INFO(status);
    CHECK(AssessUnlock(test::Device(Mac(User("a", "true", "false"), "false", "false", status)))
              .verdict == UnlockVerdict::kLockedOut);
  }
}

TEST_CASE("accord unlockers answers in text and JSON, exit 3 when locked out", "[unlock][cli]") {
  std::string dir = test::TempDir("unlockers");
  test::WriteFile(dir + "/locked.json", Mac(User("firstaccount", "true", "false"), "false"));
  test::CliRun locked = test::RunAccord({"unlockers", "--device", dir + "/locked.json"});
  CHECK(locked.status == 3);
  CHECK(locked.out.find("After a reboot now: nobody: locked out.\n") != std::string::npos);
  CHECK(locked.out.find("Do not reboot.") != std::string::npos);

  test::CliRun ok =
      test::RunAccord({"unlockers", "--device", "examples/two-new-users/device.json", "--json"});
  CHECK(ok.status == 0);
  CHECK(test::WithoutVersion(ok.out) ==
        "{\n  \"version\": \"<version>\",\n  \"device\": \"lab-mac-07\",\n  \"filevault\": "
        "\"on\",\n  \"verdict\": \"unlockable\",\n"
        "  \"paths\": [\n    {\n      \"who\": \"firstaccount\",\n      \"how\": \"SecureToken "
        "holder, FileVault password in step\"\n    },\n    {\n      \"who\": null,\n      \"how\": "
        "\"the escrowed recovery key\"\n    }\n  ],\n  \"doubtful\": []\n}\n");
  CHECK(test::RunAccord({"unlockers", "--device", "nope.json"}).status == 1);
  CHECK(test::RunAccord({"unlockers", "--help"}).status == 0);
}

}  // namespace accord
