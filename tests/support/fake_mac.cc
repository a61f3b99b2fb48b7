// SPDX-License-Identifier: Apache-2.0
// Rendering the tools' outputs from the device model.
#include "support/fake_mac.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <vector>

#include "macos/observe.h"
#include "macos/plist.h"
#include "model/effect.h"

namespace accord::test {
namespace {

// One attribute of a record; `name` without a prefix is a standard one.
std::string PlistAttr(const std::string& name, const std::vector<std::string>& values) {
  const std::string key = name.find(':') == std::string::npos ? "dsAttrTypeStandard:" + name : name;
  std::string out = "\t\t<key>" + key + "</key>\n\t\t<array>\n";
  for (const std::string& v : values) out += "\t\t\t<string>" + EscapeXml(v) + "</string>\n";
  return out + "\t\t</array>\n";
}

const char* kHeader =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST "
    "1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n";

// `dscl -plist . -readall /Users`, as root: asked for no attributes by
// name (`all`), every readable one, the password hash (ShadowHashData) in
// it; asked for the ones Accord names (observe.h), only those.
std::string ReadallUsers(const DeviceState& s, bool all) {
  std::string out = std::string(kHeader) + "<array>\n";
  for (const ObservedUser& u : s.users) {
    out += "\t<dict>\n";
    if (all) {
      out += PlistAttr("dsAttrTypeNative:ShadowHashData",
                       {"<62706c69 73743030 d101025f 10145341 4c544544 2d534841 3531322d>"});
    }
    std::string aa = ";ShadowHash;HASHLIST:<SALTED-SHA512-PBKDF2,SRP-RFC5054-4096-SHA512-PBKDF2>";
    out += PlistAttr("AuthenticationAuthority", u.secure_token == true
                                                    ? std::vector<std::string>{aa, ";SecureToken;"}
                                                    : std::vector<std::string>{aa});
    if (u.guid) out += PlistAttr("GeneratedUID", {*u.guid});
    // Native, as on real records (dscl -read prints it as "IsHidden: 1").
    if (u.hidden == true) out += PlistAttr("dsAttrTypeNative:IsHidden", {"1"});
    if (u.home) out += PlistAttr("NFSHomeDirectory", {*u.home});
    if (u.gid) out += PlistAttr("PrimaryGroupID", {std::to_string(*u.gid)});
    if (u.full_name) out += PlistAttr("RealName", {*u.full_name});
    out += PlistAttr("RecordName", {u.name});
    if (u.uid) out += PlistAttr("UniqueID", {std::to_string(*u.uid)});
    // As dscl prints it in the fixture dscl-read-user-1.txt: a plist in a
    // string. A user the test did not give a time has an old one.
    out +=
        "\t\t<key>dsAttrTypeNative:accountPolicyData</key>\n\t\t<array>\n\t\t\t<string>" +
        EscapeXml(std::string(kHeader) +
                  "<dict>\n\t<key>creationTime</key>\n\t<real>1700000000.25</real>\n"
                  "\t<key>passwordLastSetTime</key>\n\t<real>" +
                  u.password_last_set.value_or("1700000000.5") + "</real>\n</dict>\n</plist>\n") +
        "</string>\n\t\t</array>\n";
    if (u.shell) out += PlistAttr("UserShell", {*u.shell});
    out += "\t</dict>\n";
  }
  return out + "</array>\n</plist>\n";
}

std::string AdminGroup(const DeviceState& s) {
  std::vector<std::string> names, guids;
  for (const ObservedUser& u : s.users) {
    if (u.admin != true) continue;
    names.push_back(u.name);
    if (u.guid) guids.push_back(*u.guid);
  }
  return std::string(kHeader) + "<dict>\n" + PlistAttr("GroupMembers", guids) +
         PlistAttr("GroupMembership", names) + PlistAttr("PrimaryGroupID", {"80"}) +
         PlistAttr("RecordName", {"admin", "BUILTIN\\Administrators"}) + "</dict>\n</plist>\n";
}

std::string CryptoUsers(const DeviceState& s) {
  std::string out = std::string(kHeader) + "<dict>\n\t<key>Users</key>\n\t<array>\n";
  for (const ObservedUser& u : s.users) {
    if (u.secure_token != true || !u.guid) continue;
    out +=
        "\t\t<dict>\n\t\t\t<key>APFSCryptoUserType</key>\n\t\t\t<string>LocalOpenDirectory</"
        "string>\n"
        "\t\t\t<key>APFSCryptoUserUUID</key>\n\t\t\t<string>" +
        *u.guid + "</string>\n";
    if (u.volume_owner) {
      out += std::string("\t\t\t<key>VolumeOwner</key>\n\t\t\t<") +
             (*u.volume_owner ? "true" : "false") + "/>\n";
    }
    out += "\t\t</dict>\n";
  }
  return out + "\t</array>\n</dict>\n</plist>\n";
}

std::string FdeStatus(const DeviceState& s) {
  const FileVaultState& fv = s.filevault;
  std::string out;
  switch (fv.status.value_or(FileVaultStatus::kOff)) {
    case FileVaultStatus::kOff: out = "FileVault is Off.\n"; break;
    case FileVaultStatus::kOn: out = "FileVault is On.\n"; break;
    case FileVaultStatus::kEncrypting:
      out = "FileVault is On.\nEncryption in progress: Percent completed = 42.31\n";
      break;
    case FileVaultStatus::kDecrypting:
      out = "FileVault is On.\nDecryption in progress: Percent completed = 12.00\n";
      break;
    case FileVaultStatus::kDeferred:
      // As a real Mac printed it (corpus
      // fdesetup-status-deferred-user-restart-1.txt): no closing period.
      out = "FileVault is Off.\nDeferred enablement appears to be active for user '" +
            fv.deferred_user.value_or("") + "'\n";
      break;
  }
  // fdesetup prints this line whenever FileVaultMaster.keychain exists,
  // with or without an institutional key behind it (fdesetup(8); a real
  // 10.15.6 Mac printed it beside hasinstitutionalrecoverykey's "false",
  // corpus fdesetup-status-on-masterkeychain-1): the fake prints it on
  // every Mac that has FileVault on, so only the real answer can decide.
  if (fv.status == FileVaultStatus::kOn) {
    out += "FileVault master keychain appears to be installed.\n";
  }
  return out;
}

std::string FdeList(const DeviceState& s) {
  std::string out;
  for (const ObservedUser& u : s.users) {
    if (u.secure_token == true && u.guid) out += u.name + "," + *u.guid + "\n";
  }
  return out;
}

// `ioreg -rd1 -c IOPlatformExpertDevice`, piped: the layout of Apple's
// ioreg.c (IOKitTools-125: the node line, "{" and "}" at 4 spaces, each
// property at 6, a line of 4 spaces and an empty line after), with the
// property set of an Apple silicon Mac (MacBookPro18,1, as captured in
// open-telemetry/opentelemetry-js's getMachineId-darwin test). The UUID and
// serial are the state's; one not known is not printed, as if unreadable.
std::string PlatformExpert(const DeviceState& s) {
  std::string out =
      "+-o J316sAP  <class IOPlatformExpertDevice, id 0x10000024d, registered, matched, active, "
      "busy 0 (132196 ms), retain 37>\n    {\n";
  auto property = [&](const std::string& key, const std::string& value) {
    out += "      \"" + key + "\" = " + value + "\n";
  };
  property("IOPolledInterface", "\"AppleARMWatchdogTimerHibernateHandler is not serializable\"");
  property("#address-cells", "<02000000>");
  property("AAPL,phandle", "<01000000>");
  property("IOBusyInterest", "\"IOCommand is not serializable\"");
  property("target-type", "<\"J316s\">");
  property("manufacturer", "<\"Apple Inc.\">");
  property("compatible", "<\"J316sAP\",\"MacBookPro18,1\",\"AppleARM\">");
  if (s.serial) property("IOPlatformSerialNumber", "\"" + *s.serial + "\"");
  property("model", "<\"MacBookPro18,1\">");
  property("IONWInterrupts", "\"IONWInterrupts\"");
  property("device_type", "<\"bootrom\">");
  if (s.hardware_uuid) property("IOPlatformUUID", "\"" + *s.hardware_uuid + "\"");
  return out + "    }\n    \n\n";
}

std::string UsersFolder(const DeviceState& s) {
  std::string out = "total 0\n";
  for (const ObservedHome& h : s.homes) {
    std::string name = h.path.substr(h.path.rfind('/') + 1);
    out += "drwxr-xr-x+ 12 " + (h.uid ? std::to_string(*h.uid) : std::string("?")) +
           "  20  384 Nov 27 18:02 " + name + "\n";
  }
  return out;
}

// `profiles -C -o stdout-xml` as root: system-scoped profiles with their
// payload types, in the shape osquery's profiles extension and Sal read
// (parse_tools.h). An enrolled Mac has its MDM profile (com.apple.mdm);
// the escrow payload is in a profile of its own. A Mac with no profile
// prints an empty dict.
std::string InstalledProfiles(const DeviceState& s) {
  auto profile = [](const std::string& id, const std::string& payload) {
    return "\t\t<dict>\n\t\t\t<key>ProfileIdentifier</key>\n\t\t\t<string>" + id +
           "</string>\n\t\t\t<key>ProfileItems</key>\n\t\t\t<array>\n\t\t\t\t<dict>\n"
           "\t\t\t\t\t<key>PayloadType</key>\n\t\t\t\t\t<string>" +
           payload + "</string>\n\t\t\t\t</dict>\n\t\t\t</array>\n\t\t</dict>\n";
  };
  std::string profiles;
  if (s.mdm.enrolled == true) profiles += profile("com.example.mdm", "com.apple.mdm");
  if (s.mdm.recovery_key_escrow_payload == true) {
    profiles += profile("com.example.filevault", "com.apple.security.FDERecoveryKeyEscrow");
  }
  if (profiles.empty()) return std::string(kHeader) + "<dict/>\n</plist>\n";
  return std::string(kHeader) + "<dict>\n\t<key>_computerlevel</key>\n\t<array>\n" + profiles +
         "\t</array>\n</dict>\n</plist>\n";
}

std::string YesNo(const Known<bool>& b) { return b == true ? "YES" : "NO"; }

// The value after `flag` in argv, or "".
std::string Flag(const std::vector<std::string>& argv, const std::string& flag) {
  auto it = std::find(argv.begin(), argv.end(), flag);
  return it != argv.end() && it + 1 != argv.end() ? *(it + 1) : "";
}

bool Has(const std::vector<std::string>& argv, const std::string& flag) {
  return std::find(argv.begin(), argv.end(), flag) != argv.end();
}

// sysadminctl's log line on stderr.
std::string Log(const std::string& message) {
  return "2026-11-28 01:00:00.000 sysadminctl[4242:31337] " + message + "\n";
}

std::vector<std::string> StdinLines(const std::string& in) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = in.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(in.substr(start, nl - start));
  }
  return lines;
}

// What sysadminctl logs when the administrator cannot unlock the volume's
// keys (no token, or a wrong password), exiting 0: quoted in Jamf Nation
// and macadmins threads on secureTokenOn, and in mkuser's error handling.
const char* kNoTokenUnlock = "Operation is not permitted without secure token unlock.";

}  // namespace

ObservedUser StandardUser(const std::string& name, std::int64_t uid) {
  ObservedUser u;
  u.name = name;
  u.uid = uid;
  u.gid = 20;
  u.full_name = name;
  u.shell = "/bin/zsh";
  u.home = "/Users/" + name;
  char guid[40];
  std::snprintf(guid, sizeof guid, "00000000-0000-4000-A000-%012lld", static_cast<long long>(uid));
  u.guid = guid;
  u.hidden = false;
  u.admin = false;
  u.secure_token = false;
  return u;
}

Result<CommandResult> FakeMac::Write(const std::vector<std::string>& argv, const std::string& in) {
  const std::string& tool = argv[0];
  auto user = [&](const std::string& name) {
    return std::find_if(state_.users.begin(), state_.users.end(),
                        [&](const ObservedUser& u) { return u.name == name; });
  };
  auto missing = [&](const std::string& name) {
    return CommandResult{0, "", Log("Unknown user " + name)};  // and exits 0, as it does
  };
  if (tool == "/usr/sbin/sysadminctl") {
    if (Has(argv, "-addUser")) {
      ObservedUser u;
      u.name = Flag(argv, "-addUser");
      std::int64_t uid = 501;
      for (const ObservedUser& o : state_.users) uid = std::max(uid, o.uid.value_or(0) + 1);
      u.uid = Has(argv, "-UID") ? std::stoll(Flag(argv, "-UID")) : uid;
      u.gid = 20;
      u.full_name = Has(argv, "-fullName") ? Flag(argv, "-fullName") : u.name;
      u.shell = Has(argv, "-shell") ? Flag(argv, "-shell") : "/bin/zsh";
      u.home = Has(argv, "-home") ? Flag(argv, "-home") : "/Users/" + u.name;
      // Not the model's simulated GUID: macOS picks its own, and Accord
      // must learn it by observing.
      char guid[40];
      std::snprintf(guid, sizeof guid, "FA4E0000-0000-4000-A000-%012lld",
                    static_cast<long long>(*u.uid));
      u.guid = guid;
      u.hidden = false;
      u.admin = Has(argv, "-admin");
      // macOS 11+ gives the first SecureToken to the first account whose
      // password is set (DOMAIN §1). The fake Mac's state is the truth, so
      // it knows whether anyone holds one; the engine's model, which may
      // not, says "cannot tell" there (model/effect, tested in effect_test).
      bool no_holders = std::none_of(state_.users.begin(), state_.users.end(),
                                     [](const ObservedUser& o) { return o.secure_token == true; });
      std::vector<std::string> lines = StdinLines(in);
      u.secure_token = no_holders && Has(argv, "-password") && !lines.empty();
      if (!lines.empty()) {
        passwords_[u.name] = lines[0];
        u.password_last_set = NextPasswordTime();
      }
      state_.homes.push_back({*u.home, u.uid});
      state_.users.push_back(u);
      return CommandResult{0, "", Log("Creating user record...")};
    }
    if (Has(argv, "-deleteUser")) {
      auto it = user(Flag(argv, "-deleteUser"));
      if (it == state_.users.end()) return missing(Flag(argv, "-deleteUser"));
      // sysadminctl refuses to delete the last admin or the last token
      // holder, and exits 0 (fixture sysadminctl-deleteuser-last-admin-1.txt).
      auto others = [&](auto pred) {
        return std::any_of(state_.users.begin(), state_.users.end(),
                           [&](const ObservedUser& o) { return o.name != it->name && pred(o); });
      };
      bool last_admin =
          it->admin == true && !others([](const ObservedUser& o) { return o.admin == true; });
      bool last_token = it->secure_token == true &&
                        !others([](const ObservedUser& o) { return o.secure_token == true; });
      if (last_admin || last_token) {
        return CommandResult{0, "",
                             Log("User " + it->name +
                                 " can not be deleted (it's either last admin user or last "
                                 "secure token user neither of which can be deleted)")};
      }
      if (Has(argv, "-secure")) {
        std::erase_if(state_.homes, [&](const ObservedHome& h) { return h.path == it->home; });
      }
      state_.users.erase(it);
      return CommandResult{0, "", Log("Deleting record for " + Flag(argv, "-deleteUser"))};
    }
    for (const char* flag : {"-secureTokenOn", "-secureTokenOff", "-resetPasswordFor"}) {
      if (!Has(argv, flag)) continue;
      auto it = user(Flag(argv, flag));
      if (it == state_.users.end()) return missing(Flag(argv, flag));
      // Prompt order: the administrator's password first, then the user's
      // (DOMAIN §5); fed in any other order, authentication fails.
      std::vector<std::string> lines = StdinLines(in);
      const std::string admin = Flag(argv, "-adminUser");
      if (lines.size() < 2) return CommandResult{0, "", Log("Error: passwords were not given")};
      auto holder = user(admin);
      if (holder == state_.users.end() || holder->secure_token != true ||
          !PasswordIs(admin, lines[0])) {
        return CommandResult{0, "", Log(kNoTokenUnlock)};
      }
      if (std::string(flag) == "-resetPasswordFor") {
        // A build that asks to confirm reads a third line, which must match.
        if (confirm_reset_ && (lines.size() < 3 || lines[2] != lines[1])) {
          return CommandResult{0, "", Log("Error: passwords do not match")};
        }
        passwords_[it->name] = lines[1];
        it->password_last_set = NextPasswordTime();
        it->keychain_in_sync = false;
        if (it->secure_token == true) it->filevault_password_in_sync = false;
      } else {
        if (!PasswordIs(it->name, lines[1])) return CommandResult{0, "", Log(kNoTokenUnlock)};
        it->secure_token = std::string(flag) == "-secureTokenOn";
        if (it->secure_token == true) it->filevault_password_in_sync = true;
      }
      return CommandResult{0, "", Log("Done")};
    }
  }
  if (tool == "/usr/bin/dscl" && argv.size() == 6 && argv[3] == "/Users/nobody") {
    return CommandResult{0, "", ""};  // the Full Disk Access probe: a no-op
  }
  if (tool == "/usr/bin/dscl" && argv.size() >= 4) {
    auto it = user(argv[3].substr(std::string("/Users/").size()));
    if (it == state_.users.end()) {
      return CommandResult{56, "", "<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)\n"};
    }
    if (argv[2] == "-passwd") {
      // Run as root, dscl -passwd takes ONE value, the new password, and
      // resets: it asks for the old one only when root is refused (DSTools
      // PathRecord.m). Fed "old\nnew", it sets the old one and exits 0.
      std::vector<std::string> lines = StdinLines(in);
      if (lines.empty()) return CommandResult{0, "", ""};
      passwords_[it->name] = lines[0];
      it->password_last_set = NextPasswordTime();
      it->keychain_in_sync = false;
      if (it->secure_token == true) it->filevault_password_in_sync = false;
      return CommandResult{0, "", ""};
    }
    if (argv[2] == "-create" && argv.size() == 6) {
      if (argv[4] == "RealName") it->full_name = argv[5];
      if (argv[4] == "UserShell") it->shell = argv[5];
      if (argv[4] == "IsHidden") it->hidden = argv[5] == "1";
      return CommandResult{0, "", ""};
    }
  }
  if (tool == "/usr/sbin/dseditgroup") {
    auto it = user(Has(argv, "-a") ? Flag(argv, "-a") : Flag(argv, "-d"));
    if (it == state_.users.end()) return CommandResult{64, "", "Record was not found.\n"};
    it->admin = Has(argv, "-a");
    return CommandResult{0, "", ""};
  }
  if (tool == "/usr/sbin/createhomedir") {
    return CommandResult{0, "creating home directories for (" + Flag(argv, "-u") + ")\n", ""};
  }
  if (tool == "/usr/bin/fdesetup" && argv.size() >= 2) {
    if (argv[1] == "enable") {
      state_.filevault.status = FileVaultStatus::kDeferred;
      state_.filevault.deferred_user = Flag(argv, "-user");
      deferred_by_ = Flag(argv, "-user");
      deferral_plist_ = Flag(argv, "-defer");
      return CommandResult{0, "", ""};
    }
    if (argv[1] == "disable") {
      state_.filevault.status = FileVaultStatus::kDecrypting;
      return CommandResult{0, "", ""};
    }
    if (argv[1] == "changerecovery") {
      state_.filevault.personal_recovery_key = true;
      // With -outputplist, the plist fdesetup(8) describes, in the shape of
      // the real one in the corpus (fdesetup-defer-outputplist-1.txt);
      // without it, the line key-rotation scripts parse.
      if (std::find(argv.begin(), argv.end(), "-outputplist") != argv.end()) {
        return CommandResult{0, KeyPlist(), ""};
      }
      return CommandResult{
          0, "New personal recovery key = '" + std::string(kFakeRecoveryKey) + "'\n", ""};
    }
  }
  std::string line;
  for (const std::string& a : argv) line += (line.empty() ? "" : " ") + a;
  return SingleError("", {}, "", "fake Mac: no handler for `" + line + "`");
}

std::optional<CommandResult> FakeMac::ReadWithInput(const Command& c) {
  const std::vector<std::string>& argv = c.argv;
  // security(1): -w prints only the password; a missing item exits 44.
  if (argv.size() == 6 && argv[0] == "/usr/bin/security" && argv[1] == "find-generic-password" &&
      argv[2] == "-s" && argv[4] == "-w" && argv[5] == "/Library/Keychains/System.keychain") {
    auto it = keychain_.find(argv[3]);
    if (it == keychain_.end()) {
      return CommandResult{44, "",
                           "security: SecKeychainSearchCopyNext: The specified item could not be "
                           "found in the keychain.\n"};
    }
    return CommandResult{0, it->second + "\n", ""};
  }
  // diskutil apfs unlockVolume VOL -user GUID -verify -stdinpassphrase: exit
  // 0 only if the passphrase unlocks the volume as that crypto user (a
  // token holder whose FileVault password is in step). The failure text is
  // synthetic: Accord reads only the exit status.
  if (argv.size() == 8 && argv[0] == "/usr/sbin/diskutil" && argv[2] == "unlockVolume" &&
      Has(argv, "-verify") && Has(argv, "-stdinpassphrase")) {
    ++unlock_checks_;
    std::vector<std::string> lines = StdinLines(c.stdin_data);
    for (const ObservedUser& u : state_.users) {
      if (u.guid != Flag(argv, "-user")) continue;
      if (u.secure_token == true && u.filevault_password_in_sync != false && !lines.empty() &&
          PasswordIs(u.name, lines[0])) {
        return CommandResult{0, "", ""};
      }
    }
    return CommandResult{1, "",
                         "Error verifying passphrase for the cryptographic user (synthetic)\n"};
  }
  // sysadminctl -secureTokenStatus N: one log line on stderr, as in the
  // fixtures sysadminctl-securetokenstatus-*.txt; exit 0 either way.
  if (argv.size() == 3 && argv[0] == "/usr/sbin/sysadminctl" && argv[1] == "-secureTokenStatus") {
    for (const ObservedUser& u : state_.users) {
      if (u.name != argv[2]) continue;
      return CommandResult{
          0, "",
          Log(std::string("Secure token is ") + (u.secure_token == true ? "ENABLED" : "DISABLED") +
              " for user " + u.name)};
    }
    return CommandResult{0, "", Log("Unknown user " + argv[2])};
  }
  // fdesetup showdeferralinfo: the old-style plist of the fixture
  // fdesetup-showdeferralinfo-1.txt; empty braces when nothing is deferred.
  if (argv.size() == 2 && argv[0] == "/usr/bin/fdesetup" && argv[1] == "showdeferralinfo") {
    if (state_.filevault.status != FileVaultStatus::kDeferred)
      return CommandResult{0, "{\n}\n", ""};
    return CommandResult{0,
                         "{\n    Defer = 1;\n    OutputPath = \"" +
                             std::string("/var/db/ConfigurationProfiles/fdesetup.plist") +
                             "\";\n    Usernames =     (\n        " +
                             state_.filevault.deferred_user.value_or("") + "\n    );\n}\n",
                         ""};
  }
  // stat -f %Su /dev/console: the console user's name, root at the login
  // window (tests make it unreadable by injecting a failure).
  if (argv == std::vector<std::string>{"/usr/bin/stat", "-f", "%Su", "/dev/console"}) {
    const std::string& at = state_.console_user.value_or("");
    return CommandResult{0, (at.empty() ? "root" : at) + "\n", ""};
  }
  // Whether the payload is installed cannot be told: the listing fails
  // (synthetic text; Accord reads only the exit status).
  if (argv == std::vector<std::string>{"/usr/bin/profiles", "-C", "-o", "stdout-xml"}) {
    if (!state_.mdm.recovery_key_escrow_payload) {
      return CommandResult{1, "", "profiles: cannot list configuration profiles (synthetic)\n"};
    }
    return CommandResult{0, InstalledProfiles(state_), ""};
  }
  return std::nullopt;
}

// What fdesetup writes of a new key, to stdout (-outputplist) or to the
// -defer file: the keys and layout of the corpus's real plist
// (fdesetup-defer-outputplist-1.txt, macOS 10.15.6, APFS).
std::string FakeMac::KeyPlist() const {
  std::string user = deferred_by_;
  for (const ObservedUser& u : state_.users) {
    if (user.empty() && u.admin == true) user = u.name;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
         "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
         "<plist version=\"1.0\">\n<dict>\n"
         "\t<key>EnabledDate</key>\n\t<string>2026-11-28 09:00:00 +0000</string>\n"
         "\t<key>EnabledUser</key>\n\t<string>" +
         user +
         "</string>\n"
         "\t<key>HardwareUUID</key>\n\t<string>" +
         state_.hardware_uuid.value_or("00000000-0000-0000-0000-000000000000") +
         "</string>\n"
         "\t<key>RecoveryKey</key>\n\t<string>" +
         kFakeRecoveryKey +
         "</string>\n"
         "\t<key>SerialNumber</key>\n\t<string>" +
         state_.serial.value_or("C02FAKE00000") + "</string>\n</dict>\n</plist>\n";
}

void FakeMac::CompleteDeferredEnablement() {
  if (state_.filevault.status != FileVaultStatus::kDeferred) return;
  state_.filevault.status = FileVaultStatus::kOn;
  state_.filevault.deferred_user.reset();
  state_.filevault.personal_recovery_key = true;
  if (!deferral_plist_.empty()) {
    // fdesetup(8): the key is written to the -defer file as it enables;
    // created here with a loose mode, which Accord must tighten.
    std::ofstream(deferral_plist_) << KeyPlist();
    ::chmod(deferral_plist_.c_str(), 0644);
  }
}

PasswordVerdict FakeMac::Verify(const std::string& user, const Secret& password) {
  ++password_checks_;
  if (!std::any_of(state_.users.begin(), state_.users.end(),
                   [&](const ObservedUser& u) { return u.name == user; })) {
    return {PasswordCheck::kCannotTell, "eDSRecordNotFound (synthetic)"};
  }
  if (PasswordIs(user, password.Reveal())) return {PasswordCheck::kAccepted, "accepted"};
  return {PasswordCheck::kRejected, "Credentials could not be verified (5000)"};
}

Status FakeMac::Change(const std::string& user, const Secret& old_password,
                       const Secret& new_password) {
  auto it = std::find_if(state_.users.begin(), state_.users.end(),
                         [&](const ObservedUser& u) { return u.name == user; });
  if (it == state_.users.end()) return user + " has no record (synthetic)";
  if (writes_++ == kill_before_write_) throw Killed{};  // a change is a write
  if (!PasswordIs(user, old_password.Reveal())) {
    return "OpenDirectory refused to change " + user +
           "'s password: Credentials could not be verified (5000)";
  }
  passwords_[user] = new_password.Reveal();
  it->password_last_set = NextPasswordTime();
  it->keychain_in_sync = false;
  return OkStatus();
}

Result<CommandResult> FakeMac::Run(const Command& command) {
  ++runs_;
  recorded_.push_back(command);
  std::string line;
  for (const std::string& a : command.argv) line += (line.empty() ? "" : " ") + a;
  if (auto it = injected_once_.find(line); it != injected_once_.end() && !it->second.empty()) {
    CommandResult r = it->second.front();
    it->second.erase(it->second.begin());
    return r;
  }
  if (auto it = injected_.find(line); it != injected_.end()) return it->second;
  if (command.mutating) {
    if (writes_++ == kill_before_write_) throw Killed{};
    return Write(command.argv, command.stdin_data);
  }
  if (std::optional<CommandResult> read = ReadWithInput(command)) return *read;
  using Render = std::function<std::string(const DeviceState&)>;
  static const std::map<std::string, Render> kHandlers = {
      {"/usr/bin/sw_vers -productVersion",
       [](const DeviceState& s) { return s.os_version.value_or("") + "\n"; }},
      {"/usr/sbin/scutil --get ComputerName",
       [](const DeviceState& s) { return s.name.value_or("") + "\n"; }},
      {"/usr/sbin/ioreg -rd1 -c IOPlatformExpertDevice", PlatformExpert},
      {"/usr/bin/dscl -plist . -readall /Users",
       [](const DeviceState& s) { return ReadallUsers(s, true); }},
      {DsclUsersCommand().Display(), [](const DeviceState& s) { return ReadallUsers(s, false); }},
      {"/usr/bin/dscl -plist . -read /Groups/admin", AdminGroup},
      {"/usr/sbin/diskutil apfs listCryptoUsers -plist /", CryptoUsers},
      {"/usr/bin/fdesetup status", FdeStatus},
      {"/usr/bin/fdesetup list", FdeList},
      {"/usr/bin/fdesetup hasinstitutionalrecoverykey",
       [](const DeviceState& s) {
         return std::string(s.filevault.institutional_recovery_key == true ? "true\n" : "false\n");
       }},
      {"/usr/bin/fdesetup haspersonalrecoverykey",
       [](const DeviceState& s) {
         return std::string(s.filevault.personal_recovery_key == true ? "true\n" : "false\n");
       }},
      {"/usr/bin/profiles status -type enrollment",
       [](const DeviceState& s) {
         // Enrolled: as the corpus's real output (profiles-status-enrollment-1).
         return "Enrolled via DEP: No\nMDM enrollment: " +
                std::string(s.mdm.enrolled == true ? "Yes (User Approved)" : "No") + "\n";
       }},
      {"/usr/bin/profiles status -type bootstraptoken",
       [](const DeviceState& s) {
         std::string out = "profiles: Bootstrap Token supported on server: " +
                           YesNo(s.mdm.bootstrap_token_supported) + "\n";
         if (s.mdm.bootstrap_token_supported == true) {
           out += "profiles: Bootstrap Token escrowed to server: " +
                  YesNo(s.mdm.bootstrap_token_escrowed) + "\n";
         }
         return out;
       }},
      {"/bin/ls -ln /Users", UsersFolder},
      {"/usr/bin/id -u", [](const DeviceState&) { return std::string("0\n"); }},
      {"/usr/bin/dscl . -read /Users/nobody RealName",
       [](const DeviceState&) { return std::string("RealName:\n Unprivileged User\n"); }},
  };
  auto handler = kHandlers.find(line);
  if (handler == kHandlers.end()) {
    return SingleError("", {}, "", "fake Mac: no handler for `" + line + "`");
  }
  return CommandResult{0, handler->second(state_), ""};
}

}  // namespace accord::test
