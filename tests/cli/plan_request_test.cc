// SPDX-License-Identifier: Apache-2.0
// ChoosePlan: plan's flags into one typed request, and every pair of flags
// that does not go together refused with its reason.
#include "cli/verbs.h"
#include "support/catch.h"

namespace accord {
namespace {

std::string Error(const PlanFlags& f) {
  Result<PlanRequest> r = ChoosePlan(f);
  return r.ok() ? "" : r.errors().front().message;
}

}  // namespace

TEST_CASE("plan's flags choose one mode, with the display apart", "[cli]") {
  PlanFlags one;
  one.desired = "d.yaml";
  one.replay = "bundle";
  one.out = "p.json";
  one.explain = true;
  Result<PlanRequest> r = ChoosePlan(one);
  REQUIRE(r.ok());
  const auto* mac = std::get_if<OneMacPlan>(&r.value().mode);
  REQUIRE(mac);
  CHECK(mac->device.replay == "bundle");
  CHECK(mac->out == "p.json");
  CHECK(r.value().display.explain);

  PlanFlags fleet;
  fleet.fleet = "fleet.yaml";
  fleet.inventory = "inv";
  fleet.format = "junit";
  fleet.mac = "X";
  r = ChoosePlan(fleet);
  REQUIRE(r.ok());
  const auto* f = std::get_if<FleetPlanRequest>(&r.value().mode);
  REQUIRE(f);
  CHECK(f->format == FleetFormat::kJunit);
  CHECK(f->mac == "X");

  PlanFlags enroll;
  enroll.enroll = "e.yaml";
  enroll.inventory = "inv";
  r = ChoosePlan(enroll);
  REQUIRE(r.ok());
  REQUIRE(std::get_if<EnrollRequest>(&r.value().mode));
  CHECK(std::get<EnrollRequest>(r.value().mode).inventory == "inv");
}

TEST_CASE("flags that do not go with the mode are refused, each with its reason", "[cli]") {
  CHECK(Error({}).find("plan needs -f DESIRED") == 0);
  PlanFlags f;
  f.inventory = "inv";
  CHECK(Error(f).find("--inventory DIR needs --fleet FLEET, --enroll ENROLLMENT, or -f") == 0);
  f.desired = "desired.yaml";
  CHECK(Error(f).find("-f DESIRED with --inventory DIR plans one Mac: name it with --mac") == 0);
  f.mac = "lab-mac-01";
  Result<PlanRequest> mac = ChoosePlan(f);
  REQUIRE(mac.ok());  // one Mac of a fleet's data, planned with the file
  CHECK(std::get<OneMacPlan>(mac.value().mode).device.inventory == "inv");
  CHECK(std::get<OneMacPlan>(mac.value().mode).device.mac == "lab-mac-01");
  f.desired.clear();
  f.mac.clear();
  f.fleet = "fleet.yaml";
  f.format = "html";
  CHECK(Error(f) == "--format is text, markdown, junit or json, not 'html'");
  f.inventory.clear();
  CHECK(Error(f).find("plan --fleet needs --inventory DIR") == 0);

  PlanFlags e;
  e.enroll = "e.yaml";
  e.inventory = "inv";
  e.mac = "lab-mac-01";
  Result<PlanRequest> one = ChoosePlan(e);
  REQUIRE(one.ok());  // one Mac of the inventory, predicted whole
  CHECK(std::get<EnrollRequest>(one.value().mode).device.mac == "lab-mac-01");
  CHECK(std::get<EnrollRequest>(one.value().mode).inventory.empty());
  e.inventory.clear();
  CHECK(Error(e).find("--mac MAC needs --inventory DIR") == 0);
  e.mac.clear();
  e.out = "p.json";
  CHECK(Error(e).find("a prediction cannot be saved") == 0);
  e.fleet = "fleet.yaml";
  CHECK(Error(e).find("--enroll does not compose") == 0);
  e.desired = "d.yaml";
  CHECK(Error(e).find("--enroll predicts enrollment from its own file") == 0);
}

}  // namespace accord
