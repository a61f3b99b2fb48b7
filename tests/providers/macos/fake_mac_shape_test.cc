// SPDX-License-Identifier: Apache-2.0
// The fake Mac prints what real Macs print: every key it writes in a dscl
// record or a diskutil plist, and every line it prints for fdesetup and
// profiles, appears in some real output of the corpus or the fixtures (the
// files without "-synthetic" in their names, each naming its public
// source). A line no public source shows is listed below with why it is
// kept, so a belief of the fake's own cannot pass unseen.
#include <filesystem>
#include <regex>
#include <set>

#include "macos/observe.h"
#include "macos/plist.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

// The real outputs whose file names start with one of `prefixes`, each
// without its "# source:"/"# note:" lines.
std::vector<std::string> RealOutputs(const std::vector<std::string>& prefixes) {
  std::vector<std::string> out;
  for (const char* dir : {"tests/providers/macos/fixtures", "tests/providers/macos/corpus"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(test::SourcePath(dir))) {
      const std::string name = e.path().filename().string();
      if (!e.is_regular_file() || name.find("synthetic") != std::string::npos) continue;
      bool wanted = false;
      for (const std::string& p : prefixes) wanted = wanted || name.rfind(p, 0) == 0;
      if (!wanted) continue;
      std::string text = test::ReadFile(e.path().string());
      while (text.rfind("# ", 0) == 0) text.erase(0, text.find('\n') + 1);
      out.push_back(std::move(text));
    }
  }
  REQUIRE_FALSE(out.empty());
  return out;
}

// Every dict key of a plist, at any depth.
void KeysOf(const PlistValue& v, std::set<std::string>& keys) {
  for (const PlistEntry& e : v.dict) {
    keys.insert(e.key);
    KeysOf(e.value, keys);
  }
  for (const PlistValue& item : v.array) KeysOf(item, keys);
}

// The attribute names of real dscl records: plist keys (-plist), and the
// names that start a line of the text form, where a standard attribute is
// printed without its "dsAttrTypeStandard:" prefix.
std::set<std::string> RealDsclKeys() {
  std::set<std::string> keys;
  static const std::regex kAttr(R"(^([A-Za-z][A-Za-z0-9_]*(:[A-Za-z_][A-Za-z0-9_]*)?):( |$))");
  for (const std::string& text : RealOutputs({"dscl-read-user", "dscl-plist-read-user"})) {
    // -plist output starts with the XML declaration; a text record may
    // hold a plist in a value (accountPolicyData).
    if (text.find_first_not_of(" \t\n") == text.find("<?xml")) {
      KeysOf(ParsePlist(text).root, keys);
      continue;
    }
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (!std::regex_search(line, m, kAttr)) continue;
      std::string name = m[1];
      keys.insert(name.rfind("dsAttrType", 0) == 0 ? name : "dsAttrTypeStandard:" + name);
    }
  }
  return keys;
}

// A line as compared: a quoted name, a number and a GUID stand for any.
std::string Shape(std::string line) {
  line = std::regex_replace(line, std::regex("'[^']*'"), "'NAME'");
  line = std::regex_replace(line, std::regex("[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}"),
                            "GUID");
  line = std::regex_replace(line, std::regex("^[^ ,]+,GUID$"), "NAME,GUID");
  return std::regex_replace(line, std::regex("[0-9]+(\\.[0-9]+)?"), "N");
}

std::set<std::string> RealLines(const std::vector<std::string>& prefixes) {
  std::set<std::string> lines;
  for (const std::string& text : RealOutputs(prefixes)) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.insert(Shape(line));
  }
  return lines;
}

// Macs that make the fake print every form it has.
std::vector<DeviceState> EveryForm() {
  DeviceState base =
      test::Device(test::ReadFile(test::SourcePath("examples/fresh-mac/device.json")));
  base.users.push_back(test::StandardUser("helper", 502));
  base.users.back().hidden = true;
  base.users.back().secure_token = true;
  base.users.back().volume_owner = false;
  base.mdm.enrolled = true;
  base.mdm.bootstrap_token_supported = true;
  base.mdm.bootstrap_token_escrowed = true;
  std::vector<DeviceState> out;
  for (FileVaultStatus s :
       {FileVaultStatus::kOff, FileVaultStatus::kOn, FileVaultStatus::kEncrypting,
        FileVaultStatus::kDecrypting, FileVaultStatus::kDeferred}) {
    DeviceState mac = base;
    mac.filevault.status = s;
    if (s == FileVaultStatus::kDeferred) mac.filevault.deferred_user = "firstaccount";
    out.push_back(mac);
  }
  out.back().mdm.enrolled = false;
  out.back().mdm.bootstrap_token_supported = false;
  return out;
}

std::string Printed(test::FakeMac& mac, const Command& c) {
  Result<CommandResult> r = mac.Run(c);
  REQUIRE(r.ok());
  return r.value().out;
}

}  // namespace

TEST_CASE("every key the fake Mac writes in a dscl record is in a real record",
          "[fake-mac][corpus]") {
  const std::set<std::string> real = RealDsclKeys();
  for (DeviceState& state : EveryForm()) {
    test::FakeMac mac(state);
    std::set<std::string> written;
    KeysOf(ParsePlist(Printed(mac, DsclUsersCommand())).root, written);
    REQUIRE_FALSE(written.empty());
    for (const std::string& key : written) {
      INFO(key);
      CHECK(real.count(key) == 1);
    }
  }
}

TEST_CASE("every key the fake Mac writes in diskutil's crypto-user plist is in a real one",
          "[fake-mac][corpus]") {
  std::set<std::string> real;
  for (const std::string& text :
       RealOutputs({"diskutil-apfs-listusers-plist", "diskutil-apfs-listcryptousers-plist"})) {
    KeysOf(ParsePlist(text).root, real);
  }
  for (DeviceState& state : EveryForm()) {
    test::FakeMac mac(state);
    std::set<std::string> written;
    KeysOf(ParsePlist(Printed(mac, Command::Reading({"/usr/sbin/diskutil", "apfs",
                                                     "listCryptoUsers", "-plist", "/"})))
               .root,
           written);
    for (const std::string& key : written) {
      INFO(key);
      CHECK(real.count(key) == 1);
    }
  }
}

TEST_CASE("every line the fake Mac prints for fdesetup and profiles is a real line",
          "[fake-mac][corpus]") {
  struct Tool {
    Command command;
    std::vector<std::string> real;  // the corpus files of its outputs
  };
  const std::vector<Tool> tools = {
      {Command::Reading({"/usr/bin/fdesetup", "status"}), {"fdesetup-status"}},
      {Command::Reading({"/usr/bin/fdesetup", "list"}), {"fdesetup-list-1", "fdesetup-list-2"}},
      {Command::Reading({"/usr/bin/fdesetup", "haspersonalrecoverykey"}),
       {"fdesetup-haspersonalrecoverykey", "fdesetup-hasinstitutionalrecoverykey",
        "fdesetup-usingrecoverykey"}},
      {Command::Reading({"/usr/bin/profiles", "status", "-type", "enrollment"}),
       {"profiles-status-enrollment"}},
      {Command::Reading({"/usr/bin/profiles", "status", "-type", "bootstraptoken"}),
       {"profiles-status-bootstraptoken"}},
  };
  // Lines no published output shows, each with why the fake prints it.
  // The searches for real ones are in the corpus's SOURCES.md files.
  const std::set<std::string> unseen = {
      // fdesetup(8) and Apple's FileVault deployment guide word them so.
      "FileVault is Off.",
      "Encryption in progress: Percent completed = N",
      "Decryption in progress: Percent completed = N",
      // A Mac not enrolled, in the enrolled sample's words (the legacy
      // "There is no enrollment profile installed" is what older macOS
      // printed instead).
      "Enrolled via DEP: No",
      "MDM enrollment: No",
      // A Bootstrap Token escrowed: the real "escrowed to server: NO"
      // sample's line with YES (Apple's deployment guide shows YES too).
      "profiles: Bootstrap Token escrowed to server: YES",
  };
  for (const Tool& tool : tools) {
    const std::set<std::string> real = RealLines(tool.real);
    for (DeviceState& state : EveryForm()) {
      test::FakeMac mac(state);
      std::istringstream printed(Printed(mac, tool.command));
      for (std::string line; std::getline(printed, line);) {
        INFO(tool.command.Display() << ": " << line);
        CHECK((real.count(Shape(line)) == 1 || unseen.count(Shape(line)) == 1));
      }
    }
  }
}

}  // namespace accord
