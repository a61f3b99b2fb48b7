// SPDX-License-Identifier: Apache-2.0
// plan --enroll: every enrollment example predicts as its golden text and
// JSON, with the verdict, warnings and event order each scenario promises;
// predictions work from every device source (snapshot, capture bundle, the
// Mac itself, an inventory); bad enrollment files are positioned errors.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "enroll/predict.h"
#include "load/enrollment_loader.h"
#include "macos/capture.h"
#include "model/snapshot_codec.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

const std::string kDir = "examples/enrollment/";

std::vector<std::string> Scenarios() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(test::SourcePath(kDir))) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> Predict(const std::string& scenario, bool json) {
  std::vector<std::string> args = {"plan", "--enroll", kDir + scenario + "/enrollment.yaml",
                                   "--device", kDir + scenario + "/device.json"};
  if (json) args.push_back("--json");
  return args;
}

// What each scenario promises: its verdict, its exit status, the kinds of
// its reasons in order, and its events in order with their outcomes.
struct Expected {
  std::string verdict;
  int status;
  std::vector<std::string> reasons;
  std::vector<std::string> events;  // "id outcome"
};

const std::map<std::string, Expected>& Promises() {
  static const std::map<std::string, Expected> promises = {
      {"fresh-mac",
       {"ready",
        0,
        {},
        {"create_user:_jumpcloudserviceaccount run", "grant_token:_jumpcloudserviceaccount run",
         "enroll_mdm run", "create_user:jdoe run", "grant_token:jdoe run",
         "enable_filevault deferred"}}},
      // macOS 15.1: any SecureToken holder's graphical login escrows the
      // Bootstrap Token (10.15.4 and later); the seed's rule is a warning.
      {"standard-first-account",
       {"ready-with-warnings",
        0,
        {"standard-first-account"},
        {"enroll_mdm run", "create_user:jdoe run", "grant_token:jdoe deferred"}}},
      // The same Mac on macOS 10.15.3: the seed's rule is the rule.
      {"standard-first-account-10.15.3",
       {"not-ready",
        3,
        {"blocked", "no-bootstrap-token"},
        {"enroll_mdm run", "create_user:jdoe run", "grant_token:jdoe blocked"}}},
      {"case-only-takeover",
       {"ready-with-warnings",
        0,
        {"bind-name-case"},
        {"create_user:_jumpcloudserviceaccount run", "grant_token:_jumpcloudserviceaccount run",
         "create_user:jdoe run", "grant_token:jdoe run"}}},
      {"only-token-holder-takeover",
       {"not-ready",
        3,
        {"refused"},
        {"create_user:_jumpcloudserviceaccount run", "grant_token:_jumpcloudserviceaccount run",
         "reset_password:jdoe refused", "grant_token:jdoe skipped"}}},
      // An MDM password policy longer than the agent's generated password:
      // the service account is not created (JumpCloud's known issue).
      {"agent-password-policy",
       {"not-ready",
        3,
        {"blocked"},
        {"create_user:_jumpcloudserviceaccount blocked",
         "grant_token:_jumpcloudserviceaccount skipped", "enroll_mdm run", "create_user:jdoe run",
         "grant_token:jdoe skipped"}}},
      // The same Mac, with the agent's previous-password sync: FileVault
      // and the keychain stay in step, nothing is refused.
      {"takeover-previous-password",
       {"ready",
        0,
        {},
        {"create_user:_jumpcloudserviceaccount run", "grant_token:_jumpcloudserviceaccount run",
         "change_password:jdoe run", "grant_token:jdoe skipped"}}},
      {"agent-without-credentials",
       {"not-ready",
        3,
        {"blocked"},
        {"create_user:_jumpcloudserviceaccount run", "grant_token:_jumpcloudserviceaccount blocked",
         "create_user:alice run", "grant_token:alice skipped"}}},
      // ADE with account creation skipped: no Bootstrap Token; jdoe, the
      // first account with a password, gets the first token itself.
      {"ade-skip-account-creation",
       {"ready-with-warnings",
        0,
        {"last-admin", "last-token-admin", "no-bootstrap-token"},
        {"enroll_mdm run", "create_user:jdoe run", "grant_token:jdoe skipped"}}},
      // Nobody logs in at the console: no Bootstrap Token is escrowed
      // either (it needs a graphical login).
      {"headless-filevault",
       {"ready-with-warnings",
        0,
        {"no-bootstrap-token", "never-completes"},
        {"enroll_mdm run", "enable_filevault deferred"}}},
      {"ready",
       {"ready",
        0,
        {},
        {"enroll_mdm run", "reset_password:jdoe run", "grant_token:jdoe deferred",
         "create_user:bob run", "grant_token:bob deferred"}}},
      {"agent-removal",
       {"not-ready", 3, {"refused"}, {"delete_user:_jumpcloudserviceaccount refused"}}},
  };
  return promises;
}

}  // namespace

TEST_CASE("every enrollment example predicts as its golden text and JSON", "[golden][enroll]") {
  std::vector<std::string> scenarios = Scenarios();
  REQUIRE(scenarios.size() == Promises().size());
  for (const std::string& name : scenarios) {
    INFO(name);
    REQUIRE(Promises().count(name) == 1);
    const Expected& expected = Promises().at(name);
    test::CliRun text = test::RunAccord(Predict(name, false));
    INFO(text.err);
    CHECK(text.err.empty());
    CHECK(text.status == expected.status);
    test::CompareGolden("enrollment/" + name + ".txt",
                        "exit " + std::to_string(text.status) + "\n" + text.out);
    test::CliRun json = test::RunAccord(Predict(name, true));
    CHECK(json.status == expected.status);
    test::CompareGolden("enrollment/" + name + ".json", json.out);

    nlohmann::json doc = nlohmann::json::parse(json.out);
    CHECK(doc["enrollment"]["verdict"] == expected.verdict);
    std::vector<std::string> reasons;
    for (const auto& r : doc["enrollment"]["reasons"]) reasons.push_back(r["kind"]);
    CHECK(reasons == expected.reasons);
    std::vector<std::string> events;
    for (const auto& c : doc["changes"]) {
      CHECK(c.contains("event"));  // every change of a prediction is an event
      events.push_back(c["id"].get<std::string>() + " " + c["outcome"].get<std::string>());
    }
    CHECK(events == expected.events);
    // A verdict of ready never stands beside a refused or blocked event.
    bool stopped = doc["summary"]["refused"] != 0 || doc["summary"]["blocked"] != 0;
    CHECK(stopped == (expected.verdict == "not-ready"));
  }
}

TEST_CASE("the README shows what the enrollment prediction prints", "[golden][enroll]") {
  std::string readme = test::ReadFile(test::SourcePath("README.md"));
  const std::string marker = "The prediction prints:\n\n```text\n";
  std::size_t start = readme.find(marker);
  REQUIRE(start != std::string::npos);
  start += marker.size();
  CHECK(readme.substr(start, readme.find("```", start) - start) ==
        test::RunAccord(Predict("standard-first-account-10.15.3", false)).out);
}

TEST_CASE("the enrollment profiles predict on a fresh Mac as their goldens", "[golden][enroll]") {
  for (const char* profile : {"agent-profile", "mdm-profile"}) {
    INFO(profile);
    test::CliRun run = test::RunAccord(
        {"plan", "--enroll", kDir + profile + ".yaml", "--device", kDir + "fresh-mac/device.json"});
    CHECK(run.err.empty());
    test::CompareGolden("enrollment/profile-" + std::string(profile) + ".txt",
                        "exit " + std::to_string(run.status) + "\n" + run.out);
    CHECK(test::RunAccord({"validate", kDir + profile + ".yaml"}).status == 0);
  }
}

TEST_CASE("an enrollment is predicted from a bundle, on the Mac itself, and for an inventory",
          "[enroll][cli]") {
  const std::string enrollment = kDir + "standard-first-account/enrollment.yaml";
  DeviceState device =
      test::Device(test::ReadFile(test::SourcePath(kDir + "standard-first-account/device.json")));
  test::FakeMac mac(device);
  std::string bundle = test::TempDir("enroll-bundle");
  REQUIRE(CaptureBundle(mac, bundle).ok());
  test::CliRun replayed = test::RunAccord({"plan", "--enroll", enrollment, "--replay", bundle});
  CHECK(replayed.status == 3);
  CHECK(replayed.out.find("grant a SecureToken to jdoe  blocked") != std::string::npos);
  CHECK(replayed.out.find("Verdict: not ready") != std::string::npos);

  test::OnFakeMac on(test::Device(test::ReadFile(test::SourcePath(kDir + "fresh-mac/device.json"))),
                     "enroll-on-mac");
  const DeviceState before = on.mac.state();
  test::CliRun here = on.Run({"plan", "--enroll", kDir + "fresh-mac/enrollment.yaml", "--json"});
  INFO(here.err);
  CHECK(here.status == 0);
  CHECK(nlohmann::json::parse(here.out)["enrollment"]["verdict"] == "ready");
  CHECK(on.mac.state() == before);  // a prediction changes nothing
  CHECK_FALSE(std::filesystem::exists(on.StateFile()));

  // Every Mac of an osquery inventory: its verdict, then every reason.
  test::CliRun fleet = test::RunAccord({"plan", "--enroll", "examples/gitops/enrollment.yaml",
                                        "--inventory", "examples/gitops/inventory"});
  INFO(fleet.out << fleet.err);
  CHECK(fleet.status == 3);
  CHECK(fleet.out.find("more)") == std::string::npos);  // nothing cut off
  std::size_t verdicts = 0;
  std::istringstream in(fleet.out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("    ", 0) == 0) continue;  // a reason or its fix
    bool verdict = line.find("  ready") != std::string::npos ||
                   line.find("  not-ready") != std::string::npos ||
                   line.find("  ready-with-warnings") != std::string::npos;
    CHECK(verdict);
    ++verdicts;
  }
  CHECK(verdicts == 4);
  // The same as one document, and one Mac of it predicted whole.
  test::CliRun json = test::RunAccord({"plan", "--enroll", "examples/gitops/enrollment.yaml",
                                       "--inventory", "examples/gitops/inventory", "--json"});
  CHECK(json.status == 3);
  nlohmann::json doc = nlohmann::json::parse(json.out);
  REQUIRE(doc["macs"].size() == 4);
  test::CliRun one =
      test::RunAccord({"plan", "--enroll", "examples/gitops/enrollment.yaml", "--inventory",
                       "examples/gitops/inventory", "--mac", "lab-mac-01", "--json"});
  INFO(one.err);
  nlohmann::json lab = nlohmann::json::parse(one.out);
  for (const auto& m : doc["macs"]) {
    if (m["name"] == "lab-mac-01") CHECK(m["verdict"] == lab["enrollment"]["verdict"]);
  }
  test::CompareGolden("enrollment/inventory.txt",
                      "exit " + std::to_string(fleet.status) + "\n" + fleet.out);
}

TEST_CASE("a grant already done is no reason to skip what depends on it", "[enroll]") {
  // No account holds a SecureToken: the service account gets the first one
  // as it is created (DOMAIN §1), so the installer's grant is already done,
  // and the agent can still grant bob his.
  DeviceState mac = test::Device(
      "{\"accord_device\": 1, \"users\": [{\"name\": \"ann\", \"uid\": 501, \"admin\": true, "
      "\"secure_token\": false}], \"homes\": [], \"filevault\": {\"status\": \"off\"}}");
  Result<Enrollment> e = ParseEnrollment(
      "accord_enrollment: 1\nagent:\n  service_account: _agent\nusers:\n  bob: {}\n", "e.yaml");
  REQUIRE(e.ok());
  Prediction p = PredictEnrollment(e.value(), mac, "test");
  std::vector<std::string> events;
  for (const EventStep& s : p.steps) {
    events.push_back(s.change.Id() + " " + ToString(s.change.outcome));
  }
  CHECK(events == std::vector<std::string>{"create_user:_agent run", "grant_token:_agent skipped",
                                           "create_user:bob run", "grant_token:bob run"});
  CHECK(p.readiness.verdict != Verdict::kNotReady);
}

TEST_CASE("plan --enroll refuses options that make no sense for a prediction", "[enroll][cli]") {
  const std::string e = kDir + "fresh-mac/enrollment.yaml";
  const std::string d = kDir + "fresh-mac/device.json";
  test::CliRun out = test::RunAccord({"plan", "--enroll", e, "--device", d, "--out", "p.json"});
  CHECK(out.status == 1);
  CHECK(out.err.find("cannot be saved") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists("p.json"));
  CHECK(test::RunAccord(
            {"plan", "--enroll", e, "-f", "examples/fresh-mac/desired.yaml", "--device", d})
            .status == 1);
  CHECK(test::RunAccord({"plan", "--inventory", "examples/gitops/inventory"}).status == 1);
  test::CliRun detailed =
      test::RunAccord({"plan", "--enroll", e, "--device", d, "--detailed-exitcode"});
  CHECK(detailed.status == 2);  // ready, and enrollment would change the Mac
}

TEST_CASE("bad enrollment files are errors at file:line:column", "[enroll][load]") {
  struct Case {
    const char* yaml;
    const char* message;
  };
  const Case cases[] = {
      {"accord_enrollment: 1\nagent:\n  service_account: _jc\n  tokn_admin: {}\n",
       "bad.yaml:4:3: error: agent: unknown key 'tokn_admin'; did you mean 'token_admin'?"},
      {"accord_enrollment: 1\nusers:\n  \"j doe\": {}\n",
       "bad.yaml:3:3: error: users.j doe: bound user 'j doe':"},
      {"accord_enrollment: 1\nusers:\n  jdoé: {}\n", "bad.yaml:3:3: error: users.jdo"},
      {"accord_enrollment: 1\nagent:\n  service_account: _jdoe\nusers:\n  _JDoe: {}\n",
       "bad.yaml:3:20: error: agent.service_account: service account '_jdoe' collides with "
       "bound user '_JDoe' (line 5)"},
      {"accord_enrollment: 1\nagent:\n  service_account: jcservice\n",
       "bad.yaml:3:20: error: agent.service_account: 'jcservice' is not a role account name"},
      {"accord_enrollment: 1\nagent:\n  service_account: _jc\n  uid: 502\n",
       "bad.yaml:4:8: error: agent.uid: uid 502 is in the people range"},
      {"accord_enrollment: 1\nagent:\n  service_account: _jc\n  token_admin:\n    user: admin\n"
       "    password: hunter2\n",
       "bad.yaml:6:15: error: agent.token_admin.password: plaintext secrets are not allowed"},
      {"accord_enrollment: 1\nmdm: {name: X}\n",
       "bad.yaml:2:1: error: mdm: mdm needs 'escrows_bootstrap_token'"},
      {"accord_enrollment: 2\n", "bad.yaml:1:20: error: accord_enrollment: unsupported"},
      {"accord_enrollment: 1\nagent: {service_account: _jc, ensure: absent}\nusers: {bob: {}}\n",
       "bad.yaml:3:1: error: users: users are bound by the agent, and this file removes it"},
  };
  for (const Case& c : cases) {
    INFO(c.yaml);
    Result<Enrollment> e = ParseEnrollment(c.yaml, "bad.yaml");
    REQUIRE_FALSE(e.ok());
    std::string messages = test::Messages(e);
    CHECK(messages.find(c.message) != std::string::npos);
    CHECK(messages.find("hunter2") == std::string::npos);
  }
  // The CLI says the same, exits 1, and prints no prediction.
  std::string dir = test::TempDir("bad-enrollment");
  test::WriteFile(dir + "/e.yaml", cases[0].yaml);
  test::CliRun run = test::RunAccord(
      {"plan", "--enroll", dir + "/e.yaml", "--device", kDir + "fresh-mac/device.json"});
  CHECK(run.status == 1);
  CHECK(run.out.empty());
  CHECK(run.err.find("e.yaml:4:3: error:") != std::string::npos);
  test::CliRun validate = test::RunAccord({"validate", dir + "/e.yaml"});
  CHECK(validate.status == 1);
}

TEST_CASE("a case-only takeover's home: the same folder, a new one, or may be", "[enroll]") {
  Result<Enrollment> e = ParseEnrollment(
      test::ReadFile(test::SourcePath(kDir + "case-only-takeover/enrollment.yaml")), "e.yaml");
  REQUIRE(e.ok());
  DeviceState mac =
      test::Device(test::ReadFile(test::SourcePath(kDir + "case-only-takeover/device.json")));
  auto warning = [&](Known<bool> sensitive) {
    mac.volume_case_sensitive = sensitive;
    Prediction p = PredictEnrollment(e.value(), mac, "test");
    for (const ReadinessReason& r : p.readiness.reasons) {
      if (r.kind == "bind-name-case") return r.message;
    }
    return std::string();
  };
  CHECK(warning(false).find("is case-insensitive, so its home /Users/jdoe is /Users/JDoe") !=
        std::string::npos);
  CHECK(warning(true).find("is case-sensitive, so its home /Users/jdoe is a new folder") !=
        std::string::npos);
  CHECK(warning(std::nullopt).find("its home /Users/jdoe may be /Users/JDoe") != std::string::npos);
}

TEST_CASE("an MDM password policy the agent's password may not meet is a warning, not a guess",
          "[enroll]") {
  DeviceState mac = test::Device(test::ReadFile(test::SourcePath(kDir + "fresh-mac/device.json")));
  auto kinds = [&](const std::string& agent_extra, const std::string& policy) {
    Result<Enrollment> e =
        ParseEnrollment("accord_enrollment: 1\nagent:\n  service_account: _agent\n" + agent_extra +
                            "  token_admin: {user: firstaccount, password: {env: P}}\n"
                            "mdm:\n  escrows_bootstrap_token: false\n  password_policy: " +
                            policy + "\n",
                        "e.yaml");
    REQUIRE(e.ok());
    Prediction p = PredictEnrollment(e.value(), mac, "test");
    std::vector<std::string> out;
    for (const ReadinessReason& r : p.readiness.reasons) out.push_back(r.kind);
    return out;
  };
  // Length unknown, or complexity asked: cannot tell, so a warning.
  CHECK(kinds("", "{min_length: 12}") == std::vector<std::string>{"password-policy"});
  CHECK(kinds("  password_length: 32\n", "{min_length: 12, complex: true}") ==
        std::vector<std::string>{"password-policy"});
  // Long enough and no complexity: nothing to say; too short: blocked.
  CHECK(kinds("  password_length: 32\n", "{min_length: 12}").empty());
  CHECK(kinds("  password_length: 8\n", "{min_length: 12}") == std::vector<std::string>{"blocked"});
}

TEST_CASE("headless: no Bootstrap Token, so a grant that relies on it is blocked", "[enroll]") {
  DeviceState mac = test::Device(test::ReadFile(test::SourcePath(kDir + "fresh-mac/device.json")));
  Result<Enrollment> e = ParseEnrollment(
      "accord_enrollment: 1\nmdm:\n  escrows_bootstrap_token: true\nusers:\n  jdoe: {}\n"
      "headless: true\n",
      "e.yaml");
  REQUIRE(e.ok());
  Prediction p = PredictEnrollment(e.value(), mac, "test");
  bool blocked = false;
  for (const EventStep& s : p.steps) {
    if (s.change.Id() == "grant_token:jdoe") blocked = s.change.outcome == Outcome::kBlocked;
  }
  CHECK(blocked);
  CHECK(p.readiness.verdict == Verdict::kNotReady);
}

TEST_CASE("enrollment by macOS version: 10.13, 10.14, 10.15.3, 10.15.7 and 11", "[enroll]") {
  DeviceState mac = test::Device(test::ReadFile(test::SourcePath(kDir + "fresh-mac/device.json")));
  Result<Enrollment> e = ParseEnrollment(
      "accord_enrollment: 1\nmdm:\n  escrows_bootstrap_token: true\nusers:\n  jdoe: {}\n",
      "e.yaml");
  REQUIRE(e.ok());
  struct Expect {
    const char* version;
    Known<bool> escrowed;  // the MDM event's forecast
    Outcome grant;         // jdoe's token from the Bootstrap Token
    const char* because;   // said in the grant's reason
  };
  const Expect table[] = {
      {"10.13.6", false, Outcome::kBlocked, "before 10.15 has no Bootstrap Token"},
      {"10.14.6", false, Outcome::kBlocked, "before 10.15 has no Bootstrap Token"},
      {"10.15.3", true, Outcome::kBlocked, "on 10.15 only mobile accounts"},
      {"10.15.7", true, Outcome::kBlocked, "on 10.15 only mobile accounts"},
      {"11.7.10", true, Outcome::kDeferred, "'s first login"},
      {"", std::nullopt, Outcome::kBlocked, "cannot tell whether a Bootstrap Token"},
  };
  for (const Expect& x : table) {
    INFO(x.version);
    mac.os_version = *x.version ? Known<std::string>(x.version) : std::nullopt;
    Prediction p = PredictEnrollment(e.value(), mac, "test");
    const Change* mdm = nullptr;
    const Change* grant = nullptr;
    for (const EventStep& s : p.steps) {
      if (s.change.action == Action::kEnrollMdm) mdm = &s.change;
      if (s.change.Id() == "grant_token:jdoe") grant = &s.change;
    }
    REQUIRE(mdm);
    REQUIRE(grant);
    CHECK(mdm->AfterAs<bool>(Attr::kBootstrapTokenEscrowed) == x.escrowed);
    CHECK(grant->outcome == x.grant);
    CHECK(grant->Why().find(x.because) != std::string::npos);
    CHECK((p.readiness.verdict == Verdict::kNotReady) == (x.grant == Outcome::kBlocked));
  }
}

}  // namespace accord
