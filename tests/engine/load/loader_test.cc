// SPDX-License-Identifier: Apache-2.0
// The desired-state loader: every key of contract v1 loads, and each class
// of error names the exact file:line:column and the offending key.
#include "load/desired_loader.h"
#include "support/catch.h"
#include "support/test_support.h"

namespace accord {
namespace {

std::vector<std::string> Errors(const std::string& yaml) {
  Result<DesiredState> r = LoadDesiredState(yaml, "d.yaml");
  std::vector<std::string> out;
  if (!r.ok()) {
    for (const Diagnostic& d : r.errors()) out.push_back(FormatDiagnostic(d));
  }
  return out;
}

// The one error `yaml` produces.
std::string Error(const std::string& yaml) {
  std::vector<std::string> errors = Errors(yaml);
  INFO(yaml);
  REQUIRE(errors.size() == 1);
  return errors.front();
}

}  // namespace

TEST_CASE("every key of contract v1 loads", "[loader]") {
  DesiredState s = test::Desired(R"(# yaml-language-server: $schema=x
accord: 1
device: lab-mac-07
uid_ranges:
  people:  {first: 501, last: 599}
  service: {first: 450, last: 499}
authority:
  user: firstaccount
  password: {env: ACCORD_AUTHORITY_PASSWORD}
users:
  firstaccount:
    full_name: First Account
    uid: 501
    role: admin
    secure_token: true
  alice:
    full_name: Alice Example
    uid_range: people
    shell: /bin/zsh
    home: /Users/alice
    hidden: false
    password: {env: ALICE_INITIAL_PASSWORD}
    password_update: change
    old_password: {file: /var/db/alice.old}
    allow_keychain_reset: true
    secure_token: true
  olduser:
    ensure: absent
    remove_home: true
filevault:
  enabled: true
  recovery_key: {personal: true, escrow: required}
policy:
  unmanaged_users: report
  min_token_admins: 2
)");
  CHECK(s.device == "lab-mac-07");
  REQUIRE(s.uid_ranges.size() == 2);
  CHECK(s.uid_ranges[1] == UidRange{"service", 450, 499});
  REQUIRE(s.authority);
  CHECK(s.authority->user == "firstaccount");
  CHECK(s.authority->password == SecretRef{SecretRef::Source::kEnv, "ACCORD_AUTHORITY_PASSWORD"});
  REQUIRE(s.users.size() == 3);
  const DesiredUser& alice = s.users[1];
  CHECK(alice.name == "alice");
  CHECK(alice.uid_range == "people");
  CHECK_FALSE(alice.uid.has_value());
  CHECK(alice.shell == "/bin/zsh");
  CHECK(alice.home == "/Users/alice");
  CHECK(alice.hidden == false);
  CHECK(alice.password_update == PasswordUpdate::kChange);
  CHECK(alice.old_password == SecretRef{SecretRef::Source::kFile, "/var/db/alice.old"});
  CHECK(alice.allow_keychain_reset);
  CHECK(s.users[0].role == Role::kAdmin);
  CHECK(s.users[0].uid == 501);
  CHECK(s.users[2].ensure == Ensure::kAbsent);
  CHECK(s.users[2].remove_home);
  REQUIRE(s.filevault);
  CHECK(s.filevault->enabled == true);
  CHECK(s.filevault->personal_recovery_key == true);
  CHECK(s.filevault->escrow == Escrow::kRequired);
  CHECK(s.policy.unmanaged_users == UnmanagedUsers::kReport);
  CHECK(s.policy.min_token_admins == 2);
}

TEST_CASE("omitted attributes stay unmanaged", "[loader]") {
  DesiredState s = test::Desired("accord: 1\nusers:\n  bob:\n");
  REQUIRE(s.users.size() == 1);
  DesiredUser bob;
  bob.name = "bob";
  CHECK(s.users[0] == bob);
}

TEST_CASE("YAML syntax errors name line and column", "[loader][errors]") {
  CHECK(Error("accord: 1\nusers: [alice,\n") ==
        "d.yaml:3:1: error: YAML syntax error: end of sequence flow not found");
  CHECK(Error("accord: 1\nusers:\n  alice: {uid: 1\n") ==
        "d.yaml:4:1: error: YAML syntax error: end of map flow not found");
}

TEST_CASE("tabs in indentation are named where they are", "[loader][errors]") {
  CHECK(Error("accord: 1\nusers:\n\talice:\n") ==
        "d.yaml:3:1: error: tab character in indentation; YAML indents with spaces only");
  CHECK(Error("accord: 1\nusers:\n  \tbob:\n").find("d.yaml:3:3:") == 0);
}

TEST_CASE("unknown keys suggest the closest valid key", "[loader][errors]") {
  CHECK(Error("accord: 1\nusers:\n  alice:\n    fullname: Alice\n") ==
        "d.yaml:4:5: error: users.alice: unknown key 'fullname'; did you mean 'full_name'?");
  CHECK(Error("accord: 1\npolicies: {}\n") ==
        "d.yaml:2:1: error: unknown key 'policies'; did you mean 'policy'?");
  CHECK(Error("accord: 1\nfilevault: {zzz: 1}\n") ==
        "d.yaml:2:13: error: filevault: unknown key 'zzz'; valid keys are enabled, enabled_by, "
        "allow_decrypt, recovery_key");
}

TEST_CASE("duplicate keys are errors, not silently merged", "[loader][errors]") {
  CHECK(Error("accord: 1\nusers:\n  alice:\n    uid: 501\n    uid: 502\n") ==
        "d.yaml:5:5: error: users.alice: duplicate key 'uid' (first defined at line 4)");
  CHECK(Error("accord: 1\nusers:\n  bob: {}\n  bob: {}\n") ==
        "d.yaml:4:3: error: users: duplicate key 'bob' (first defined at line 3)");
}

TEST_CASE("wrong types name the expected type", "[loader][errors]") {
  CHECK(Error("accord: 1\nusers:\n  alice:\n    uid: \"501\"\n") ==
        "d.yaml:4:10: error: users.alice.uid: expected an integer between 1 and 2147483647, got a "
        "quoted string");
  CHECK(Error("accord: 1\nusers:\n  alice:\n    secure_token: yes\n") ==
        "d.yaml:4:19: error: users.alice.secure_token: expected true or false, got 'yes' (a YAML "
        "1.1 boolean; write true or false)");
  CHECK(Error("accord: 1\nusers:\n  alice:\n    role: [admin]\n") ==
        "d.yaml:4:11: error: users.alice.role: expected one of admin, standard, got a sequence");
  CHECK(Error("accord: 1\nusers:\n  alice:\n    full_name: 42\n") ==
        "d.yaml:4:16: error: users.alice.full_name: expected a string (quote it if it is meant as "
        "text), got an integer");
  CHECK(Error("accord: 1\nusers: [alice]\n") ==
        "d.yaml:2:8: error: users: expected a mapping, got a sequence");
  CHECK(Error("accord: 1\nusers:\n  alice:\n    role: superuser\n") ==
        "d.yaml:4:11: error: users.alice.role: 'superuser' is not one of admin, standard");
}

TEST_CASE("numbers out of range are errors", "[loader][errors]") {
  CHECK(Error("accord: 1\nusers:\n  alice:\n    uid: 99999999999999999999\n") ==
        "d.yaml:4:10: error: users.alice.uid: 99999999999999999999 is out of range: must be "
        "between 1 and 2147483647");
  CHECK(Error("accord: 1\nusers:\n  alice:\n    uid: 0\n").find("d.yaml:4:10:") == 0);
  CHECK(Error("accord: 1\nusers:\n  alice:\n    uid: -5\n").find("out of range") !=
        std::string::npos);
  CHECK(Error("accord: 1\npolicy: {min_token_admins: 0}\n").find("d.yaml:2:28:") == 0);
}

TEST_CASE("short names follow the macOS rules", "[loader][errors]") {
  CHECK(Error("accord: 1\nusers:\n  -rf: {}\n") ==
        "d.yaml:3:3: error: users.-rf: invalid short name '-rf': a short name must not start with "
        "'-'");
  CHECK(Error("accord: 1\nusers:\n  \"a;b\": {}\n")
            .find("d.yaml:3:3: error: users.a;b: invalid "
                  "short name 'a;b': character ';'") == 0);
  CHECK(Error("accord: 1\nuid_ranges:\n  People: {first: 501, last: 599}\n")
            .find("d.yaml:3:3: error: uid_ranges.People: invalid range name 'People': names "
                  "Accord creates must be lowercase") == 0);
}

TEST_CASE("a short name with capitals loads with a warning: it may name an existing account",
          "[loader]") {
  Result<DesiredState> r =
      LoadDesiredState("accord: 1\nusers:\n  Bob: {shell: /bin/zsh}\n", "d.yaml");
  REQUIRE(r.ok());
  REQUIRE(r.value().warnings.size() == 1);
  CHECK(FormatDiagnostic(r.value().warnings[0]) ==
        "d.yaml:3:3: warning: users.Bob: short name 'Bob' has capitals: it can only manage an "
        "existing account of exactly that name; a new account must be lowercase ('bob')");
}

TEST_CASE("a person's account declared below UID 500 loads with a warning", "[loader]") {
  Result<DesiredState> r = LoadDesiredState(
      "accord: 1\nusers:\n  alice: {uid: 300}\n  _svc: {uid: 450}\n  gone: {ensure: absent}\n",
      "d.yaml");
  REQUIRE(r.ok());
  REQUIRE(r.value().warnings.size() == 1);  // a role account there is as it should be
  CHECK(FormatDiagnostic(r.value().warnings[0]) ==
        "d.yaml:3:16: warning: users.alice.uid: uid 300 is below 500, where macOS keeps system "
        "accounts: alice will be a system account, hidden and protected like one; a person's "
        "account takes 501 or above");
}

TEST_CASE("filevault.enabled_by names a declared user who logs in at the Mac", "[loader]") {
  CHECK(Error("accord: 1\nusers:\n  alice: {}\nfilevault: {enabled: true, enabled_by: alcie}\n") ==
        "d.yaml:4:40: error: filevault.enabled_by: filevault.enabled_by 'alcie' is not declared "
        "under users; did you mean 'alice'?");
  CHECK(Error("accord: 1\nusers:\n  alice: {ensure: absent}\n"
              "filevault: {enabled: true, enabled_by: alice}\n") ==
        "d.yaml:4:40: error: filevault.enabled_by: filevault.enabled_by names alice, whom the "
        "file deletes (ensure: absent)");
  Result<DesiredState> hidden = LoadDesiredState(
      "accord: 1\nusers:\n  itadmin: {hidden: true}\nfilevault: {enabled_by: itadmin}\n", "d.yaml");
  REQUIRE(hidden.ok());
  REQUIRE(hidden.value().warnings.size() == 1);
  CHECK(FormatDiagnostic(hidden.value().warnings[0]) ==
        "d.yaml:4:25: warning: filevault.enabled_by: itadmin is hidden: it is not listed at the "
        "login window, and a first FileVault enablement completes only when the enabler logs "
        "out at the Mac: it may never complete; name a person who logs in there");
  CHECK(hidden.value().FileVaultEnabler() == "itadmin");
}

TEST_CASE("full names are non-empty and never another account's short name", "[loader][errors]") {
  CHECK(Error("accord: 1\nusers:\n  alice:\n    full_name: \"\"\n") ==
        "d.yaml:4:16: error: users.alice.full_name: a full name must not be empty (it is also a "
        "login alias)");
  CHECK(Error("accord: 1\nusers:\n  bob: {}\n  alice:\n    full_name: Bob\n") ==
        "d.yaml:5:16: error: users.alice.full_name: full name 'Bob' is the short name of user "
        "bob; full names are login aliases and must not collide");
}

TEST_CASE("uid must lie inside its uid_range", "[loader][errors]") {
  CHECK(Error("accord: 1\nuid_ranges:\n  people: {first: 501, last: 599}\nusers:\n  alice:\n"
              "    uid_range: people\n    uid: 700\n") ==
        "d.yaml:7:10: error: users.alice.uid: uid 700 is outside its range people (501-599)");
}

TEST_CASE("uid_range must name a declared range", "[loader][errors]") {
  CHECK(Error("accord: 1\nuid_ranges:\n  people: {first: 501, last: 599}\nusers:\n  alice:\n"
              "    uid_range: peeple\n") ==
        "d.yaml:6:16: error: users.alice.uid_range: no UID range named 'peeple'; did you mean "
        "'people'?");
}

TEST_CASE("ranges are well-formed and do not overlap", "[loader][errors]") {
  CHECK(Error("accord: 1\nuid_ranges:\n  people: {first: 599, last: 501}\n") ==
        "d.yaml:3:30: error: uid_ranges.people.last: range people is empty: last (501) is below "
        "first (599)");
  CHECK(
      Error(
          "accord: 1\nuid_ranges:\n  a: {first: 501, last: 599}\n  b: {first: 550, last: 650}\n") ==
      "d.yaml:4:3: error: uid_ranges.b: range b (550-650) overlaps range a (501-599)");
  CHECK(Error("accord: 1\nuid_ranges:\n  a: {first: 501}\n") ==
        "d.yaml:3:3: error: uid_ranges.a: a UID range needs both first and last; missing last");
}

TEST_CASE("explicit UIDs are unique", "[loader][errors]") {
  CHECK(Error("accord: 1\nusers:\n  a: {uid: 510}\n  b: {uid: 510}\n") ==
        "d.yaml:4:12: error: users.b.uid: uid 510 is already given to user a");
}

TEST_CASE("plaintext passwords are rejected without echoing them", "[loader][errors]") {
  std::string e = Error("accord: 1\nusers:\n  alice:\n    password: hunter2\n");
  CHECK(e ==
        "d.yaml:4:15: error: users.alice.password: plaintext secrets are not allowed; use "
        "{env: NAME}, {file: PATH} or {keychain: SERVICE}");
  CHECK(e.find("hunter2") == std::string::npos);
  CHECK(Error("accord: 1\nauthority:\n  user: a\n  password: s3cret\nusers:\n  a: {}\n")
            .find("s3cret") == std::string::npos);
  CHECK(Error("accord: 1\nusers:\n  alice:\n    password: {env: A, file: /b}\n") ==
        "d.yaml:4:15: error: users.alice.password: give exactly one of env, file or keychain");
}

TEST_CASE("password_update: change needs old_password", "[loader][errors]") {
  CHECK(
      Error("accord: 1\nusers:\n  alice:\n    password: {env: P}\n    password_update: change\n") ==
      "d.yaml:5:22: error: users.alice.password_update: password_update: change needs "
      "old_password (a change that knows the old password keeps FileVault and the keychain in "
      "step)");
}

TEST_CASE("remove_home only with ensure: absent", "[loader][errors]") {
  CHECK(Error("accord: 1\nusers:\n  alice:\n    remove_home: true\n") ==
        "d.yaml:4:5: error: users.alice.remove_home: remove_home applies only with ensure: absent");
  CHECK(Error("accord: 1\nusers:\n  old:\n    ensure: absent\n    role: admin\n") ==
        "d.yaml:5:5: error: users.old.role: role cannot be set on a user with ensure: absent (only "
        "remove_home and allow_system_account apply)");
}

TEST_CASE("authority.user must be declared, it may be one being removed", "[loader][errors]") {
  CHECK(Error("accord: 1\nauthority:\n  user: firstacount\nusers:\n  firstaccount: {}\n") ==
        "d.yaml:3:9: error: authority.user: authority user 'firstacount' is not declared under "
        "users; did you mean 'firstaccount'?");
  CHECK(Errors("accord: 1\nauthority:\n  user: old\nusers:\n  old: {ensure: absent}\n").empty());
}

TEST_CASE("the format version is required and checked", "[loader][errors]") {
  CHECK(Error("users: {}\n") ==
        "d.yaml:1:1: error: missing 'accord: 1' (the format version) at the top level");
  CHECK(Error("accord: 2\n") ==
        "d.yaml:1:9: error: accord: unsupported format version 2; this Accord reads version 1");
  CHECK(Error("") ==
        "d.yaml:1:1: error: the file is empty; a desired state starts with 'accord: 1'");
  CHECK(
      Error("accord: 1\n---\naccord: 1\n").find("d.yaml:3:1: error: more than one YAML document") ==
      0);
}

TEST_CASE("all errors are reported at once, in file order", "[loader][errors]") {
  std::vector<std::string> errors = Errors(R"(accord: 1
authority:
  user: nobody_here
users:
  alice:
    fullname: A
    uid: 70000000000
  bob:
    uid_range: nowhere
    secure_token: maybe
)");
  REQUIRE(errors.size() == 5);
  CHECK(errors[0].find("d.yaml:3:9:") == 0);
  CHECK(errors[1].find("d.yaml:6:5:") == 0);
  CHECK(errors[2].find("d.yaml:7:10:") == 0);
  CHECK(errors[3].find("d.yaml:9:16:") == 0);
  CHECK(errors[4].find("d.yaml:10:19:") == 0);
}

TEST_CASE("aliases that expand a file far beyond its size are refused, not expanded",
          "[loader][errors]") {
  // The "billion laughs": each level doubles the one before.
  std::string yaml = "a0: &a0 [x, x]\n";
  for (int i = 1; i < 40; ++i) {
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) +
            ", *a" + std::to_string(i - 1) + "]\n";
  }
  CHECK(Error(yaml) ==
        "d.yaml:1:1: error: aliases expand this document far beyond its size; write a desired "
        "state without them");
  // A modest alias still loads.
  CHECK(Errors("accord: 1\nusers:\n  alice: &u {shell: /bin/zsh}\n  bob: *u\n").empty());
}

}  // namespace accord
