// Rendering the tools' outputs from the device model.
#include "support/fake_mac.h"

#include <vector>

namespace accord::test {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

std::string PlistAttr(const std::string& name, const std::vector<std::string>& values) {
  std::string out = "\t\t<key>dsAttrTypeStandard:" + name + "</key>\n\t\t<array>\n";
  for (const std::string& v : values) out += "\t\t\t<string>" + Escape(v) + "</string>\n";
  return out + "\t\t</array>\n";
}

const char* kHeader =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST "
    "1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n";

std::string ReadallUsers(const DeviceState& s) {
  std::string out = std::string(kHeader) + "<array>\n";
  for (const ObservedUser& u : s.users) {
    out += "\t<dict>\n";
    std::string aa = ";ShadowHash;HASHLIST:<SALTED-SHA512-PBKDF2,SRP-RFC5054-4096-SHA512-PBKDF2>";
    out += PlistAttr("AuthenticationAuthority",
                     u.secure_token == true ? std::vector<std::string>{aa, ";SecureToken;"}
                                            : std::vector<std::string>{aa});
    if (u.guid) out += PlistAttr("GeneratedUID", {*u.guid});
    if (u.hidden == true) out += PlistAttr("IsHidden", {"1"});
    if (u.home) out += PlistAttr("NFSHomeDirectory", {*u.home});
    if (u.gid) out += PlistAttr("PrimaryGroupID", {std::to_string(*u.gid)});
    if (u.full_name) out += PlistAttr("RealName", {*u.full_name});
    out += PlistAttr("RecordName", {u.name});
    if (u.uid) out += PlistAttr("UniqueID", {std::to_string(*u.uid)});
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
    out += "\t\t<dict>\n\t\t\t<key>APFSCryptoUserType</key>\n\t\t\t<string>LocalOpenDirectory</string>\n"
           "\t\t\t<key>APFSCryptoUserUUID</key>\n\t\t\t<string>" + *u.guid + "</string>\n\t\t</dict>\n";
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
      out = "FileVault is Off.\nDeferred enablement appears to be active for user '" +
            fv.deferred_user.value_or("") + "'.\n";
      break;
  }
  if (fv.institutional_recovery_key == true) out += "FileVault master keychain appears to be installed.\n";
  return out;
}

std::string FdeList(const DeviceState& s) {
  std::string out;
  for (const ObservedUser& u : s.users) {
    if (u.secure_token == true && u.guid) out += u.name + "," + *u.guid + "\n";
  }
  return out;
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

std::string YesNo(const Known<bool>& b) { return b == true ? "YES" : "NO"; }

}  // namespace

Result<CommandResult> FakeMac::Run(const Command& command) {
  ++runs_;
  std::string line;
  for (const std::string& a : command.argv) line += (line.empty() ? "" : " ") + a;
  if (auto it = injected_.find(line); it != injected_.end()) return it->second;
  using Render = std::function<std::string(const DeviceState&)>;
  static const std::map<std::string, Render> kHandlers = {
      {"/usr/bin/sw_vers -productVersion",
       [](const DeviceState& s) { return s.os_version.value_or("") + "\n"; }},
      {"/usr/sbin/scutil --get ComputerName",
       [](const DeviceState& s) { return s.name.value_or("") + "\n"; }},
      {"/usr/bin/dscl -plist . -readall /Users", ReadallUsers},
      {"/usr/bin/dscl -plist . -read /Groups/admin", AdminGroup},
      {"/usr/sbin/diskutil apfs listCryptoUsers -plist /", CryptoUsers},
      {"/usr/bin/fdesetup status", FdeStatus},
      {"/usr/bin/fdesetup list", FdeList},
      {"/usr/bin/fdesetup haspersonalrecoverykey",
       [](const DeviceState& s) {
         return std::string(s.filevault.personal_recovery_key == true ? "true\n" : "false\n");
       }},
      {"/usr/bin/profiles status -type enrollment",
       [](const DeviceState& s) {
         return "Enrolled via DEP: No\nMDM enrollment: " +
                std::string(s.mdm.enrolled == true ? "Yes" : "No") + "\n";
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
  };
  auto handler = kHandlers.find(line);
  if (handler == kHandlers.end()) {
    return SingleError("", {}, "", "fake Mac: no handler for `" + line + "`");
  }
  return CommandResult{0, handler->second(state_), ""};
}

}  // namespace accord::test
