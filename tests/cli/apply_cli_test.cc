// SPDX-License-Identifier: Apache-2.0
// accord apply from the command line: saved plans, stale and edited plans,
// a concurrent apply, the 'yes' prompt, and secrets kept out of every output.
#include <filesystem>

#include "core/atomic_file.h"
#include "support/catch.h"
#include "support/test_support.h"

namespace accord {
namespace {

// A copy of the replace-only-admin example in a fresh folder.
struct Workspace {
  std::string dir;
  std::string desired;
  std::string device;
  std::string plan;
};

Workspace Copy(const std::string& name) {
  Workspace w;
  w.dir = test::TempDir(name);
  w.desired = w.dir + "/desired.yaml";
  w.device = w.dir + "/device.json";
  w.plan = w.dir + "/saved.plan";
  test::WriteFile(w.desired,
                  test::ReadFile(test::SourcePath("examples/replace-only-admin/desired.yaml")));
  test::WriteFile(w.device,
                  test::ReadFile(test::SourcePath("examples/replace-only-admin/device.json")));
  return w;
}

const std::map<std::string, std::string> kSecrets = {{"OLDADMIN_PASSWORD", "Old-Secret-Value-1"},
                                                     {"NEWADMIN_PASSWORD", "New-Secret-Value-2"}};

bool MentionsSecret(const std::string& text) {
  return text.find("Secret-Value") != std::string::npos;
}

}  // namespace

TEST_CASE("plan --out then apply PLAN applies exactly that plan", "[cli][apply]") {
  Workspace w = Copy("apply-saved");
  test::CliRun plan =
      test::RunAccord({"plan", "-f", w.desired, "--device", w.device, "--out", w.plan}, kSecrets);
  REQUIRE(plan.status == 0);
  CHECK(plan.err == "Saved the plan to " + w.plan +
                        ". Apply exactly this plan with: accord apply " + w.plan + "\n");
  test::CliRun apply = test::RunAccord({"apply", w.plan}, kSecrets);
  INFO(apply.err);
  CHECK(apply.status == 0);
  CHECK(
      apply.out ==
      "\n  + create user newadmin\n  ~ grant a SecureToken to newadmin\n  - delete user oldadmin\n"
      "\nApply complete: 3 steps done (1 account deleted), 0 deferred (pending until a login or "
      "logout), 0 refused, 0 blocked.\n");
  test::CliRun again =
      test::RunAccord({"plan", "-f", w.desired, "--device", w.device, "--detailed-exitcode"});
  CHECK(again.status == 0);
  CHECK(again.out.find("No changes.") != std::string::npos);
  for (const std::string& text : {plan.out, plan.err, apply.out, apply.err, test::ReadFile(w.plan),
                                  test::ReadFile(w.device)}) {
    CHECK_FALSE(MentionsSecret(text));
  }
}

TEST_CASE("a stale plan is refused and nothing changes", "[cli][apply]") {
  Workspace w = Copy("apply-stale");
  REQUIRE(
      test::RunAccord({"plan", "-f", w.desired, "--device", w.device, "--out", w.plan}).status ==
      0);
  std::string device = test::ReadFile(w.device);
  std::string changed = device;
  changed.replace(changed.find("\"Old Admin\""), 11, "\"Old Admin!\"");
  test::WriteFile(w.device, changed);
  test::CliRun apply = test::RunAccord({"apply", w.plan}, kSecrets);
  CHECK(apply.status == 1);
  CHECK(apply.err == "accord: error: " + w.plan + " is stale: the Mac (" + w.device +
                         ") has changed since the plan was made. Nothing was applied; make a "
                         "new plan.\n");
  CHECK(test::ReadFile(w.device) == changed);
}

TEST_CASE("a plan is stale when what its desired state means changed, not its comments",
          "[cli][apply]") {
  Workspace w = Copy("apply-stale-meaning");
  REQUIRE(
      test::RunAccord({"plan", "-f", w.desired, "--device", w.device, "--out", w.plan}).status ==
      0);
  const std::string original = test::ReadFile(w.desired);
  // Comments, blank lines and quoting change no meaning.
  std::string cosmetic = "# reviewed\n" + original + "\n# end\n";
  cosmetic.replace(cosmetic.find("accord: 1"), 9, "accord: 1   # format");
  test::WriteFile(w.desired, cosmetic);
  test::CliRun same = test::RunAccord({"validate", w.plan});
  CHECK(same.status == 0);
  std::string meant = original;
  meant.replace(meant.find("New Admin"), 9, "New Admin!");
  test::WriteFile(w.desired, meant);
  test::CliRun apply = test::RunAccord({"apply", w.plan}, kSecrets);
  CHECK(apply.status == 1);
  CHECK(apply.err == "accord: error: " + w.plan + " is stale: " + w.desired +
                         " has changed since the plan was made. Nothing was applied; make a new "
                         "plan.\n");
  test::WriteFile(w.desired, cosmetic);
  test::CliRun applied = test::RunAccord({"apply", w.plan}, kSecrets);
  INFO(applied.err);
  CHECK(applied.status == 0);
}

TEST_CASE("a saved plan names its inputs from its own folder, so it applies from anywhere",
          "[cli][apply]") {
  const std::string made = test::TempDir("apply-moved-made");
  std::filesystem::create_directories(made + "/inputs");
  std::filesystem::create_directories(made + "/plans");
  for (const char* f : {"desired.yaml", "device.json"}) {
    test::WriteFile(
        made + "/inputs/" + f,
        test::ReadFile(test::SourcePath(std::string("examples/replace-only-admin/") + f)));
  }
  REQUIRE(test::RunAccord({"plan", "-f", made + "/inputs/desired.yaml", "--device",
                           made + "/inputs/device.json", "--out", made + "/plans/saved.plan"})
              .status == 0);
  std::string saved = test::ReadFile(made + "/plans/saved.plan");
  CHECK(saved.find("\"desired_file\": \"../inputs/desired.yaml\"") != std::string::npos);
  // The whole folder moved (a CI artifact unpacked elsewhere).
  const std::string moved = test::TempDir("apply-moved-elsewhere") + "/artifact";
  std::filesystem::rename(made, moved);
  test::CliRun valid = test::RunAccord({"validate", moved + "/plans/saved.plan"});
  CHECK(valid.out == moved + "/plans/saved.plan: ok (saved plan, 3 steps, of " + moved +
                         "/inputs/desired.yaml for " + moved +
                         "/inputs/device.json; apply it with `accord apply " + moved +
                         "/plans/saved.plan`)\n");
  test::CliRun apply = test::RunAccord({"apply", moved + "/plans/saved.plan"}, kSecrets);
  INFO(apply.err);
  CHECK(apply.status == 0);
  CHECK(apply.out.find("Apply complete: 3 steps done") != std::string::npos);
}

TEST_CASE("plan and validate read the desired state from standard input, given -f -",
          "[cli][apply]") {
  const std::string yaml = test::ReadFile(test::SourcePath("examples/two-new-users/desired.yaml"));
  test::CliRun plan = test::RunAccord(
      {"plan", "-f", "-", "--device", "examples/two-new-users/device.json"}, {}, false, yaml);
  CHECK(plan.status == 0);
  CHECK(plan.out.find("  desired: <stdin>\n") != std::string::npos);
  CHECK(plan.out.find("Plan: 2 to create, 2 to change, 0 to delete.") != std::string::npos);
  test::CliRun valid = test::RunAccord({"validate", "-"}, {}, false, yaml);
  CHECK(valid.out == "<stdin>: ok (desired state, 3 users)\n");
  test::CliRun bad =
      test::RunAccord({"validate", "-"}, {}, false, std::string("accord: 1\nusers: [\n"));
  CHECK(bad.status == 1);
  CHECK(bad.err.rfind("<stdin>:", 0) == 0);
  test::CliRun out = test::RunAccord(
      {"plan", "-f", "-", "--device", "examples/two-new-users/device.json", "--out", "x.plan"}, {},
      false, yaml);
  CHECK(out.status == 1);
  CHECK(out.err.find("--out needs -f FILE") != std::string::npos);
}

TEST_CASE("an edited plan file is refused", "[cli][apply]") {
  Workspace w = Copy("apply-edited");
  REQUIRE(
      test::RunAccord({"plan", "-f", w.desired, "--device", w.device, "--out", w.plan}).status ==
      0);
  std::string plan = test::ReadFile(w.plan);
  plan.replace(plan.find("\"outcome\": \"run\""), 16, "\"outcome\": \"xxx\"");
  test::WriteFile(w.plan, plan);
  std::string device = test::ReadFile(w.device);
  test::CliRun apply = test::RunAccord({"apply", w.plan}, kSecrets);
  CHECK(apply.status == 1);
  CHECK(apply.err.find("does not match what Accord plans for the same inputs") !=
        std::string::npos);
  CHECK(test::ReadFile(w.device) == device);
}

TEST_CASE("a concurrent apply gets a clear locked error", "[cli][apply]") {
  Workspace w = Copy("apply-locked");
  Result<FileLock> held = FileLock::Acquire(w.device + ".lock");
  REQUIRE(held.ok());
  std::string device = test::ReadFile(w.device);
  test::CliRun apply =
      test::RunAccord({"apply", "-f", w.desired, "--device", w.device, "--auto-approve"}, kSecrets);
  CHECK(apply.status == 1);
  CHECK(apply.err ==
        w.device + ": error: locked: another accord apply holds " + w.device + ".lock\n");
  CHECK(test::ReadFile(w.device) == device);
}

TEST_CASE("apply asks for 'yes', anything else changes nothing", "[cli][apply]") {
  Workspace w = Copy("apply-prompt");
  std::string device = test::ReadFile(w.device);
  std::vector<std::string> args = {"apply", "-f", w.desired, "--device", w.device};
  for (const std::optional<std::string>& answer :
       {std::optional<std::string>("no\n"), std::optional<std::string>("y\n"),
        std::optional<std::string>()}) {
    test::CliRun run = test::RunAccord(args, kSecrets, false, answer);
    CHECK(run.status == 1);
    CHECK(run.out.find("Only 'yes' will be accepted") != std::string::npos);
    CHECK(run.out.find("Apply cancelled. Nothing was changed.") != std::string::npos);
    CHECK(test::ReadFile(w.device) == device);
  }
  test::CliRun yes = test::RunAccord(args, kSecrets, false, std::string("yes\n"));
  CHECK(yes.status == 0);
  CHECK(yes.out.find("Apply complete: 3 steps done") != std::string::npos);
  test::CliRun nothing = test::RunAccord(args, kSecrets, false, std::string("yes\n"));
  CHECK(nothing.status == 0);
  CHECK(nothing.out.find("Nothing to apply.") != std::string::npos);
}

TEST_CASE("a missing secret stops apply at its step, naming the variable only", "[cli][apply]") {
  Workspace w = Copy("apply-missing-secret");
  const std::string before = test::ReadFile(w.device);
  test::CliRun run =
      test::RunAccord({"apply", "-f", w.desired, "--device", w.device, "--auto-approve"},
                      {{"NEWADMIN_PASSWORD", "New-Secret-Value-2"}});
  CHECK(run.status == 1);
  CHECK(run.err ==
        "accord: error: grant_token:newadmin: the secret from env OLDADMIN_PASSWORD is not set\n");
  CHECK(run.out.find("Apply stopped before the first step: 1 secret could not be used (see the "
                     "errors above). Nothing was changed.\n") != std::string::npos);
  CHECK(test::ReadFile(w.device) == before);  // not even create_user:newadmin ran
  CHECK_FALSE(MentionsSecret(run.out + run.err));
  CHECK_FALSE(MentionsSecret(run.out + run.err));
}

TEST_CASE("apply needs a plan or both inputs, not a mix", "[cli][apply]") {
  CHECK(test::RunAccord({"apply"}).status == 1);
  CHECK(test::RunAccord({"apply", "x.plan", "-f", "d.yaml"}).status == 1);
  test::CliRun bad = test::RunAccord({"apply", "examples/fresh-mac/desired.yaml"});
  CHECK(bad.status == 1);
  CHECK(bad.err.find("not a plan file") != std::string::npos);
}

}  // namespace accord

namespace accord {

TEST_CASE("every missing secret is named in one run, before any step", "[cli][apply]") {
  Workspace w = Copy("apply-two-missing-secrets");
  const std::string before = test::ReadFile(w.device);
  test::CliRun run =
      test::RunAccord({"apply", "-f", w.desired, "--device", w.device, "--auto-approve"});
  CHECK(run.status == 1);
  CHECK(run.err ==
        "accord: error: create_user:newadmin: the secret from env NEWADMIN_PASSWORD is not set\n"
        "accord: error: grant_token:newadmin: the secret from env OLDADMIN_PASSWORD is not set\n");
  CHECK(run.out.find("Apply stopped before the first step: 2 secrets could not be used") !=
        std::string::npos);
  CHECK(test::ReadFile(w.device) == before);
}

TEST_CASE("the apply summary counts each outcome and names what was refused", "[cli][apply]") {
  const std::string dir = test::TempDir("apply-refused-summary");
  for (const char* f : {"desired.yaml", "device.json"}) {
    test::WriteFile(
        dir + "/" + f,
        test::ReadFile(test::SourcePath(std::string("examples/refused-renumber/") + f)));
  }
  test::CliRun run = test::RunAccord(
      {"apply", "-f", dir + "/desired.yaml", "--device", dir + "/device.json", "--auto-approve"});
  CHECK(run.status == 3);
  const std::string tail = run.out.substr(run.out.find("Apply complete"));
  CHECK(tail ==
        "Apply complete: 1 step done, 0 deferred (pending until a login or logout), 1 refused, 0 "
        "blocked.\n"
        "Not applied:\n"
        "  ! renumber user bob  refused: existing account has UID 502; the file says uid 610; an "
        "existing account is never renumbered (its files and TCC grants belong to the old UID)\n"
        "      fix: set uid: 502 for bob, or drop uid and uid_range\n");
}

}  // namespace accord

namespace accord {

TEST_CASE("the simulated Mac confirms a pending key's escrow as a real one does",
          "[cli][apply][escrow]") {
  Workspace w = Copy("apply-sim-escrow");
  // The snapshot keeps what a real Mac's local state records: pending,
  // since when.
  std::string device = test::ReadFile(w.device);
  const std::string fv = "\"filevault\": {";
  REQUIRE(device.find(fv) != std::string::npos);
  device.replace(
      device.find(fv), fv.size(),
      fv + "\"escrow_pending\": true, \"escrow_pending_since\": \"2026-11-28T09:00:00Z\", ");
  test::WriteFile(w.device, device);
  // A copy not clearly newer than the key: refused, the snapshot untouched.
  test::CliRun early =
      test::RunAccord({"apply", "-f", w.desired, "--device", w.device, "--auto-approve",
                       "--escrow-verified", "2026-11-28T09:01:00Z"},
                      kSecrets);
  CHECK(early.status == 1);
  CHECK(early.err.find("not at least five minutes newer") != std::string::npos);
  CHECK(test::ReadFile(w.device) == device);
  // Not with a saved plan: it changes what the plan is made from.
  test::CliRun saved =
      test::RunAccord({"apply", w.plan, "--escrow-verified", "2026-11-28T11:00:00Z"}, kSecrets);
  CHECK(saved.status == 1);
  CHECK(saved.err.find("not with a saved plan") != std::string::npos);
  // The key itself is compared on the Mac only, never ignored here.
  test::CliRun by_key = test::RunAccord({"apply", "-f", w.desired, "--device", w.device,
                                         "--auto-approve", "--escrowed-key", "env:FLEET_KEY"},
                                        kSecrets);
  CHECK(by_key.status == 1);
  CHECK(by_key.err.find("so it runs on the Mac") != std::string::npos);
  CHECK(test::ReadFile(w.device) == device);
  // Newer: confirmed, said before the plan, and the snapshot records it.
  test::CliRun confirmed =
      test::RunAccord({"apply", "-f", w.desired, "--device", w.device, "--auto-approve",
                       "--escrow-verified", "2026-11-28T11:00:00Z"},
                      kSecrets);
  INFO(confirmed.out << confirmed.err);
  CHECK(confirmed.status == 0);
  CHECK(confirmed.out.rfind("Escrow confirmed: the escrow-pending recovery key (since "
                            "2026-11-28T09:00:00Z) is confirmed",
                            0) == 0);
  const std::string after = test::ReadFile(w.device);
  CHECK(after.find("\"recovery_key_escrowed\": true") != std::string::npos);
  CHECK(after.find("\"escrow_pending\": false") != std::string::npos);
}

}  // namespace accord
