// SPDX-License-Identifier: Apache-2.0
// The property of the harm rules over generated Macs (with unknown homes,
// UIDs, owners and case sensitivity) and generated files: no step that
// runs erases a home another account has or could have, a system
// account's home, or a folder that is not a person's in /Users, nor gives
// a new account such a home; and no two accounts end with one UID in any
// possible world. Checked by its own reading of the rules, not the
// planner's helpers.
#include <filesystem>
#include <random>

#include "load/desired_loader.h"
#include "model/effect.h"
#include "plan/planner.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

// Two paths that could be one folder: always when the volume might ignore
// case (unknown counts as every value), else only when equal.
bool CouldBeSame(const std::string& a, const std::string& b, const Known<bool>& case_sensitive) {
  auto normal = [&](const std::string& p) {
    std::string n = std::filesystem::path(p).lexically_normal().string();
    while (n.size() > 1 && n.back() == '/') n.pop_back();
    if (case_sensitive == true) return n;
    for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return n;
  };
  return normal(a) == normal(b);
}

bool System(const ObservedUser& u) {
  return u.name == "root" || u.name.front() == '_' || (u.uid && *u.uid < 500);
}

struct Generated {
  DeviceState mac;
  std::string yaml;
};

Generated Generate(std::mt19937_64& rng) {
  auto chance = [&](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
  };
  auto pick = [&](const std::vector<std::string>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  const std::vector<std::string> people = {"ann", "ben", "cat", "dan", "eve"};
  std::vector<std::string> homes = {"/Users/Shared", "/opt/data",   "/var/root",
                                    "/Users/ANN",    "/Users/ben/", "/Users/x/../cat"};
  for (const std::string& p : people) homes.push_back("/Users/" + p);
  Generated g;
  DeviceState& mac = g.mac;
  mac.name = "gen-mac";
  mac.os_version = "15.1";
  mac.volume_case_sensitive = chance(30) ? Known<bool>() : Known<bool>(chance(20));
  auto account = [&](const std::string& name, Known<std::int64_t> uid, Known<std::string> home,
                     bool admin, bool token) {
    ObservedUser u = test::StandardUser(name, uid.value_or(0));
    u.uid = uid;
    u.home = home;
    u.admin = admin;
    u.secure_token = token;
    u.filevault_password_in_sync = true;
    u.keychain_in_sync = true;
    mac.users.push_back(u);
  };
  account("root", 0, std::string("/var/root"), true, false);
  account("daemon", 1, std::string("/var/root"), false, false);
  account("_agent", 491, std::string("/var/agent"), false, false);
  account("admin", 500 + 1, std::string("/Users/admin"), true, true);
  std::int64_t next = 502;
  for (const std::string& p : people) {
    if (!chance(60)) continue;
    Known<std::int64_t> uid = chance(10) ? Known<std::int64_t>() : Known<std::int64_t>(next++);
    Known<std::string> home = chance(10) ? Known<std::string>() : Known<std::string>(pick(homes));
    account(p, uid, home, chance(30), chance(30));
  }
  for (int i = 0, n = static_cast<int>(rng() % 3); i < n; ++i) {
    mac.homes.push_back(
        {pick(homes), chance(15) ? Known<std::int64_t>() : Known<std::int64_t>(500 + rng() % 10)});
  }
  mac.filevault.status = FileVaultStatus::kOn;
  mac.filevault.personal_recovery_key = true;
  mac.filevault.recovery_key_escrowed = true;
  mac.filevault.institutional_recovery_key = false;
  mac.mdm.enrolled = false;
  mac.mdm.bootstrap_token_supported = false;
  mac.mdm.bootstrap_token_escrowed = false;
  mac.mdm.recovery_key_escrow_payload = true;

  std::string users;
  for (const std::string& p : people) {
    if (!chance(70)) continue;
    if (chance(40)) {
      users += "  " + p + ": {ensure: absent" +
               std::string(chance(60) ? ", remove_home: true" : "") + "}\n";
    } else {
      std::string fields;
      if (chance(40)) fields += "home: \"" + pick(homes) + "\", ";
      if (chance(30)) fields += "uid: " + std::to_string(501 + rng() % 10) + ", ";
      users += "  " + p + ": {" + fields + "full_name: " + p + "-person}\n";
    }
  }
  for (const std::string& s : {std::string("daemon"), std::string("_agent")}) {
    if (!chance(25)) continue;
    users += "  " + s + ": {ensure: absent" + std::string(chance(50) ? ", remove_home: true" : "") +
             std::string(chance(50) ? ", allow_system_account: true" : "") + "}\n";
  }
  g.yaml = "accord: 1\n" + (users.empty() ? std::string() : "users:\n" + users);
  return g;
}

// The harms a step that runs on `mac` (as the steps before left it) must not do.
void CheckStep(const Change& c, const DeviceState& mac, const DesiredState& desired) {
  const Known<bool>& cs = mac.volume_case_sensitive;
  const ObservedUser* self = mac.FindUser(c.user);
  if (c.action == Action::kDeleteUser && c.erase_home) {
    REQUIRE(self);
    REQUIRE(self->home);
    const std::string& home = *self->home;
    CHECK_FALSE(System(*self));
    std::string n = std::filesystem::path(home).lexically_normal().string();
    while (n.size() > 1 && n.back() == '/') n.pop_back();
    CHECK(n.rfind("/Users/", 0) == 0);
    CHECK(n.find('/', 7) == std::string::npos);
    CHECK_FALSE(CouldBeSame(home, "/Users/Shared", cs));
    for (const ObservedUser& u : mac.users) {
      if (u.name == c.user) continue;
      INFO("beside " << u.name);
      REQUIRE(u.home);  // an unknown home could be this one
      CHECK_FALSE(CouldBeSame(*u.home, home, cs));
    }
    for (const DesiredUser& d : desired.users) {
      if (d.ensure == Ensure::kPresent && !mac.FindUser(d.name)) {
        CHECK_FALSE(CouldBeSame(d.home.value_or("/Users/" + d.name), home, cs));
      }
    }
    for (const ObservedHome& h : mac.homes) {
      // The folder is this account's own, certainly.
      if (CouldBeSame(h.path, home, cs)) CHECK(h.uid == self->uid);
    }
  }
  if (c.action == Action::kCreateUser) {
    const std::string home = *c.AfterAs<std::string>(Attr::kHome);
    for (const ObservedUser& u : mac.users) {
      INFO("beside " << u.name);
      REQUIRE(u.home);
      CHECK_FALSE(CouldBeSame(*u.home, home, cs));
      REQUIRE(u.uid);  // an unknown UID could be the new one
      CHECK(*u.uid != *c.AfterAs<std::int64_t>(Attr::kUid));
    }
    for (const ObservedHome& h : mac.homes) {
      CHECK_FALSE(CouldBeSame(h.path, home, cs));
      REQUIRE(h.uid);
      CHECK(*h.uid != *c.AfterAs<std::int64_t>(Attr::kUid));
    }
  }
}

}  // namespace

TEST_CASE(
    "generated Macs with unknowns: no step erases or gives away another's home, and no two "
    "accounts share a UID in any world",
    "[property][harms]") {
  std::mt19937_64 rng(20261205);
  int planned = 0;
  int erased = 0;
  int created = 0;
  for (int round = 0; round < 3000; ++round) {
    Generated g = Generate(rng);
    INFO("round " << round << "\n" << g.yaml);
    // Files validate refuses (two new accounts with one home, remove_home
    // on a role account) and plans that are errors (an explicit uid of
    // another account) are left out: nothing is planned for them.
    Result<DesiredState> loaded = LoadDesiredState(g.yaml, "gen.yaml");
    if (!loaded.ok()) continue;
    const DesiredState& desired = loaded.value();
    Result<Plan> plan = MakePlan(desired, g.mac);
    if (!plan.ok()) continue;
    ++planned;
    DeviceState now = g.mac;
    for (const Change& c : plan.value().changes) {
      if (c.outcome != Outcome::kRun) continue;
      INFO(c.Id());
      CheckStep(c, now, desired);
      erased += c.action == Action::kDeleteUser && c.erase_home;
      created += c.action == Action::kCreateUser;
      now = Effect(c, now);
    }
    // No two accounts with one UID where one of them is new.
    for (const ObservedUser& a : now.users) {
      if (g.mac.FindUser(a.name)) continue;
      for (const ObservedUser& b : now.users) {
        if (&a == &b) continue;
        REQUIRE(b.uid);
        CHECK(*a.uid != *b.uid);
      }
    }
  }
  // The generator reaches the cases that matter.
  CHECK(planned > 2000);
  CHECK(erased > 100);
  CHECK(created > 300);
}

}  // namespace accord
