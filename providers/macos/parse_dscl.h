// SPDX-License-Identifier: Apache-2.0
// Pure parsers for the Directory Service tools' output that Accord reads:
// dscl -plist (observation), dscl read (the Full Disk Access probe), and DS
// errors. Each takes the text a command printed and returns values; no I/O.
// (Outputs of list, search, dseditgroup, dsmemberutil and dscacheutil are
// kept among the fixtures as evidence, but nothing of Accord reads them.)
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/device_state.h"

namespace accord {

// `dscl . -read /Users/N` and `/Groups/G`: attribute → values. A one-line
// attribute's values are space-separated; a multi-line one has a value per
// indented line (an embedded plist is kept as one value).
using DsRecord = std::map<std::string, std::vector<std::string>>;
DsRecord ParseDsclRecord(const std::string& text);

// "DS Error: -14136 (eDSRecordNotFound)": the code and name, if present.
struct DsError {
  int code = 0;
  std::string name;
};
std::optional<DsError> ParseDsError(const std::string& text);

// One user record from `dscl -plist . -readall /Users` (or -read).
struct DsUser {
  std::string name;
  Known<std::int64_t> uid;
  Known<std::int64_t> gid;
  Known<std::string> real_name;
  Known<std::string> shell;
  Known<std::string> home;
  Known<std::string> guid;
  Known<bool> hidden;
  bool secure_token_tag = false;         // ;SecureToken; in AuthenticationAuthority
  Known<std::string> password_last_set;  // accountPolicyData's passwordLastSetTime
};

struct DsUsers {
  std::vector<DsUser> users;
  std::vector<std::string> unreadable;  // records that could not be read
  std::string error;                    // the output as a whole was damaged
};
// Accepts a single record (a <dict>) or readall's <array> of them.
DsUsers ParseDsclUsersPlist(const std::string& xml);

// Members of a group, by short name and by GeneratedUID (macOS keeps both),
// from `dscl -plist . -read /Groups/admin`.
struct GroupMembers {
  std::vector<std::string> names;
  std::vector<std::string> guids;
  bool ok = false;
};
GroupMembers ParseDsclGroupPlist(const std::string& xml);

}  // namespace accord
