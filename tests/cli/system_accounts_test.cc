// SPDX-License-Identifier: Apache-2.0
// System accounts, whatever the source (DOMAIN §1, §4 protected-account):
// the same Mac read from a snapshot (UIDs signed or unsigned), from dscl
// through the fake Mac, and from osquery rows in each result format (a
// snapshot line, event lines, a diffResults batch), with uids printed
// unsigned as osquery prints them. No plan ever deletes or demotes an
// account that is a system account in any of them, and the people the
// file drops are deleted all the same.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "macos/observe.h"
#include "model/snapshot_codec.h"
#include "osquery/osquery_device.h"
#include "plan/planner.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUuid = "0A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9";

// The system accounts every Mac has (root, daemon, nobody at -2), Apple's
// role accounts, a daemon of macOS 15's 300s, and an agent's service
// account: each a system account by one of the definition's clauses.
struct System {
  const char* name;
  std::int64_t uid;
};
constexpr System kSystem[] = {{"root", 0},           {"daemon", 1},   {"nobody", -2},
                              {"_mbsetupuser", 248}, {"_www", 70},    {"_appinstalld", 301},
                              {"svcbackup", 450},    {"_agent", 1200}};

bool IsSystem(const std::string& name) {
  for (const System& s : kSystem) {
    if (name == s.name) return true;
  }
  return false;
}

ObservedUser Account(const std::string& name, std::int64_t uid, bool admin) {
  ObservedUser u = test::StandardUser(name, uid);
  u.admin = admin;
  u.secure_token = admin;
  u.hidden = uid < 500;
  if (uid < 500) u.shell = "/usr/bin/false";
  return u;
}

// osquery prints a uid unsigned (DOMAIN §5).
std::string Unsigned(std::int64_t uid) {
  return std::to_string(uid < 0 ? uid + (std::int64_t{1} << 32) : uid);
}

nlohmann::json UserRow(const ObservedUser& u) {
  return {{"hardware_uuid", kUuid},
          {"username", u.name},
          {"uid", Unsigned(*u.uid)},
          {"gid", Unsigned(*u.gid)},
          {"description", *u.full_name},
          {"directory", *u.home},
          {"shell", *u.shell},
          {"uuid", *u.guid},
          {"is_hidden", *u.hidden ? "1" : "0"}};
}

// The rows of Accord's queries for `mac`, by query.
std::vector<std::pair<std::string, std::vector<nlohmann::json>>> Queries(const DeviceState& mac) {
  std::vector<nlohmann::json> users, admins, homes;
  for (const ObservedUser& u : mac.users) {
    users.push_back(UserRow(u));
    if (u.admin == true) admins.push_back({{"hardware_uuid", kUuid}, {"username", u.name}});
  }
  for (const ObservedHome& h : mac.homes) {
    homes.push_back({{"hardware_uuid", kUuid}, {"path", h.path}, {"uid", Unsigned(*h.uid)}});
  }
  return {{"system_info",
           {{{"hardware_uuid", kUuid}, {"computer_name", "gen-mac"}, {"os_version", "15.1"}}}},
          {"users", users},
          {"admins", admins},
          {"homes", homes}};
}

nlohmann::json Line(const std::string& query) {
  return {{"name", "pack/accord/accord_" + query},
          {"hostIdentifier", "gen-mac.local"},
          {"calendarTime", "Fri Nov 28 12:00:00 2025 UTC"},
          {"unixTime", 1764331200},
          {"epoch", 0},
          {"counter", 0},
          {"numerics", false},
          {"decorations", {{"host_uuid", kUuid}}}};
}

enum class Format { kSnapshot, kEvents, kBatch };

// The result log osqueryd writes for `mac` in `format`.
std::string ResultLog(const DeviceState& mac, Format format) {
  std::string log;
  for (const auto& [query, rows] : Queries(mac)) {
    nlohmann::json line = Line(query);
    switch (format) {
      case Format::kSnapshot:
        line["snapshot"] = rows;
        line["action"] = "snapshot";
        log += line.dump() + "\n";
        break;
      case Format::kEvents:
        for (const nlohmann::json& row : rows) {
          line["action"] = "added";
          line["columns"] = row;
          log += line.dump() + "\n";
        }
        break;
      case Format::kBatch:
        line["diffResults"] = {{"added", rows}, {"removed", nlohmann::json::array()}};
        log += line.dump() + "\n";
        break;
    }
  }
  return log;
}

DeviceState FromOsquery(const DeviceState& mac, Format format) {
  OsqueryData data;
  ReadResultLog(ResultLog(mac, format), "gen.log", data);
  REQUIRE(data.errors.empty());
  REQUIRE(data.hosts.size() == 1);
  Result<MacFromOsquery> read = DeviceFromOsquery(data.hosts.begin()->second);
  REQUIRE(read.ok());
  return read.value().device;
}

// The snapshot JSON with every negative UID as osquery would print it.
DeviceState FromUnsignedSnapshot(const DeviceState& mac) {
  nlohmann::json doc = nlohmann::json::parse(SerializeSnapshot(mac));
  for (auto& u : doc["users"]) {
    if (u["uid"].is_number() && u["uid"].get<std::int64_t>() < 0) {
      u["uid"] = u["uid"].get<std::int64_t>() + (std::int64_t{1} << 32);
    }
  }
  return test::Device(doc.dump());
}

DeviceState FromDscl(const DeviceState& mac) {
  test::FakeMac fake(mac);
  Result<DeviceState> seen = ObserveMac(fake);
  REQUIRE(seen.ok());
  return seen.value();
}

// Every way the Mac can be read.
std::vector<std::pair<std::string, DeviceState>> Sources(const DeviceState& mac) {
  return {{"snapshot", test::Device(SerializeSnapshot(mac))},
          {"snapshot, unsigned uids", FromUnsignedSnapshot(mac)},
          {"dscl", FromDscl(mac)},
          {"osquery snapshot", FromOsquery(mac, Format::kSnapshot)},
          {"osquery events", FromOsquery(mac, Format::kEvents)},
          {"osquery diffResults", FromOsquery(mac, Format::kBatch)}};
}

// What a plan does to system accounts that may run: the names it deletes
// or demotes.
std::vector<std::string> Touched(const Plan& plan) {
  std::vector<std::string> out;
  for (const Change& c : plan.changes) {
    bool runs = c.outcome == Outcome::kRun || c.outcome == Outcome::kDeferred;
    bool removes = c.action == Action::kDeleteUser || c.action == Action::kMakeStandard ||
                   c.action == Action::kRevokeToken || c.action == Action::kResetPassword;
    if (runs && removes && IsSystem(c.user)) out.push_back(c.Id());
  }
  return out;
}

// The deletion of `user` the plan names, or nullptr.
const Change* Deletion(const Plan& plan, const std::string& user) {
  for (const Change& c : plan.changes) {
    if (c.action == Action::kDeleteUser && c.user == user) return &c;
  }
  return nullptr;
}

DeviceState TypicalMac() {
  DeviceState mac;
  mac.name = "gen-mac";
  mac.os_version = "15.1";
  for (const System& s : kSystem) mac.users.push_back(Account(s.name, s.uid, s.uid == 0));
  mac.users.push_back(Account("itadmin", 501, true));
  mac.users.push_back(Account("leaver", 502, false));
  return mac;
}

}  // namespace

TEST_CASE("unmanaged_users: remove deletes the people the file drops, never a system account",
          "[safety][system-accounts]") {
  DesiredState desired = test::Desired(
      "accord: 1\nusers:\n  itadmin: {role: admin}\npolicy: {unmanaged_users: remove}\n");
  for (const auto& [source, mac] : Sources(TypicalMac())) {
    INFO(source);
    const ObservedUser* nobody = mac.FindUser("nobody");
    REQUIRE(nobody);
    CHECK(nobody->uid == -2);  // read as the same UID whatever printed it
    Result<Plan> plan = MakePlan(desired, mac);
    REQUIRE(plan.ok());
    // Planned from every source; it runs where the Mac's tokens are seen
    // (osquery without a token table leaves them unknown: refused there).
    const Change* leaver = Deletion(plan.value(), "leaver");
    REQUIRE(leaver);
    if (source.rfind("osquery", 0) != 0) CHECK(leaver->outcome == Outcome::kRun);
    CHECK(Touched(plan.value()).empty());
    for (const Change& c : plan.value().changes) CHECK((c.user == "leaver" || c.user.empty()));
  }
}

TEST_CASE("a dscl listing with nobody at -2 is read as a system account",
          "[safety][system-accounts][macos-provider]") {
  // A synthetic `dscl -plist . -readall /Users` in the shape of the real
  // fixtures, with dscl's own signed -2 for nobody.
  std::string listing =
      test::ReadFile(test::SourcePath("tests/providers/macos/fixtures/"
                                      "dscl-plist-readall-users-nobody-synthetic.txt"));
  listing.erase(0, listing.find('\n') + 1);  // the source line
  test::FakeMac fake(TypicalMac());
  fake.Inject(DsclUsersCommand().Display(), {0, listing, ""});
  Result<DeviceState> mac = ObserveMac(fake);
  REQUIRE(mac.ok());
  const ObservedUser* nobody = mac.value().FindUser("nobody");
  REQUIRE(nobody);
  CHECK(nobody->uid == -2);
  Result<Plan> plan = MakePlan(
      test::Desired("accord: 1\nusers: {}\npolicy: {unmanaged_users: remove}\n"), mac.value());
  REQUIRE(plan.ok());
  CHECK(Touched(plan.value()).empty());
  REQUIRE(Deletion(plan.value(), "leaver"));
  CHECK(Deletion(plan.value(), "leaver")->outcome == Outcome::kRun);
}

TEST_CASE("a fleet whose osquery rows hold nobody at 4294967294 never deletes it",
          "[safety][system-accounts][fleet]") {
  std::string root = test::TempDir("fleet-nobody");
  fs::copy(test::SourcePath("examples/gitops"), root + "/gitops", fs::copy_options::recursive);
  std::string base = root + "/gitops/layers/base.yaml";
  std::string text = test::ReadFile(base);
  text.replace(text.find("unmanaged_users: report"), 23, "unmanaged_users: remove");
  test::WriteFile(base, text);
  test::CliRun run = test::RunAccord({"plan", "--fleet", root + "/gitops/fleet.yaml", "--inventory",
                                      root + "/gitops/inventory", "--mac", "eng-mbp-01"});
  INFO(run.out << run.err);
  // dana is a person no layer declares: her deletion is planned (and here
  // refused, for want of a certain unlock path). nobody, daemon, root and
  // _mbsetupuser are in the rows and never named.
  CHECK(run.out.find("delete user dana") != std::string::npos);
  for (const char* system : {"nobody", "daemon", "root", "_mbsetupuser"}) {
    CHECK(run.out.find(std::string("delete user ") + system) == std::string::npos);
  }
}

TEST_CASE("generated Macs read from every source: no plan deletes or demotes a system account",
          "[property][system-accounts]") {
  std::mt19937_64 rng(20261204);
  auto chance = [&](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
  };
  const char* people[] = {"ann", "ben", "cat", "dan"};
  const char* policies[] = {"remove", "report", "ignore"};
  for (int round = 0; round < 40; ++round) {
    DeviceState mac;
    mac.name = "gen-mac";
    for (const System& s : kSystem) {
      if (s.uid == 0 || chance(70)) mac.users.push_back(Account(s.name, s.uid, chance(20)));
    }
    std::string users;
    std::int64_t uid = 501;
    for (const char* p : people) {
      bool exists = chance(70);
      if (exists) mac.users.push_back(Account(p, uid++, chance(50)));
      if (exists) mac.homes.push_back({"/Users/" + std::string(p), uid - 1});
      if (!chance(50)) continue;
      users += "  " + std::string(p) + ": " +
               (chance(30)   ? "{ensure: absent}"
                : chance(50) ? "{role: standard}"
                             : "{}") +
               "\n";
    }
    std::string yaml = "accord: 1\nusers:\n" + (users.empty() ? "  {}\n" : users) +
                       "policy: {unmanaged_users: " + policies[round % 3] + "}\n";
    if (users.empty())
      yaml = "accord: 1\npolicy: {unmanaged_users: " + std::string(policies[round % 3]) + "}\n";
    DesiredState desired = test::Desired(yaml);
    for (const auto& [source, seen] : Sources(mac)) {
      INFO("round " << round << ", " << source << "\n" << yaml);
      Result<Plan> plan = MakePlan(desired, seen);
      REQUIRE(plan.ok());
      CHECK(Touched(plan.value()).empty());
    }
  }
}

}  // namespace accord
