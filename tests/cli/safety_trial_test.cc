// SPDX-License-Identifier: Apache-2.0
// The trial that found Accord deleting a Mac's only possible unlock path,
// and the corrections it asked for, as an admin meets them on the command
// line: what plan and unlockers say, what apply leaves alone, exit codes.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "support/catch.h"
#include "support/scenario.h"
#include "support/test_support.h"

namespace accord {
namespace {

using test::Account;

struct Files {
  std::string dir;
  std::string desired;
  std::string device;
};

Files Write(const std::string& name, const std::string& yaml, const std::string& snapshot) {
  Files f;
  f.dir = test::TempDir(name);
  f.desired = f.dir + "/desired.yaml";
  f.device = f.dir + "/device.json";
  test::WriteFile(f.desired, yaml);
  test::WriteFile(f.device, snapshot);
  return f;
}

test::CliRun RunPlan(const Files& f, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"plan", "-f", f.desired, "--device", f.device};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::RunAccord(args);
}

}  // namespace

TEST_CASE("the trial: deleting the only possible unlock path is refused and apply changes nothing",
          "[cli][safety]") {
  for (bool token_known : {true, false}) {
    INFO("token known: " << token_known);
    Files f = Write("trial", "accord: 1\nusers:\n  olduser: {ensure: absent}\n",
                    test::TrialMac(token_known));
    test::CliRun plan = RunPlan(f);
    CHECK(plan.status == 3);
    CHECK(plan.out.find("! delete user olduser  refused [filevault-unlock]") != std::string::npos);
    CHECK(plan.out.find("cannot tell whether olduser's FileVault password is in step") !=
          std::string::npos);
    CHECK(plan.out.find("fix: grant a SecureToken to another admin with a known password, or "
                        "escrow a recovery key, first; or make known whether olduser") !=
          std::string::npos);

    const std::string before = test::ReadFile(f.device);
    test::CliRun apply =
        test::RunAccord({"apply", "-f", f.desired, "--device", f.device, "--auto-approve"});
    CHECK(apply.status == 3);
    CHECK(apply.out.find("Nothing to apply.") != std::string::npos);
    CHECK(test::ReadFile(f.device) == before);

    test::CliRun unlockers = test::RunAccord({"unlockers", "--device", f.device});
    CHECK(unlockers.status == 3);
    CHECK(unlockers.out.find("? olduser: ") != std::string::npos);
    CHECK(unlockers.out.find("cannot tell whether olduser's FileVault password is in step") !=
          std::string::npos);
  }
}

TEST_CASE("plan and unlockers say unknowns as unknowns and name the Mac the same way",
          "[cli][safety]") {
  std::string mac = test::TrialMac(false);
  mac.replace(mac.find("\"name\": \"test-mac\""), 18, "\"name\": null");
  Files f = Write("unnamed", "accord: 1\nusers:\n  itadmin: {}\n", mac);
  test::CliRun plan = RunPlan(f);
  CHECK(plan.out.find("Accord plan for this Mac (macOS 14.5)\n") == 0);
  CHECK(
      plan.out.find("[filevault-unlock] after a reboot now there is no certain way to unlock this "
                    "Mac: cannot tell whether olduser holds a SecureToken") != std::string::npos);
  CHECK(plan.out.find("nobody could unlock") == std::string::npos);  // not said as a fact
  test::CliRun unlockers = test::RunAccord({"unlockers", "--device", f.device});
  CHECK(unlockers.out.find("FileVault on this Mac is on.\n") == 0);
  CHECK(
      unlockers.out.find("After a reboot now: cannot tell whether anyone could unlock the disk") !=
      std::string::npos);
  CHECK(unlockers.out.find("? olduser: cannot tell whether olduser holds a SecureToken; cannot "
                           "tell whether olduser's FileVault password is in step") !=
        std::string::npos);
  CHECK(unlockers.out.find("locked out") == std::string::npos);
}

TEST_CASE("plan --detailed-exitcode counts a deferred change, not one already pending", "[cli]") {
  test::CliRun fresh = test::RunAccord({"plan", "-f", "examples/fresh-mac/desired.yaml", "--device",
                                        "examples/fresh-mac/device.json", "--detailed-exitcode"});
  CHECK(fresh.out.find("Plan: 0 to create, 0 to change, 0 to delete, 1 deferred.\n") !=
        std::string::npos);
  CHECK(fresh.status == 2);

  // A token from the Bootstrap Token: deferred, then pending after apply.
  std::string enrolled = test::Snapshot({test::FirstAccount(), {"carol", 502}}, {}, "on", "true");
  enrolled.replace(enrolled.find("\"escrowed\": false"), 17, "\"escrowed\": true");
  Files f = Write("pending", "accord: 1\nusers:\n  carol: {secure_token: true}\n", enrolled);
  CHECK(RunPlan(f, {"--detailed-exitcode"}).status == 2);
  CHECK(
      test::RunAccord({"apply", "-f", f.desired, "--device", f.device, "--auto-approve"}).status ==
      0);
  test::CliRun again = RunPlan(f, {"--detailed-exitcode"});
  CHECK(again.out.find("pending since an earlier apply") != std::string::npos);
  CHECK(again.status == 0);
}

TEST_CASE("a read-only snapshot is not replaced: apply refuses before the first step",
          "[cli][apply]") {
  Files f =
      Write("read-only", test::ReadFile(test::SourcePath("examples/two-new-users/desired.yaml")),
            test::ReadFile(test::SourcePath("examples/two-new-users/device.json")));
  const std::string before = test::ReadFile(f.device);
  std::filesystem::permissions(f.device, std::filesystem::perms::owner_read |
                                             std::filesystem::perms::group_read |
                                             std::filesystem::perms::others_read);
  std::map<std::string, std::string> env = {{"SECONDACCOUNT_INITIAL_PASSWORD", "x"},
                                            {"ALICE_INITIAL_PASSWORD", "y"},
                                            {"ACCORD_AUTHORITY_PASSWORD", "z"}};
  test::CliRun run =
      test::RunAccord({"apply", "-f", f.desired, "--device", f.device, "--auto-approve"}, env);
  CHECK(run.status == 1);
  CHECK(run.err == f.device + ": error: cannot apply to this snapshot: " + f.device +
                       " is read-only (no write permission for its owner); it is left unchanged\n");
  CHECK(test::ReadFile(f.device) == before);
  CHECK_FALSE(std::filesystem::exists(f.device + ".lock"));

  // Owned by someone else: only root can make such a file here.
  if (::geteuid() == 0) {
    std::filesystem::permissions(f.device, std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    REQUIRE(::chown(f.device.c_str(), 65534, 65534) == 0);
    test::CliRun foreign =
        test::RunAccord({"apply", "-f", f.desired, "--device", f.device, "--auto-approve"}, env);
    CHECK(foreign.status == 1);
    CHECK(foreign.err.find("is owned by uid 65534, not by the user running Accord") !=
          std::string::npos);
    CHECK(test::ReadFile(f.device) == before);
  }
}

TEST_CASE("an unknown verb is named as an unknown command", "[cli]") {
  test::CliRun run = test::RunAccord({"plam", "-f", "x.yaml"});
  CHECK(run.status == 1);
  CHECK(run.err.find("accord: error: unknown command 'plam'; did you mean 'plan'?\n") == 0);
  CHECK(run.out.empty());
}

TEST_CASE("text output escapes control and bidirectional-override characters", "[cli]") {
  // A full name that reverses the rest of the line, and an account name with
  // an escape sequence, as a Mac might report them.
  Account evil{"evil\\u001b[2Jx", 502, false, false,
               "Mallory \xe2\x80\xae"
               "nimda"};
  Files f =
      Write("bidi", "accord: 1\npolicy: {unmanaged_users: report}\nusers:\n  firstaccount: {}\n",
            test::Snapshot({test::FirstAccount(), evil}));
  test::CliRun plan = RunPlan(f);
  CHECK(plan.out.find("evil\\u001b[2Jx") != std::string::npos);
  CHECK(plan.out.find('\x1b') == std::string::npos);
  CHECK(plan.out.find("\xe2\x80\xae") == std::string::npos);
  // The graph's labels too, where a step names the account.
  test::WriteFile(f.desired,
                  "accord: 1\npolicy: {unmanaged_users: remove}\nusers:\n  firstaccount: {}\n");
  test::CliRun graph = test::RunAccord({"graph", "-f", f.desired, "--device", f.device});
  CHECK(graph.out.find("delete user evil\\\\u001b[2Jx") != std::string::npos);
  CHECK(graph.out.find('\x1b') == std::string::npos);

  Files g = Write("bidi-full-name", "accord: 1\nusers:\n  bob: {full_name: Bob}\n",
                  test::Snapshot({test::FirstAccount(),
                                  {"bob", 502, false, false,
                                   "Bob \xe2\x80\xae"
                                   "nimda"}}));
  test::CliRun rename = RunPlan(g);
  CHECK(rename.out.find("full_name  \"Bob \\u202enimda\" → \"Bob\"") != std::string::npos);
  CHECK(rename.out.find("\xe2\x80\xae") == std::string::npos);
  // Ordinary letters beyond ASCII pass as they are.
  Files h = Write("utf8", "accord: 1\nusers:\n  jose: {full_name: \"Jos\xc3\xa9\"}\n",
                  test::Snapshot({test::FirstAccount()}));
  CHECK(RunPlan(h).out.find("full_name = \"Jos\xc3\xa9\"") != std::string::npos);
}

TEST_CASE("a full UID range refuses only what it cannot serve, validate warns of it", "[cli]") {
  Files f = Write("full-range", R"(accord: 1
uid_ranges:
  lab: {first: 502, last: 502}
  rest: {first: 503, last: 599}
users:
  a: {uid_range: lab}
  b: {uid_range: lab}
  c: {uid_range: rest, shell: /bin/bash}
)",
                  test::Snapshot({test::FirstAccount()}));
  test::CliRun plan = RunPlan(f);
  CHECK(plan.status == 3);
  CHECK(plan.out.find("+ create user a\n      uid       = 502") != std::string::npos);
  CHECK(plan.out.find("! create user b  refused [uid-range-full]") != std::string::npos);
  CHECK(plan.out.find("why: declared, and no account of that name exists; UID range lab (502-502) "
                      "has no free UID: 502 is in use\n      fix: widen uid_ranges.lab, or give b "
                      "an explicit uid") != std::string::npos);
  CHECK(plan.out.find("+ create user c\n      uid       = 503") != std::string::npos);
  CHECK(plan.out.find("Plan: 2 to create, 0 to change, 0 to delete, 1 refused.") !=
        std::string::npos);

  test::CliRun validate = test::RunAccord({"validate", f.desired});
  CHECK(validate.status == 0);
  CHECK(validate.err == f.desired +
                            ":3:3: warning: uid_ranges.lab: range lab (502-502) has 1 UID "
                            "for 2 users assigned to it; creations past its end will be "
                            "refused\n");
}

TEST_CASE("an allowed reset says what it leaves behind", "[cli]") {
  Account second{"second", 502, true, true};
  Files f = Write("reset-note", R"(accord: 1
authority: {user: second, password: {env: P}}
users:
  second: {}
  firstaccount: {password: {env: NEW}, password_update: reset, allow_keychain_reset: true}
)",
                  test::Snapshot({test::FirstAccount(), second}));
  test::CliRun plan = RunPlan(f);
  CHECK(plan.status == 0);
  CHECK(plan.out.find("~ reset the password of firstaccount\n") != std::string::npos);
  CHECK(plan.out.find("      note: FileVault still unlocks with firstaccount's OLD password until "
                      "a password change that knows it, or a new SecureToken, brings it in step") !=
        std::string::npos);
  CHECK(RunPlan(f, {"--json"}).out.find("\"notes\": [") != std::string::npos);
}

TEST_CASE("a fix never names an account the plan deletes", "[cli]") {
  // The authority is deleted with a successor declared; once it is gone, a
  // step that needs an authority is blocked, and its fix names no ghost.
  Account newadmin{"newadmin", 502, true, true};
  Files f = Write("ghost", R"(accord: 1
authority: {user: oldadmin, password: {env: P}}
users:
  oldadmin: {ensure: absent}
  newadmin: {role: admin, secure_token: true}
  carol: {secure_token: true, password: {env: C}}
)",
                  test::Snapshot({test::FirstAccount(), newadmin, {"carol", 503}}));
  test::CliRun plan = RunPlan(f);
  CHECK(plan.out.find("! grant a SecureToken to carol  blocked") != std::string::npos);
  CHECK(plan.out.find("fix: name another SecureToken admin in authority.user: oldadmin is deleted "
                      "by this file") != std::string::npos);
  CHECK(plan.out.find("make oldadmin") == std::string::npos);
}

}  // namespace accord
