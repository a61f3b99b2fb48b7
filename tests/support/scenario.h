// SPDX-License-Identifier: Apache-2.0
// Scenario builders for tests: device snapshots in contract-v1 JSON, built
// from short account descriptions, so tests read like the formats admins use.
#pragma once

#include <string>
#include <vector>

namespace accord::test {

// One account of a snapshot. Fields left empty are written as null
// (unknown) only where `unknown` names them.
struct Account {
  std::string name;
  long uid = 0;
  bool admin = false;
  bool token = false;
  std::string full_name = "";
  std::string shell = "/bin/zsh";
  bool hidden = false;
  std::vector<std::string> unknown = {};  // fields observed as null
};

struct Home {
  std::string path;
  long uid;
};

// A snapshot JSON document with these accounts and homes. FileVault status,
// MDM enrollment and the recovery-key escrow payload may be "null" for
// unknown.
std::string Snapshot(const std::vector<Account>& accounts, const std::vector<Home>& homes = {},
                     const std::string& filevault_status = "on",
                     const std::string& enrolled = "false",
                     const std::string& escrow_payload = "false");

// `snapshot` (from Snapshot) with no personal or escrowed recovery key: the
// token holders are the only way in.
std::string WithoutRecoveryKey(std::string snapshot);

// The Mac of the safety trial: FileVault on and no recovery key; olduser
// (UID 501, standard) holds a SecureToken (unknown when !token_known) whose
// FileVault sync is unknown; itadmin (502) is an admin without a token.
std::string TrialMac(bool token_known);

// The Mac just out of Setup Assistant: firstaccount, UID 501, admin, token.
Account FirstAccount();

// A Mac with the records the harm rules care about: root and daemon (both
// homed at /var/root, as on macOS), firstaccount (501, admin, token),
// FileVault `filevault` (a JSON value) with a personal escrowed key (or
// `personal`), enrolled with the escrow payload; `extra` accounts and
// `homes` are JSON objects, each after a comma (PersonJson's shape).
struct HarmsMac {
  std::string extra = "";
  std::string homes = "";
  std::string filevault = "\"on\"";
  std::string name = "test-mac";
  std::string personal = "true";
};
std::string HarmsSnapshot(const HarmsMac& mac);

// ",\n {…}": a standard person's record for HarmsMac::extra. `uid` and
// `home` are JSON values ("502", "null"; "\"/Users/bob\"", "null").
std::string PersonJson(const std::string& name, const std::string& uid, const std::string& home,
                       bool token = false);

}  // namespace accord::test
