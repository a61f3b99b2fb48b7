// SPDX-License-Identifier: Apache-2.0
// Applying plans to a (fake) Mac through the real commands: secrets only on
// stdin, every step verified by observing again, sysadminctl's exit-0
// failures caught, transient DS errors retried, and convergence.
#include <spdlog/sinks/ostream_sink.h>

#include <filesystem>
#include <sstream>

#include "apply/apply.h"
#include "cli/verbs.h"
#include "core/atomic_file.h"
#include "macos/compile.h"
#include "macos/macos_executor.h"
#include "macos/observe.h"
#include "model/settable.h"
#include "plan/planner.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

const std::map<std::string, std::string> kEnv = {{"OLDADMIN_PASSWORD", "Secret-Old-1"},
                                                 {"NEWADMIN_PASSWORD", "Secret-New-2"}};

SecretSources Env() {
  return {[](const std::string& name) -> std::optional<std::string> {
            auto it = kEnv.find(name);
            if (it == kEnv.end()) return std::nullopt;
            return it->second;
          },
          {}};
}

struct Run {
  ApplyReport report;
  Plan plan;
};

Run PlanAndApply(test::FakeMac& mac, const DesiredState& desired) {
  Result<DeviceState> seen = ObserveMac(mac);
  REQUIRE(seen.ok());
  Result<Plan> plan = MakePlan(desired, seen.value());
  INFO(test::Messages(plan));
  REQUIRE(plan.ok());
  MacosExecutor executor(mac, mac, desired.authority->user, test::TempDir("macos-apply-keys"));
  ApplyReport report = ApplyPlan(plan.value(), desired, executor, Env(), [](const Change&) {});
  return {report, plan.value()};
}

DesiredState ReplaceOnlyAdmin() {
  DesiredState d =
      test::Desired(test::ReadFile(test::SourcePath("examples/replace-only-admin/desired.yaml")));
  return d;
}

DeviceState ReplaceOnlyAdminMac() {
  return test::Device(test::ReadFile(test::SourcePath("examples/replace-only-admin/device.json")));
}

// The example's Mac, knowing the authority's password.
test::FakeMac ReplaceOnlyAdminFake() {
  test::FakeMac mac(ReplaceOnlyAdminMac());
  mac.SetPassword("oldadmin", kEnv.at("OLDADMIN_PASSWORD"));
  return mac;
}

Change Step(Action action, std::vector<Attribute> attributes = {}) {
  Change c;
  c.action = action;
  c.user = action == Action::kEnableFileVault || action == Action::kDisableFileVault ||
                   action == Action::kRotateRecoveryKey
               ? ""
               : "alice";
  c.attributes = std::move(attributes);
  return c;
}

}  // namespace

TEST_CASE("no step kind puts a secret in argv, each secret goes on stdin",
          "[macos-provider][apply]") {
  StepSecrets secrets;
  secrets.password.emplace("Secret-Target");
  secrets.authority_password.emplace("Secret-Admin");
  secrets.old_password.emplace("Secret-Old");
  const SecretRef ref{SecretRef::Source::kEnv, "P"};
  std::vector<Change> steps = {
      Step(Action::kCreateUser, {{Attr::kUid, std::nullopt, std::int64_t{502}, ""},
                                 {Attr::kFullName, std::nullopt, std::string("Alice Example"), ""},
                                 {Attr::kRole, std::nullopt, std::string("admin"), ""},
                                 {Attr::kHidden, std::nullopt, true, ""},
                                 {Attr::kPassword, std::nullopt, ref, ""}}),
      Step(Action::kSetAttribute,
           {{Attr::kShell, std::string("/bin/bash"), std::string("/bin/zsh"), ""}}),
      Step(Action::kMakeAdmin),
      Step(Action::kMakeStandard),
      Step(Action::kGrantToken),
      Step(Action::kRevokeToken),
      Step(Action::kResetPassword),
      Step(Action::kDeleteUser),
      Step(Action::kEnableFileVault),
      Step(Action::kDisableFileVault),
      Step(Action::kRotateRecoveryKey)};
  for (const Change& step : steps) {
    INFO(step.Id());
    Result<std::vector<Command>> commands = CompileStep(step, "firstaccount", secrets);
    REQUIRE(commands.ok());
    REQUIRE_FALSE(commands.value().empty());
    std::string all_stdin;
    for (const Command& c : commands.value()) {
      CHECK(c.mutating);
      for (const std::string& arg : c.argv) CHECK(arg.find("Secret-") == std::string::npos);
      CHECK(c.Display().find("Secret-") == std::string::npos);
      all_stdin += c.stdin_data;
    }
    bool needs_secret = step.action != Action::kSetAttribute && step.action != Action::kMakeAdmin &&
                        step.action != Action::kMakeStandard &&
                        step.action != Action::kDeleteUser &&
                        step.action != Action::kEnableFileVault;
    CHECK((all_stdin.find("Secret-") != std::string::npos) == needs_secret);
  }
  CHECK_FALSE(CompileStep(Step(Action::kGrantToken), "firstaccount", StepSecrets{}).ok());
  // Every settable attribute has its dscl record attribute; another is an error, not a guess.
  for (Attr a : kSettableAttrs) {
    AttrValue v = a == Attr::kHidden ? AttrValue(true) : AttrValue(std::string("x"));
    Result<std::vector<Command>> set =
        CompileStep(Step(Action::kSetAttribute, {{a, std::nullopt, v, ""}}), "firstaccount", {});
    REQUIRE(set.ok());
    CHECK(set.value().front().argv.at(1) == ".");
  }
  CHECK_FALSE(CompileStep(Step(Action::kSetAttribute,
                               {{Attr::kHome, std::nullopt, std::string("/Users/x"), ""}}),
                          "firstaccount", {})
                  .ok());
  // A change is no command at all: it goes through OpenDirectory.
  CHECK_FALSE(CompileStep(Step(Action::kChangePassword), "firstaccount", secrets).ok());
}

TEST_CASE("plan, apply and re-plan on a fake Mac through the real commands",
          "[macos-provider][apply]") {
  test::FakeMac mac = ReplaceOnlyAdminFake();
  DesiredState desired = ReplaceOnlyAdmin();
  Run run = PlanAndApply(mac, desired);
  INFO(run.report.error);
  REQUIRE(run.report.ok());
  CHECK(run.report.done == std::vector<std::string>{"create_user:newadmin", "grant_token:newadmin",
                                                    "delete_user:oldadmin"});
  CHECK(mac.state().FindUser("oldadmin") == nullptr);
  CHECK(mac.state().FindUser("newadmin")->secure_token == true);
  Result<Plan> again = MakePlan(desired, ObserveMac(mac).value());
  REQUIRE(again.ok());
  CHECK_FALSE(Summarize(again.value()).HasRunnable());
  // No password in any argv of any command run, and none in what is shown.
  for (const Command& c : mac.recorded()) {
    for (const std::string& arg : c.argv) CHECK(arg.find("Secret-") == std::string::npos);
  }
}

TEST_CASE("a sysadminctl that exits 0 but failed fails its step and stops apply",
          "[macos-provider][apply]") {
  test::FakeMac mac = ReplaceOnlyAdminFake();
  mac.Inject(
      "/usr/sbin/sysadminctl -adminUser oldadmin -adminPassword - -secureTokenOn newadmin "
      "-password -",
      {0, "",
       "2026-11-28 01:00:00.000 sysadminctl[1:2] Operation is not permitted without "
       "secure token unlock.\n"});
  Run run = PlanAndApply(mac, ReplaceOnlyAdmin());
  CHECK_FALSE(run.report.ok());
  CHECK(run.report.failed_step == "grant_token:newadmin");
  CHECK(run.report.error.find("Operation is not permitted") != std::string::npos);
  CHECK(mac.state().FindUser("oldadmin") != nullptr);  // nothing after the failure ran
}

TEST_CASE("a silent no-op is caught by observing the Mac again", "[macos-provider][apply]") {
  test::FakeMac mac = ReplaceOnlyAdminFake();
  mac.Inject(
      "/usr/sbin/sysadminctl -adminUser oldadmin -adminPassword - -secureTokenOn newadmin "
      "-password -",
      {0, "", ""});
  Run run = PlanAndApply(mac, ReplaceOnlyAdmin());
  CHECK(run.report.failed_step == "grant_token:newadmin");
  CHECK(run.report.error == "the change did not take: newadmin's SecureToken is unchanged");
  CHECK(mac.state().FindUser("oldadmin") != nullptr);
}

TEST_CASE("sysadminctl gets the authority's password first, as it prompts for it first",
          "[macos-provider][apply]") {
  // DOMAIN §5: `-adminUser A -adminPassword -` before the verb, A's line
  // first. The fake Mac reads its stdin in that order, so the reverse fails.
  DeviceState state = ReplaceOnlyAdminMac();
  ObservedUser alice = state.users.front();
  alice.name = "alice";
  alice.secure_token = false;
  alice.admin = false;
  state.users.push_back(alice);
  StepSecrets secrets;
  secrets.authority_password.emplace(kEnv.at("OLDADMIN_PASSWORD"));
  secrets.password.emplace("Alice-Password");
  for (Action action : {Action::kGrantToken, Action::kResetPassword}) {
    Result<std::vector<Command>> compiled = CompileStep(Step(action), "oldadmin", secrets);
    REQUIRE(compiled.ok());
    Command c = compiled.value().front();
    INFO(c.Display());
    CHECK(std::vector<std::string>(c.argv.begin(), c.argv.begin() + 5) ==
          std::vector<std::string>{"/usr/sbin/sysadminctl", "-adminUser", "oldadmin",
                                   "-adminPassword", "-"});
    // A reset feeds the new password again, for builds that ask to confirm it.
    CHECK(c.stdin_data == kEnv.at("OLDADMIN_PASSWORD") + "\nAlice-Password\n" +
                              (action == Action::kResetPassword ? "Alice-Password\n" : ""));
    Command swapped = c;
    swapped.stdin_data = "Alice-Password\n" + kEnv.at("OLDADMIN_PASSWORD") + "\n";
    test::FakeMac wrong(state);
    wrong.SetPassword("oldadmin", kEnv.at("OLDADMIN_PASSWORD"));
    wrong.SetPassword("alice", "Alice-Password");
    REQUIRE(wrong.Run(swapped).ok());
    CHECK(wrong.Run(swapped).value().err.find("not permitted") != std::string::npos);
    CHECK(wrong.state() == test::FakeMac(state).state());
    test::FakeMac right(state);
    right.SetPassword("oldadmin", kEnv.at("OLDADMIN_PASSWORD"));
    right.SetPassword("alice", "Alice-Password");
    REQUIRE(right.Run(c).ok());
    CHECK_FALSE(right.state() == state);
  }
}

TEST_CASE("a transient eNotYetImplemented is retried", "[macos-provider][apply]") {
  test::FakeMac mac(
      test::Device(test::ReadFile(test::SourcePath("examples/take-over-account/device.json"))));
  mac.InjectOnce("/usr/bin/dscl . -create /Users/jdoe RealName Jane Doe",
                 {140, "create: DS error: eNotYetImplemented\n",
                  "<dscl_cmd> DS Error: -14988 (eNotYetImplemented)\n"});
  DesiredState desired = test::Desired(
      "accord: 1\nauthority: {user: firstaccount, password: {env: OLDADMIN_PASSWORD}}\n"
      "users:\n  firstaccount: {}\n  jdoe: {full_name: Jane Doe}\n");
  Run run = PlanAndApply(mac, desired);
  INFO(run.report.error);
  CHECK(run.report.ok());
  CHECK(mac.state().FindUser("jdoe")->full_name == "Jane Doe");
}

}  // namespace accord

namespace accord {

TEST_CASE("accord apply on a Mac: preflight, plan, approve, apply, verify",
          "[macos-provider][apply]") {
  const std::string desired = test::SourcePath("examples/replace-only-admin/desired.yaml");
  test::OnFakeMac on(ReplaceOnlyAdminMac(), "mac-apply");
  on.mac.SetPassword("oldadmin", kEnv.at("OLDADMIN_PASSWORD"));
  test::CliRun run = on.Run({"-v", "apply", "-f", desired}, kEnv, "yes\n");
  INFO(run.out << run.err);
  CHECK(run.status == kExitOk);
  CHECK(run.out.find("Apply complete: 3 steps done") != std::string::npos);
  CHECK(on.mac.state().FindUser("oldadmin") == nullptr);
  CHECK((run.out + run.err).find("Secret-") == std::string::npos);
  CHECK(run.err.find("accord: debug: loaded ") != std::string::npos);  // the log was written

  // A step that fails stops apply, and stdout names it as well as stderr.
  test::OnFakeMac failing(ReplaceOnlyAdminMac(), "mac-apply-failing");
  failing.mac.SetPassword("oldadmin", kEnv.at("OLDADMIN_PASSWORD"));
  failing.mac.Inject("/usr/sbin/sysadminctl -deleteUser oldadmin -keepHome",
                     {1, "", "2026-11-28 06:00:00.000 sysadminctl[1:2] Error: cannot delete\n"});
  run = failing.Run({"apply", "-f", desired}, kEnv, "yes\n");
  CHECK(run.status == kExitError);
  CHECK(run.out.find("Apply stopped at delete_user:oldadmin: 2 steps done before it; nothing "
                     "after it ran.") != std::string::npos);
  CHECK(run.err.find("accord: error: apply stopped at delete_user:oldadmin: ") == 0);

  // Without Full Disk Access nothing is observed or changed.
  test::OnFakeMac locked_down(ReplaceOnlyAdminMac(), "mac-apply-fda");
  locked_down.mac.Inject("/usr/bin/dscl . -create /Users/nobody RealName Unprivileged User",
                         {40, "", "<dscl_cmd> DS Error: -14120 (eDSPermissionError)\n"});
  run = locked_down.Run({"apply", "-f", desired}, kEnv, "yes\n");
  CHECK(run.status == kExitError);
  CHECK(run.err.find("grant Full Disk Access") != std::string::npos);
  CHECK(locked_down.mac.state() == test::FakeMac(ReplaceOnlyAdminMac()).state());

  // A second apply while one runs is refused.
  test::OnFakeMac busy(ReplaceOnlyAdminMac(), "mac-apply-busy");
  std::filesystem::create_directory(busy.state_dir);
  std::filesystem::permissions(busy.state_dir, std::filesystem::perms::owner_all);
  Result<FileLock> held = FileLock::Acquire(busy.state_dir + "/apply.lock");
  REQUIRE(held.ok());
  run = busy.Run({"apply", "-f", desired}, kEnv, "yes\n");
  CHECK(run.status == kExitError);
  CHECK(run.err ==
        "accord: error: locked: another accord apply holds " + busy.state_dir + "/apply.lock\n");
  CHECK(busy.mac.runs() == 0);
}

}  // namespace accord
