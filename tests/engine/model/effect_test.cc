// SPDX-License-Identifier: Apache-2.0
// The device model: what each step does to a Mac.
#include "model/effect.h"

#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

Change Step(Action action, const std::string& user, std::vector<Attribute> attributes = {}) {
  Change c;
  c.action = action;
  c.user = user;
  c.attributes = std::move(attributes);
  return c;
}

const ObservedUser& User(const DeviceState& s, const std::string& name) {
  const ObservedUser* u = s.FindUser(name);
  REQUIRE(u != nullptr);
  return *u;
}

}  // namespace

TEST_CASE("a reset desyncs a token holder's FileVault and keychain, and its token is unknown",
          "[effect]") {
  DeviceState mac = test::Device(test::Snapshot({test::FirstAccount()}));
  DeviceState reset = Effect(Step(Action::kResetPassword, "firstaccount"), mac);
  CHECK(User(reset, "firstaccount").filevault_password_in_sync == false);
  CHECK(User(reset, "firstaccount").keychain_in_sync == false);
  CHECK_FALSE(User(reset, "firstaccount").secure_token.has_value());
  // A change knows the old password: token and FileVault stay in step; the
  // login keychain does not (passwd(1)'s warning).
  DeviceState changed = Effect(Step(Action::kChangePassword, "firstaccount"), mac);
  CHECK(User(changed, "firstaccount").secure_token == true);
  CHECK(User(changed, "firstaccount").filevault_password_in_sync ==
        User(mac, "firstaccount").filevault_password_in_sync);
  CHECK(User(changed, "firstaccount").keychain_in_sync == false);
  // A user without a token keeps having none after a reset.
  mac.users[0].secure_token = false;
  CHECK(User(Effect(Step(Action::kResetPassword, "firstaccount"), mac), "firstaccount")
            .secure_token == false);
}

TEST_CASE("creating, granting and deleting", "[effect]") {
  DeviceState mac = test::Device(test::Snapshot({test::FirstAccount()}));
  Change create = Step(Action::kCreateUser, "alice",
                       {{Attr::kUid, std::nullopt, std::int64_t{502}, ""},
                        {Attr::kHome, std::nullopt, std::string("/Users/alice"), ""},
                        {Attr::kRole, std::nullopt, std::string("admin"), ""}});
  DeviceState created = Effect(create, mac);
  const ObservedUser& alice = User(created, "alice");
  CHECK(alice.uid == 502);
  CHECK(alice.admin == true);
  CHECK(alice.secure_token == false);
  CHECK(alice.guid == SimulatedGuid("alice"));
  CHECK(created.homes.back() == ObservedHome{"/Users/alice", 502});

  DeviceState granted = Effect(Step(Action::kGrantToken, "alice"), created);
  CHECK(User(granted, "alice").secure_token == true);

  DeviceState deleted = Effect(Step(Action::kDeleteUser, "alice"), granted);
  CHECK(deleted.FindUser("alice") == nullptr);
  CHECK(deleted.homes.back() == ObservedHome{"/Users/alice", 502});  // the home is kept
  Change erase = Step(Action::kDeleteUser, "alice");
  erase.erase_home = true;
  CHECK(Effect(erase, granted).homes.size() == created.homes.size() - 1);
}

TEST_CASE("the first account with a password gets the first SecureToken", "[effect]") {
  DeviceState empty = test::Device(R"({"accord_device": 1, "users": []})");
  Change create =
      Step(Action::kCreateUser, "first",
           {{Attr::kPassword, std::nullopt, SecretRef{SecretRef::Source::kEnv, "P"}, ""}});
  CHECK(User(Effect(create, empty), "first").secure_token == true);
  DeviceState mac = test::Device(test::Snapshot({test::FirstAccount()}));
  CHECK(User(Effect(create, mac), "first").secure_token == false);
  // Where no account certainly holds a token but one may, macOS may give
  // the new account the first token or not: the model cannot tell. (The
  // fake Mac, which knows every token, gives it exactly when none holds one.)
  DeviceState unsure = mac;
  unsure.users[0].secure_token.reset();
  CHECK_FALSE(User(Effect(create, unsure), "first").secure_token.has_value());
  unsure.users[0].secure_token = false;
  CHECK(User(Effect(create, unsure), "first").secure_token == true);
}

TEST_CASE("enabling FileVault is deferred to the enabling user's logout", "[effect]") {
  DeviceState mac = test::Device(test::Snapshot({test::FirstAccount()}, {}, "off"));
  Change enable = Step(Action::kEnableFileVault, "",
                       {{Attr::kEnabledBy, std::nullopt, std::string("firstaccount"), ""}});
  DeviceState next = Effect(enable, mac);
  CHECK(next.filevault.status == FileVaultStatus::kDeferred);
  CHECK(next.filevault.deferred_user == "firstaccount");
}

TEST_CASE("steps that do not run change nothing", "[effect]") {
  DeviceState mac = test::Device(test::Snapshot({test::FirstAccount()}));
  Change c = Step(Action::kDeleteUser, "firstaccount");
  c.outcome = Outcome::kRefused;
  CHECK(Effect(c, mac) == mac);
}

}  // namespace accord

namespace accord {

TEST_CASE("what a step would still change on the Mac as observed after it", "[effect]") {
  ObservedUser alice;
  alice.name = "alice";
  alice.uid = 501;
  alice.admin = false;
  alice.secure_token = false;
  alice.shell = "/bin/zsh";
  const Change create = Step(Action::kCreateUser, "alice",
                             {{Attr::kUid, std::nullopt, std::int64_t{501}, ""},
                              {Attr::kShell, std::nullopt, std::string("/bin/zsh"), ""},
                              {Attr::kRole, std::nullopt, std::string("standard"), ""}});
  CHECK(StillToDo(create, std::nullopt) == std::vector<std::string>{"exists"});
  CHECK(StillToDo(create, alice).empty());
  ObservedUser renumbered = alice;
  renumbered.uid = 502;
  CHECK(StillToDo(create, renumbered) == std::vector<std::string>{"uid"});

  CHECK(StillToDo(Step(Action::kGrantToken, "alice"), alice) ==
        std::vector<std::string>{"secure_token"});
  CHECK(StillToDo(Step(Action::kMakeAdmin, "alice"), alice) == std::vector<std::string>{"admin"});
  CHECK(StillToDo(Step(Action::kMakeStandard, "alice"), alice).empty());
  CHECK(StillToDo(Step(Action::kSetAttribute, "alice",
                       {{Attr::kShell, std::nullopt, std::string("/bin/bash"), ""}}),
                  alice) == std::vector<std::string>{"shell"});
  CHECK(StillToDo(Step(Action::kDeleteUser, "alice"), alice) == std::vector<std::string>{"absent"});
  CHECK(StillToDo(Step(Action::kDeleteUser, "alice"), std::nullopt).empty());
  // A password cannot be observed: a reset leaves nothing to see here (its
  // login is the witness), and its unknown token is not asked for.
  CHECK(StillToDo(Step(Action::kResetPassword, "alice"), alice).empty());
}

}  // namespace accord
