// SPDX-License-Identifier: Apache-2.0
// The simulated Mac's executor: one apply at a time, a valid snapshot after
// every step, and convergence after a failure at any step.
#include "sim/sim_executor.h"

#include <filesystem>

#include "apply/apply.h"
#include "model/snapshot_codec.h"
#include "plan/planner.h"
#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

// A long plan: a replaced admin, four new token users, shells, a departure,
// an unmanaged account removed, and FileVault's first enablement.
const char* kLongPlan = R"(accord: 1
authority: {user: oldadmin, password: {env: PW}}
uid_ranges:
  people: {first: 501, last: 599}
users:
  oldadmin: {ensure: absent}
  newadmin: {role: admin, uid_range: people, password: {env: PW}, secure_token: true}
  second: {role: admin, uid_range: people, password: {env: PW}, secure_token: true}
  alice: {uid_range: people, shell: /bin/bash, password: {env: PW}, secure_token: true}
  bob: {uid_range: people, password: {env: PW}, secure_token: true}
  kiosk: {shell: /bin/bash, full_name: Front Desk}
  departed: {ensure: absent}
filevault: {enabled: true}
policy: {unmanaged_users: remove}
)";

std::string LongMac() {
  return test::Snapshot({{"oldadmin", 501, true, true},
                         {"kiosk", 502},
                         {"departed", 503, false, true},
                         {"stray", 504}},
                        {{"/Users/oldadmin", 501}}, "off");
}

SecretSources Env() {
  return {[](const std::string&) -> std::optional<std::string> { return "secret"; }, {}};
}

PlanSummary ApplyAll(const DesiredState& d, const std::string& path, SimExecutor::Faults faults,
                     ApplyReport* report = nullptr) {
  auto opened = SimExecutor::Open(path, faults);
  REQUIRE(opened.ok());
  Result<Plan> plan = MakePlan(d, opened.value()->state());
  REQUIRE(plan.ok());
  ApplyReport r = ApplyPlan(plan.value(), d, *opened.value(), Env(), [](const Change&) {});
  if (report) *report = r;
  return Summarize(plan.value());
}

DeviceState Reread(const std::string& path) {
  Result<DeviceState> s = ParseSnapshot(test::ReadFile(path), path);
  INFO(test::Messages(s));
  REQUIRE(s.ok());
  return s.value();
}

}  // namespace

TEST_CASE("a second apply on the same Mac is refused as locked", "[sim][apply]") {
  std::string path = test::TempDir("lock") + "/device.json";
  test::WriteFile(path, LongMac());
  {
    auto first = SimExecutor::Open(path);
    REQUIRE(first.ok());
    auto second = SimExecutor::Open(path);
    REQUIRE_FALSE(second.ok());
    CHECK(test::Messages(second) ==
          path + ": error: locked: another accord apply holds " + path + ".lock\n");
  }  // the first apply ends and releases the lock
  CHECK(SimExecutor::Open(path).ok());
}

TEST_CASE("a full apply converges: the next plan has no runnable steps", "[sim][apply]") {
  std::string path = test::TempDir("converge") + "/device.json";
  test::WriteFile(path, LongMac());
  test::WriteFile(path + ".tmp", "{\"half-written by a crash");  // a write interrupted earlier
  DesiredState d = test::Desired(kLongPlan);
  ApplyReport report;
  PlanSummary first = ApplyAll(d, path, {}, &report);
  INFO(report.error);
  REQUIRE(report.ok());
  CHECK(first.HasRunnable());
  CHECK(first.refused + first.blocked == 0);
  DeviceState after = Reread(path);
  CHECK(after.FindUser("oldadmin") == nullptr);
  CHECK(after.FindUser("newadmin")->secure_token == true);
  CHECK(after.filevault.status == FileVaultStatus::kDeferred);
  Result<Plan> again = MakePlan(d, after);
  REQUIRE(again.ok());
  CHECK_FALSE(Summarize(again.value()).HasRunnable());
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_CASE("a failure at any step leaves a valid snapshot, and a new plan converges",
          "[sim][apply][faults]") {
  DesiredState d = test::Desired(kLongPlan);
  Result<Plan> plan = MakePlan(d, test::Device(LongMac()));
  REQUIRE(plan.ok());
  const std::size_t steps = Summarize(plan.value()).create + Summarize(plan.value()).change +
                            Summarize(plan.value()).destroy + Summarize(plan.value()).deferred;
  REQUIRE(steps >= 12);
  for (std::size_t k = 0; k < steps; ++k) {
    INFO("failing step " << k);
    std::string path = test::TempDir("fault-" + std::to_string(k)) + "/device.json";
    test::WriteFile(path, LongMac());
    ApplyReport failed;
    ApplyAll(d, path, {k}, &failed);
    CHECK_FALSE(failed.ok());
    CHECK(failed.error == "injected failure (simulated Mac)");
    DeviceState interrupted = Reread(path);  // valid, whatever step failed

    // Every intermediate state is reboot-safe: an admin with a token remains.
    bool token_admin = false;
    for (const ObservedUser& u : interrupted.users) {
      token_admin = token_admin || (u.admin == true && u.secure_token == true);
    }
    CHECK(token_admin);

    ApplyReport resumed;
    ApplyAll(d, path, {}, &resumed);
    INFO(resumed.error);
    CHECK(resumed.ok());
    Result<Plan> after = MakePlan(d, Reread(path));
    REQUIRE(after.ok());
    CHECK_FALSE(Summarize(after.value()).HasRunnable());
  }
}

}  // namespace accord
