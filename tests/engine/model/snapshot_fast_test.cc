// SPDX-License-Identifier: Apache-2.0
// The fast snapshot reader (no JSON tree) against the strict one: wherever
// the fast one answers, the strict one accepts the same text and reads the
// same state; it answers for every well-formed snapshot there is here
// (every example, generated Macs in two key orders); and it gives up on
// damaged text, leaving the message to the strict reader.
#include "model/snapshot_fast.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "model/snapshot_codec.h"
#include "support/catch.h"
#include "support/test_support.h"

namespace accord {
namespace {

namespace fs = std::filesystem;

// Where the fast reader answers, the strict one agrees. Returns whether it
// answered.
bool Agree(const std::string& text) {
  std::optional<DeviceState> fast = ReadWellFormedSnapshot(text);
  if (!fast) return false;
  Result<DeviceState> strict = ParseSnapshotStrictly(text, "s.json");
  INFO(text);
  REQUIRE(strict.ok());
  CHECK(strict.value() == *fast);
  return true;
}

template <typename T>
Known<T> Maybe(std::mt19937_64& rng, T value) {
  return rng() % 4 == 0 ? Known<T>() : Known<T>(value);
}

DeviceState RandomMac(std::mt19937_64& rng) {
  DeviceState s;
  s.name = Maybe<std::string>(rng, "mac-" + std::to_string(rng() % 100));
  s.os_version = Maybe<std::string>(rng, rng() % 2 ? "14.5" : "26.0");
  s.console_user = Maybe<std::string>(rng, "u1");
  s.mdm.enrolled = Maybe<bool>(rng, rng() % 2);
  s.mdm.bootstrap_token_supported = Maybe<bool>(rng, rng() % 2);
  s.mdm.bootstrap_token_escrowed = Maybe<bool>(rng, rng() % 2);
  s.mdm.recovery_key_escrow_payload = Maybe<bool>(rng, rng() % 2);
  s.volume_case_sensitive = Maybe<bool>(rng, rng() % 2);
  const int users = static_cast<int>(rng() % 6);
  for (int i = 0; i < users; ++i) {
    ObservedUser u;
    u.name = "u" + std::to_string(i);
    // Account IDs across the range the contract reads, nobody's -2 included.
    const std::int64_t ids[] = {501, 0, -2, 4294967294LL, 2147483647LL, -2147483648LL, 700};
    u.uid = Maybe<std::int64_t>(rng, NormalizeUid(ids[rng() % 7]));
    u.gid = Maybe<std::int64_t>(rng, 20);
    u.full_name = Maybe<std::string>(rng, rng() % 2 ? "Zo\xc3\xab \"Q\" \\ M" : "A B");
    u.shell = Maybe<std::string>(rng, "/bin/zsh");
    u.home = Maybe<std::string>(rng, "/Users/" + u.name);
    u.guid = Maybe<std::string>(rng, "C4713E84-50C7-419E-ABC4-766DFE170F56");
    u.hidden = Maybe<bool>(rng, rng() % 2);
    u.admin = Maybe<bool>(rng, rng() % 2);
    u.secure_token = Maybe<bool>(rng, rng() % 2);
    u.filevault_password_in_sync = Maybe<bool>(rng, rng() % 2);
    u.keychain_in_sync = Maybe<bool>(rng, rng() % 2);
    u.password_set_from = Maybe<std::string>(rng, "env P");
    u.password_last_set = Maybe<std::string>(rng, "1700000000");
    u.volume_owner = Maybe<bool>(rng, rng() % 2);
    s.users.push_back(u);
  }
  if (rng() % 2) s.homes.push_back({"/Users/old", Maybe<std::int64_t>(rng, 503)});
  const FileVaultStatus statuses[] = {FileVaultStatus::kOff, FileVaultStatus::kOn,
                                      FileVaultStatus::kDeferred, FileVaultStatus::kEncrypting};
  s.filevault.status = Maybe<FileVaultStatus>(rng, statuses[rng() % 4]);
  s.filevault.deferred_user = Maybe<std::string>(rng, "u0");
  s.filevault.deferred_since = Maybe<std::string>(rng, "2026-01-01");
  s.filevault.personal_recovery_key = Maybe<bool>(rng, rng() % 2);
  s.filevault.recovery_key_escrowed = Maybe<bool>(rng, rng() % 2);
  s.filevault.institutional_recovery_key = Maybe<bool>(rng, rng() % 2);
  s.filevault.escrow_pending = rng() % 3 == 0;
  s.filevault.escrow_pending_since = Maybe<std::string>(rng, "2026-02-01T10:00:00Z");
  if (rng() % 3 == 0) s.pending.push_back("grant_token:u0");
  return s;
}

// One occurrence of `from` in `text`, chosen at random, becomes `to`.
std::string ReplaceOne(std::mt19937_64& rng, const std::string& text, const std::string& from,
                       const std::string& to) {
  std::vector<std::size_t> at;
  for (std::size_t p = text.find(from); p != std::string::npos; p = text.find(from, p + 1)) {
    at.push_back(p);
  }
  if (at.empty()) return text;
  std::string out = text;
  out.replace(at[rng() % at.size()], from.size(), to);
  return out;
}

// Damage of the kinds files really have: a character lost or added, a
// value of the wrong type, a number out of range or with a fraction, an
// unknown or repeated key, a user listed twice, a status Accord does not
// know, the format marker gone.
std::string Damage(std::mt19937_64& rng, const std::string& text) {
  switch (rng() % 10) {
    case 0: return text.empty() ? text : std::string(text).erase(rng() % text.size(), 1);
    case 1: {
      const char bytes[] = "{}[],:\"0a-.\n\\";
      return std::string(text).insert(rng() % (text.size() + 1), 1, bytes[rng() % 13]);
    }
    case 2: return ReplaceOne(rng, text, "true", rng() % 2 ? "1" : "\"true\"");
    case 3: return ReplaceOne(rng, text, "501", rng() % 2 ? "501.5" : "99999999999");
    case 4: return ReplaceOne(rng, text, "\"shell\"", rng() % 2 ? "\"shel\"" : "\"uid\"");
    case 5: return ReplaceOne(rng, text, "\"name\": \"u1\"", "\"name\": \"u0\"");
    case 6: return ReplaceOne(rng, text, "\"status\": \"", "\"status\": \"side");
    case 7: return ReplaceOne(rng, text, "\"accord_device\": 1", "\"accord_device\": 2");
    case 8: return ReplaceOne(rng, text, "null", rng() % 2 ? "{}" : "[]");
    default: return ReplaceOne(rng, text, "\"users\": [", "\"users\": [[], ");
  }
}

}  // namespace

TEST_CASE("the fast snapshot reader answers for every example, as the strict one reads it",
          "[snapshot]") {
  int read = 0;
  for (const auto& e : fs::recursive_directory_iterator(test::SourcePath("examples"))) {
    if (e.path().filename() != "device.json") continue;
    INFO(e.path().string());
    CHECK(Agree(test::ReadFile(e.path().string())));
    ++read;
  }
  CHECK(read >= 20);
}

TEST_CASE(
    "generated snapshots, whole and damaged: where the fast reader answers, the strict "
    "one reads the same",
    "[snapshot]") {
  std::mt19937_64 rng(20261204);
  int damaged_answers = 0;
  int damaged_refused = 0;
  for (int i = 0; i < 1500; ++i) {
    const std::string canonical = SerializeSnapshot(RandomMac(rng));
    REQUIRE(Agree(canonical));
    // nlohmann's own order (keys sorted) and no spaces: any order is read.
    REQUIRE(Agree(nlohmann::json::parse(canonical).dump()));
    // nobody as osquery prints it (4294967294), read as dscl's -2.
    std::string unsigned_ids = canonical;
    for (std::size_t p = 0; (p = unsigned_ids.find(": -2,", p)) != std::string::npos;) {
      unsigned_ids.replace(p, 5, ": 4294967294,");
    }
    REQUIRE(Agree(unsigned_ids));
    for (int d = 0; d < 4; ++d) {
      const std::string damaged = Damage(rng, canonical);
      if (damaged == canonical) continue;
      if (Agree(damaged)) {
        ++damaged_answers;
      } else {
        ++damaged_refused;
        // Given up on, the text goes to the strict reader: where that one
        // accepts it anyway, it must be something the fast one may skip.
      }
    }
  }
  // Most damage is an error (the strict reader's to report); a little is
  // harmless (a character inside a string), and both must then agree.
  CHECK(damaged_refused > 3000);
  CHECK(damaged_answers > 0);
}

TEST_CASE("the fast reader gives up on what the strict one reports", "[snapshot][errors]") {
  const std::vector<std::string> reported = {
      "",
      "[]",
      "{\"accord_device\": 1}",
      "{\"users\": []}",
      "{\"accord_device\": 1, \"users\": [], \"users\": []}",
      "{\"accord_device\": 1, \"users\": null}",
      "{\"accord_device\": 1, \"users\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}",
      "{\"accord_device\": 1, \"users\": [{\"name\": \"\"}]}",
      "{\"accord_device\": 1, \"users\": [{\"uid\": 501}]}",
      "{\"accord_device\": 1, \"users\": [{\"name\": \"a\", \"uid\": 4294967296}]}",
      "{\"accord_device\": 1, \"users\": [{\"name\": \"a\", \"uid\": -2147483649}]}",
      "{\"accord_device\": 1, \"users\": [{\"name\": \"a\", \"uid\": 1e400}]}",
      "{\"accord_device\": 1, \"users\": [], \"homes\": [{\"path\": \"Users/x\"}]}",
      "{\"accord_device\": 1, \"users\": [], \"pending\": [null]}",
      "{\"accord_device\": 1, \"users\": [], \"filevault\": {\"status\": \"sideways\"}}",
      "{\"accord_device\": 1, \"users\": [], \"mdm\": {\"bootstrap_token\": true}}",
      "{\"accord_device\": 1, \"users\": [], \"extra\": 1}",
      "{\"accord_device\": 1, \"users\": []} trailing",
      "{\"accord_device\": 1.0, \"users\": []}",
  };
  for (const std::string& text : reported) {
    INFO(text);
    CHECK_FALSE(ReadWellFormedSnapshot(text).has_value());
    CHECK_FALSE(ParseSnapshot(text, "s.json").ok());
  }
  CHECK(ReadWellFormedSnapshot("{\"accord_device\": 1, \"users\": []}").has_value());
}

}  // namespace accord
