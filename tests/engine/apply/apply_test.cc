// SPDX-License-Identifier: Apache-2.0
// The apply loop: what runs, in which order, with which secrets, and where
// it stops. A recording executor stands in for the Mac.
#include "apply/apply.h"

#include <filesystem>

#include "plan/planner.h"
#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

class RecordingExecutor : public StepExecutor {
 public:
  StepResult Execute(const Change& step, const StepSecrets& s) override {
    std::string line = step.Id();
    if (s.authority_password) line += " authority=" + s.authority_password->Reveal();
    if (s.password) line += " password=" + s.password->Reveal();
    if (s.old_password) line += " old=" + s.old_password->Reveal();
    calls.push_back(line);
    if (step.Id() == fail_on) return std::string("it did not take");
    return std::nullopt;
  }
  StepResult RecordPending(const Change& step) override {
    calls.push_back("pending " + step.Id());
    return std::nullopt;
  }
  Status CheckCredentials(const std::vector<Credential>& creds) override {
    for (const Credential& c : creds) {
      checked.push_back(c.user + ": " + c.what + "=" + c.secret->Reveal());
      if (c.secret->Reveal() == wrong) return c.what + " is wrong";
    }
    return OkStatus();
  }
  std::vector<std::string> calls;
  std::vector<std::string> checked;
  std::string fail_on;
  std::string wrong;
};

SecretSources Env(std::map<std::string, std::string> values) {
  return {[values](const std::string& name) -> std::optional<std::string> {
            auto it = values.find(name);
            if (it == values.end()) return std::nullopt;
            return it->second;
          },
          {}};
}

struct Scenario {
  DesiredState desired;
  Plan plan;
};

Scenario Make(const std::string& yaml, const std::string& snapshot) {
  DesiredState d = test::Desired(yaml);
  Result<Plan> p = MakePlan(d, test::Device(snapshot));
  REQUIRE(p.ok());
  return {d, p.value()};
}

const char* kFile = R"(accord: 1
authority: {user: firstaccount, password: {env: AUTH}}
users:
  firstaccount: {}
  alice: {role: admin, password: {env: ALICE}, secure_token: true}
  bob: {uid: 502, secure_token: true, password: {env: BOB}}
)";

}  // namespace

TEST_CASE("apply runs runnable steps in order with their secrets, and nothing else", "[apply]") {
  Scenario s = Make(kFile, test::Snapshot({test::FirstAccount()}, {{"/Users/old", 502}}));
  RecordingExecutor mac;
  std::vector<std::string> started;
  ApplyReport r =
      ApplyPlan(s.plan, s.desired, mac, Env({{"AUTH", "a"}, {"ALICE", "b"}, {"BOB", "c"}}),
                [&](const Change& c) { started.push_back(c.Id()); });
  CHECK(r.ok());
  // bob's creation is refused (uid-reuse) and his grant skipped: neither runs.
  CHECK(mac.calls == std::vector<std::string>{"create_user:alice password=b",
                                              "grant_token:alice authority=a password=b"});
  CHECK(started == std::vector<std::string>{"create_user:alice", "grant_token:alice"});
  CHECK(r.done == std::vector<std::string>{"create_user:alice", "grant_token:alice"});
}

TEST_CASE("a missing secret stops apply before the first step, naming the step and the reference",
          "[apply]") {
  Scenario s = Make(kFile, test::Snapshot({test::FirstAccount()}));
  RecordingExecutor mac;
  int started = 0;
  ApplyReport r = ApplyPlan(s.plan, s.desired, mac, Env({{"ALICE", "b"}, {"BOB", "c"}}),
                            [&](const Change&) { ++started; });
  CHECK_FALSE(r.ok());
  CHECK(r.before_any_step);
  CHECK(r.failed_step == "grant_token:alice");
  CHECK(r.error == "the secret from env AUTH is not set");
  CHECK(r.done.empty());
  CHECK(mac.calls.empty());  // create_user:alice, which needs no AUTH, did not run either
  CHECK(started == 0);
}

TEST_CASE("the first failing step stops apply, later steps never run", "[apply]") {
  Scenario s = Make(kFile, test::Snapshot({test::FirstAccount()}));
  RecordingExecutor mac;
  mac.fail_on = "grant_token:alice";
  ApplyReport r =
      ApplyPlan(s.plan, s.desired, mac, Env({{"AUTH", "a"}, {"ALICE", "b"}, {"BOB", "c"}}),
                [](const Change&) {});
  CHECK(r.failed_step == "grant_token:alice");
  CHECK(r.error == "it did not take");
  CHECK(mac.calls.size() == 2);  // create alice, the failed grant; nothing for bob
}

TEST_CASE("a token deferred to the Bootstrap Token is recorded as pending", "[apply]") {
  std::string enrolled = test::Snapshot({test::FirstAccount()}, {}, "on", "true");
  enrolled.replace(enrolled.find("\"escrowed\": false"), 17, "\"escrowed\": true");
  Scenario s =
      Make("accord: 1\nusers:\n  firstaccount: {}\n  carol: {secure_token: true}\n", enrolled);
  RecordingExecutor mac;
  ApplyReport r = ApplyPlan(s.plan, s.desired, mac, Env({}), [](const Change&) {});
  CHECK(r.ok());
  CHECK(mac.calls == std::vector<std::string>{"create_user:carol", "pending grant_token:carol"});
  CHECK(r.pending == std::vector<std::string>{"grant_token:carol"});
}

TEST_CASE("file secrets are read relative to the desired-state file", "[apply]") {
  std::string dir = test::TempDir("file-secret");
  test::WriteSecretFile(dir + "/secrets/alice", "from-a-file\n");
  DesiredState d = test::Desired(
      "accord: 1\nusers:\n  firstaccount: {}\n  alice: {password: {file: secrets/alice}}\n");
  d.file = dir + "/desired.yaml";
  Result<Plan> p = MakePlan(d, test::Device(test::Snapshot({test::FirstAccount()})));
  RecordingExecutor mac;
  ApplyReport r = ApplyPlan(p.value(), d, mac, Env({}), [](const Change&) {});
  CHECK(r.ok());
  CHECK(mac.calls == std::vector<std::string>{"create_user:alice password=from-a-file"});
}

TEST_CASE("a secret file its group or others can read is refused before any step", "[apply]") {
  std::string dir = test::TempDir("loose-secret");
  test::WriteSecretFile(dir + "/alice", "from-a-file\n");
  std::filesystem::permissions(dir + "/alice", std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  DesiredState d = test::Desired(
      "accord: 1\nusers:\n  firstaccount: {}\n  bob: {}\n  alice: {password: {file: alice}}\n");
  d.file = dir + "/desired.yaml";
  Result<Plan> p = MakePlan(d, test::Device(test::Snapshot({test::FirstAccount()})));
  RecordingExecutor mac;
  ApplyReport r = ApplyPlan(p.value(), d, mac, Env({}), [](const Change&) {});
  CHECK(r.failed_step == "create_user:alice");
  CHECK(r.error == dir +
                       "/alice: error: the secret file is accessible to its group or others "
                       "(mode 0640); make it readable by its owner only: chmod 600 " +
                       dir + "/alice");
  CHECK(mac.calls.empty());  // not even bob, whose creation needs no secret
}

TEST_CASE("the authority's and each old password are checked once, before the first step",
          "[apply]") {
  const std::string file =
      "accord: 1\nauthority: {user: firstaccount, password: {env: AUTH}}\nusers:\n"
      "  firstaccount: {}\n"
      "  alice: {password: {env: NEW}, old_password: {env: OLD}, password_update: change}\n"
      "  bob: {role: admin, password: {env: BOB}, secure_token: true}\n";
  Scenario s = Make(file, test::Snapshot({test::FirstAccount(), {"alice", 502}}));
  auto sources = Env({{"AUTH", "a"}, {"NEW", "n"}, {"OLD", "o"}, {"BOB", "b"}});
  RecordingExecutor mac;
  CHECK(ApplyPlan(s.plan, s.desired, mac, sources, [](const Change&) {}).ok());
  CHECK(mac.checked == std::vector<std::string>{"alice: alice's old_password=o",
                                                "firstaccount: the authority's password=a"});

  RecordingExecutor wrong;
  wrong.wrong = "o";
  ApplyReport r = ApplyPlan(s.plan, s.desired, wrong, sources, [](const Change&) {});
  CHECK(r.before_any_step);
  CHECK(r.error == "alice's old_password is wrong");
  CHECK(wrong.calls.empty());
}

TEST_CASE("a password too long for a pipe, or with a line break, stops apply before any step",
          "[apply]") {
  Scenario s = Make(kFile, test::Snapshot({test::FirstAccount()}));
  for (const auto& [value, says] : std::vector<std::pair<std::string, std::string>>{
           {std::string(1023, 'x'), "the secret from env ALICE is 1023 bytes long"},
           {"first\nsecond", "the secret from env ALICE contains a line break"}}) {
    RecordingExecutor mac;
    ApplyReport r =
        ApplyPlan(s.plan, s.desired, mac, Env({{"AUTH", "a"}, {"ALICE", value}, {"BOB", "c"}}),
                  [](const Change&) {});
    CHECK(r.before_any_step);
    CHECK(r.error.find(says) == 0);
    CHECK(r.error.find(value) == std::string::npos);
    CHECK(mac.calls.empty());
  }
  // 1022 bytes is the limit, and fits.
  RecordingExecutor mac;
  CHECK(ApplyPlan(s.plan, s.desired, mac,
                  Env({{"AUTH", "a"}, {"ALICE", std::string(1022, 'x')}, {"BOB", "c"}}),
                  [](const Change&) {})
            .ok());
}

}  // namespace accord
