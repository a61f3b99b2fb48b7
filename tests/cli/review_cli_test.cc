// SPDX-License-Identifier: Apache-2.0
// Applying what was reviewed, end to end: the fleet plan writes each Mac's
// review beside its desired file, and `apply --reviewed` on that Mac runs
// the reviewed steps, refuses any other as not-reviewed (exit 3) and
// changes nothing for a review of another Mac.
#include <nlohmann/json.hpp>

#include "model/review.h"
#include "plan/planner.h"
#include "render/review_json.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

constexpr const char* kLabFile = "lab-mac-01.2D8E6B14-9F07-4A3C-B5E2-81C4D6A7F003";
const std::map<std::string, std::string> kSecrets = {{"STUDENT_PASSWORD", "correct horse 1"},
                                                     {"ITADMIN_PASSWORD", "battery staple 2"}};

struct Shipped {
  std::string dir;
  std::string desired;
  std::string review;
  std::string mac;  // the lab Mac as a snapshot, as its inventory shows it
};

Shipped Ship(const std::string& name) {
  Shipped s;
  s.dir = test::TempDir(name);
  test::CliRun plan =
      test::RunAccord({"plan", "--fleet", "examples/gitops/fleet.yaml", "--inventory",
                       "examples/gitops/inventory", "--out-dir", s.dir});
  REQUIRE(plan.status == 3);
  s.desired = s.dir + "/" + kLabFile + ".desired.yaml";
  s.review = s.dir + "/" + kLabFile + ".review.json";
  test::CliRun observe = test::RunAccord(
      {"observe", "--inventory", "examples/gitops/inventory", "--mac", "lab-mac-01"});
  REQUIRE(observe.status == 0);
  s.mac = s.dir + "/lab.json";
  test::WriteFile(s.mac, observe.out);
  return s;
}

// The ids of the record's steps with `result`.
std::vector<std::string> StepsWith(const std::string& record, const std::string& result) {
  std::vector<std::string> ids;
  const nlohmann::json doc = nlohmann::json::parse(record);
  for (const auto& step : doc.at("steps")) {
    if (step.at("result") == result) ids.push_back(step.at("id").get<std::string>());
  }
  return ids;
}

}  // namespace

TEST_CASE("the fleet plan writes each Mac's review: its steps that run, bound to the Mac",
          "[review][fleet]") {
  Shipped s = Ship("review-written");
  nlohmann::json review = nlohmann::json::parse(test::ReadFile(s.review));
  CHECK(review.at("hardware_uuid") == "2D8E6B14-9F07-4A3C-B5E2-81C4D6A7F003");
  std::vector<std::string> ids;
  for (const auto& step : review.at("steps")) ids.push_back(step.at("id").get<std::string>());
  nlohmann::json plan =
      nlohmann::json::parse(test::ReadFile(s.dir + "/" + kLabFile + ".plan.json"));
  std::vector<std::string> running;
  for (const auto& c : plan.at("changes")) {
    if (c.at("outcome") == "run" || c.at("outcome") == "deferred") running.push_back(c.at("id"));
  }
  CHECK(ids == running);
  CHECK(std::find(ids.begin(), ids.end(), "delete_user:guest") != ids.end());
  // Secrets only as references.
  CHECK(test::ReadFile(s.review).find("{\"env\":\"STUDENT_PASSWORD\"}") != std::string::npos);
}

TEST_CASE("apply --reviewed runs the reviewed steps and refuses a deletion nobody saw",
          "[review][apply]") {
  Shipped s = Ship("review-apply");
  // As reviewed: what runs is what the review holds, nothing is not-reviewed.
  const std::string first = s.dir + "/first.json";
  test::WriteFile(first, test::ReadFile(s.mac));
  test::CliRun applied = test::RunAccord({"apply", "-f", s.desired, "--device", first, "--reviewed",
                                          s.review, "--auto-approve", "--json"},
                                         kSecrets);
  INFO(applied.err);
  CHECK(applied.out.find("not-reviewed") == std::string::npos);
  CHECK(StepsWith(applied.out, "done") ==
        std::vector<std::string>{"create_user:student", "delete_user:guest"});

  // Reviewed when guest was not there: its deletion is refused, and the
  // Mac keeps guest.
  nlohmann::json review = nlohmann::json::parse(test::ReadFile(s.review));
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& step : review.at("steps")) {
    if (step.at("id") != "delete_user:guest") kept.push_back(step);
  }
  review["steps"] = kept;
  test::WriteFile(s.review, review.dump(2));
  test::CliRun unseen = test::RunAccord(
      {"apply", "-f", s.desired, "--device", s.mac, "--reviewed", s.review, "--auto-approve"},
      kSecrets);
  CHECK(unseen.status == 3);
  CHECK(unseen.out.find("delete user guest") != std::string::npos);
  CHECK(unseen.out.find("not reviewed") != std::string::npos);
  CHECK(unseen.out.find("[not-reviewed]") != std::string::npos);
  CHECK(test::ReadFile(s.mac).find("\"guest\"") != std::string::npos);
}

TEST_CASE("a review of another Mac, or a damaged one, changes nothing", "[review][apply]") {
  Shipped s = Ship("review-other");
  const std::string before = test::ReadFile(s.mac);
  std::string other = test::ReadFile(s.review);
  other.replace(other.find("2D8E6B14"), 8, "00000000");
  test::WriteFile(s.dir + "/other.review.json", other);
  test::CliRun run = test::RunAccord({"apply", "-f", s.desired, "--device", s.mac, "--reviewed",
                                      s.dir + "/other.review.json", "--auto-approve"},
                                     kSecrets);
  CHECK(run.status == 1);
  CHECK(run.err.find("[device-mismatch]") != std::string::npos);
  test::WriteFile(s.dir + "/broken.review.json", "{\"accord_review\": 1, \"steps\": 7}");
  test::CliRun broken = test::RunAccord({"apply", "-f", s.desired, "--device", s.mac, "--reviewed",
                                         s.dir + "/broken.review.json", "--auto-approve"},
                                        kSecrets);
  CHECK(broken.status == 1);
  CHECK(broken.err.find("broken.review.json: error: steps: expected an array") !=
        std::string::npos);
  CHECK(broken.err.find("nothing was changed") != std::string::npos);
  CHECK(test::ReadFile(s.mac) == before);
}

}  // namespace accord

namespace accord {

TEST_CASE("on a Mac, apply --reviewed runs the reviewed steps through the real tools",
          "[review][macos-provider]") {
  DeviceState state =
      test::Device(test::ReadFile(test::SourcePath("examples/replace-only-admin/device.json")));
  state.hardware_uuid = "5B0E7A52-8C1D-4F3E-A6B9-1D2C3E4F5A60";
  const std::string dir = test::TempDir("review-on-mac");
  test::WriteFile(dir + "/desired.yaml",
                  "accord: 1\nauthority: {user: oldadmin, password: {env: OLDADMIN_PASSWORD}}\n"
                  "users:\n  oldadmin: {ensure: absent}\n"
                  "  newadmin: {full_name: New Admin, role: admin, secure_token: true, "
                  "password: {env: NEWADMIN_PASSWORD}}\n");
  // Reviewed: everything but the old admin's deletion.
  Result<Plan> planned = MakePlan(test::Desired(test::ReadFile(dir + "/desired.yaml")), state);
  REQUIRE(planned.ok());
  Review review = ReviewOf(planned.value(), *state.hardware_uuid, "fleet.yaml");
  std::erase_if(review.steps, [](const Change& c) { return c.Id() == "delete_user:oldadmin"; });
  test::WriteFile(dir + "/review.json", RenderReviewJson(review));

  test::OnFakeMac on(state, "review-on-mac-fake");
  on.mac.SetPassword("oldadmin", "Old-Pw-1");
  const std::map<std::string, std::string> env = {{"OLDADMIN_PASSWORD", "Old-Pw-1"},
                                                  {"NEWADMIN_PASSWORD", "New-Pw-2"}};
  test::CliRun run = on.Run({"apply", "-f", dir + "/desired.yaml", "--reviewed",
                             dir + "/review.json", "--auto-approve", "--json"},
                            env);
  INFO(run.out << run.err);
  CHECK(run.status == 3);
  nlohmann::json record = nlohmann::json::parse(run.out);
  std::map<std::string, std::string> results;
  for (const auto& step : record["steps"]) {
    results[step["id"]] = step["result"].get<std::string>() + " " + step.value("rule", "");
  }
  CHECK(results["create_user:newadmin"] == "done ");
  CHECK(results["grant_token:newadmin"] == "done ");
  CHECK(results["delete_user:oldadmin"] == "not_run not-reviewed");
  CHECK(on.mac.state().FindUser("oldadmin") != nullptr);
  CHECK(on.mac.state().FindUser("newadmin") != nullptr);
}

}  // namespace accord
