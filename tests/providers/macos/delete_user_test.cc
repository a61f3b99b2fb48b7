// SPDX-License-Identifier: Apache-2.0
// Deleting accounts on a (fake) real Mac, played as the evidence says:
// sysadminctl -deleteUser refuses the last admin or the last token holder
// with "… can not be deleted" and exits 0 (fixture
// sysadminctl-deleteuser-last-admin-1.txt), which Accord reads as the
// failure it is; and the account of the user at the console is never
// deleted: the plan blocks it, and apply looks again just before.
#include "apply/apply.h"
#include "cli/cli.h"
#include "macos/macos_executor.h"
#include "macos/parse_tools.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/fixtures.h"
#include "support/test_support.h"

namespace accord {
namespace {

DeviceState Departed() {
  return test::Device(test::ReadFile(test::SourcePath("examples/departed-user/device.json")));
}

std::string Desired() { return test::SourcePath("examples/departed-user/desired.yaml"); }

// contractor, whom policy.unmanaged_users: remove deletes (olduser's
// deletion is refused on a real Mac, where FileVault sync is unobservable).
const char* kDelete = "/usr/sbin/sysadminctl -deleteUser contractor -keepHome";

}  // namespace

TEST_CASE("the console user is read from stat -f %Su /dev/console", "[parse][delete]") {
  CHECK(ParseConsoleUser("alice\n") == std::string("alice"));
  CHECK(ParseConsoleUser("root\n") == std::string());          // the login window
  CHECK(ParseConsoleUser("_mbsetupuser\n") == std::string());  // Setup Assistant
  CHECK_FALSE(ParseConsoleUser(""));
  CHECK_FALSE(ParseConsoleUser("two words\n"));
}

TEST_CASE("a deleteUser refusal that exits 0 fails the step", "[delete][macos-provider]") {
  test::OnFakeMac on(Departed(), "delete-refused");
  on.mac.Inject(kDelete, {0, "", test::Fixture("sysadminctl-deleteuser-last-admin-1.txt")});
  test::CliRun run = on.Run({"apply", "-f", Desired(), "--auto-approve"});
  INFO(run.out << run.err);
  CHECK(run.status == kExitError);
  CHECK(run.err.find("can not be deleted") != std::string::npos);
  CHECK(on.mac.state().FindUser("contractor") != nullptr);

  // The fake Mac plays the refusal itself for the last token holder.
  test::FakeMac mac(Departed());
  MacosExecutor executor(mac, mac, "", test::TempDir("delete-user-keys"));
  Change last;
  last.action = Action::kDeleteUser;
  last.user = "firstaccount";
  StepResult r = executor.Execute(last, {});
  REQUIRE(r.error);
  CHECK(r.error->find("User firstaccount can not be deleted") != std::string::npos);
  CHECK(mac.state().FindUser("firstaccount") != nullptr);
}

TEST_CASE("the account of the user at the console is not deleted", "[delete][macos-provider]") {
  // Seen by the plan: blocked, with the fix.
  DeviceState busy = Departed();
  busy.console_user = "contractor";
  test::OnFakeMac on(busy, "delete-console");
  test::CliRun plan = on.Run({"plan", "-f", Desired()});
  INFO(plan.out << plan.err);
  CHECK(plan.status == kExitRefused);
  CHECK(plan.out.find("contractor is logged in at the console") != std::string::npos);
  CHECK(plan.out.find("wait until contractor has logged out") != std::string::npos);
  CHECK(plan.out.find("delete user contractor  blocked") != std::string::npos);

  // Logged in between plan and apply: apply looks again and stops.
  test::OnFakeMac later(Departed(), "delete-console-later");
  later.mac.InjectOnce("/usr/bin/stat -f %Su /dev/console", {0, "root\n", ""});  // observe
  later.mac.InjectOnce("/usr/bin/stat -f %Su /dev/console", {0, "contractor\n", ""});
  test::CliRun run = later.Run({"apply", "-f", Desired(), "--auto-approve"});
  INFO(run.out << run.err);
  CHECK(run.status == kExitError);
  CHECK(run.err.find("contractor is logged in at the console") != std::string::npos);
  CHECK(later.mac.state().FindUser("contractor") != nullptr);

  // Who is at the console cannot be read: nothing is deleted.
  test::OnFakeMac unreadable(Departed(), "delete-console-unknown");
  unreadable.mac.Inject("/usr/bin/stat -f %Su /dev/console",
                        {1, "", "stat: /dev/console: Operation not permitted (synthetic)\n"});
  run = unreadable.Run({"apply", "-f", Desired(), "--auto-approve"});
  CHECK(run.status == kExitError);
  CHECK(run.err.find("cannot tell who is logged in at the console") != std::string::npos);
  CHECK(unreadable.mac.state().FindUser("contractor") != nullptr);

  // Someone else at the screen: the deletion runs.
  DeviceState other = Departed();
  other.console_user = "firstaccount";
  test::OnFakeMac fine(other, "delete-console-other");
  run = fine.Run({"apply", "-f", Desired(), "--auto-approve"});
  INFO(run.out << run.err);
  CHECK(run.status == kExitRefused);  // olduser's deletion stays refused
  CHECK(fine.mac.state().FindUser("contractor") == nullptr);
  CHECK(run.out.find("Apply complete: 1 step done") != std::string::npos);
}

}  // namespace accord
