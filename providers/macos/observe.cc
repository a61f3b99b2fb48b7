// SPDX-License-Identifier: Apache-2.0
// Observation of a Mac through the command runner.
#include "macos/observe.h"

#include <algorithm>
#include <map>

#include "core/terminal_text.h"
#include "macos/parse_dscl.h"
#include "macos/parse_tools.h"

namespace accord {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// One account's SecureToken, from the deciding sources and the tag.
Known<bool> TokenOf(const DsUser& u, const CryptoUsers& apfs, const std::vector<FdeUser>& fde,
                    bool fde_known) {
  Known<bool> from_apfs;
  if (u.guid && Has(apfs.local_user_guids, *u.guid)) {
    from_apfs = true;
  } else if (apfs.complete && u.guid) {
    from_apfs = false;
  }
  Known<bool> from_fde;
  if (fde_known) {
    from_fde = std::any_of(fde.begin(), fde.end(), [&](const FdeUser& f) {
      return f.name == u.name || (u.guid && f.guid == *u.guid);
    });
  }
  if (from_apfs && from_fde && *from_apfs != *from_fde) return std::nullopt;
  Known<bool> decided = from_apfs ? from_apfs : from_fde;
  if (decided && *decided != u.secure_token_tag) return std::nullopt;  // the tag disagrees
  return decided;
}

}  // namespace

Command ConsoleUserCommand() {
  return Command::Reading({"/usr/bin/stat", "-f", "%Su", "/dev/console"});
}

Command DsclUsersCommand() {
  // Standard attributes by their short names, native ones in full
  // (IsHidden is native: dsAttrTypeNative:IsHidden in -plist output).
  return Command::Reading({"/usr/bin/dscl", "-plist", ".", "-readall", "/Users", "RecordName",
                           "UniqueID", "PrimaryGroupID", "RealName", "UserShell",
                           "NFSHomeDirectory", "GeneratedUID", "AuthenticationAuthority",
                           "dsAttrTypeNative:IsHidden", "dsAttrTypeNative:accountPolicyData"});
}

std::string SecretAttributeIn(const std::string& text) {
  for (const char* key : {"ShadowHashData", "HeimdalSRPKey", "KerberosKeys", "_writers_passwd",
                          "_writers_ShadowHashData", "_writers_HeimdalSRPKey"}) {
    if (text.find(key) != std::string::npos) return key;
  }
  return "";
}

std::vector<ObserveCommand> ObserveCommands() {
  return {
      {"sw-vers", Command::Reading({"/usr/bin/sw_vers", "-productVersion"})},
      {"computer-name", Command::Reading({"/usr/sbin/scutil", "--get", "ComputerName"})},
      // The hardware UUID and serial a device: label may name (parse_tools.h).
      {"platform", Command::Reading({"/usr/sbin/ioreg", "-rd1", "-c", "IOPlatformExpertDevice"})},
      {"dscl-users", DsclUsersCommand()},
      {"dscl-admin", Command::Reading({"/usr/bin/dscl", "-plist", ".", "-read", "/Groups/admin"})},
      {"diskutil-crypto-users",
       Command::Reading({"/usr/sbin/diskutil", "apfs", "listCryptoUsers", "-plist", "/"})},
      {"fdesetup-status", Command::Reading({"/usr/bin/fdesetup", "status"})},
      {"fdesetup-list", Command::Reading({"/usr/bin/fdesetup", "list"})},
      {"fdesetup-personal-key", Command::Reading({"/usr/bin/fdesetup", "haspersonalrecoverykey"})},
      // The institutional key, by fdesetup's own answer (true/false), never
      // by status's "master keychain" line (parse_tools.h). A bundle
      // captured before this command replays it as not run: unknown.
      {"fdesetup-institutional-key",
       Command::Reading({"/usr/bin/fdesetup", "hasinstitutionalrecoverykey"})},
      {"profiles-enrollment",
       Command::Reading({"/usr/bin/profiles", "status", "-type", "enrollment"})},
      {"profiles-bootstrap",
       Command::Reading({"/usr/bin/profiles", "status", "-type", "bootstraptoken"})},
      {"users-folder", Command::Reading({"/bin/ls", "-ln", "/Users"})},
      // The installed profiles' payloads, for the recovery-key escrow
      // payload (parse_tools.h names the tools that read it this way).
      {"profiles-installed", Command::Reading({"/usr/bin/profiles", "-C", "-o", "stdout-xml"})},
      {"console-user", ConsoleUserCommand()},
  };
}

namespace {

// The observe commands' results by key (every key of ObserveCommands).
class Outputs {
 public:
  void Add(const std::string& key, CommandResult r) { results_[key] = std::move(r); }
  const CommandResult& Get(const std::string& key) const { return results_.at(key); }
  bool ok(const std::string& key) const { return Get(key).exit_code == 0; }
  const std::string& out(const std::string& key) const { return Get(key).out; }
  std::string text(const std::string& key) const { return Get(key).out + Get(key).err; }

 private:
  std::map<std::string, CommandResult> results_;
};

// The accounts: dscl's records and the admin group, each account's token
// from the APFS crypto users and `fdesetup list`, its volume ownership.
void Accounts(const Outputs& out, const FdeStatus& fde_status, DeviceState& s) {
  DsUsers users = ParseDsclUsersPlist(out.out("dscl-users"));
  GroupMembers admins =
      out.ok("dscl-admin") ? ParseDsclGroupPlist(out.out("dscl-admin")) : GroupMembers{};
  CryptoUsers apfs = out.ok("diskutil-crypto-users")
                         ? ParseCryptoUsersPlist(out.out("diskutil-crypto-users"))
                         : CryptoUsers{};
  // fdesetup list names the FileVault users only while FileVault is on.
  bool fde_known =
      out.ok("fdesetup-list") && fde_status.status && *fde_status.status != FileVaultStatus::kOff;
  std::vector<FdeUser> fde =
      fde_known ? ParseFdesetupList(out.out("fdesetup-list")) : std::vector<FdeUser>{};
  for (const DsUser& u : users.users) {
    ObservedUser o;
    o.name = u.name;
    o.uid = u.uid;
    o.gid = u.gid;
    o.full_name = u.real_name;
    o.shell = u.shell;
    o.home = u.home;
    o.guid = u.guid;
    o.hidden = u.hidden;
    o.password_last_set = u.password_last_set;
    if (admins.ok) o.admin = Has(admins.names, u.name) || (u.guid && Has(admins.guids, *u.guid));
    o.secure_token = TokenOf(u, apfs, fde, fde_known);
    if (apfs.owners_known && apfs.complete && u.guid) {
      o.volume_owner = Has(apfs.volume_owner_guids, *u.guid);
    }
    s.users.push_back(std::move(o));
  }
  // A record that could not be read is an account whose every value is
  // unknown: it stays in the state so that nothing acts on it blindly.
  for (const std::string& name : users.unreadable) {
    ObservedUser unknown;
    unknown.name = name;
    s.users.push_back(std::move(unknown));
  }
}

// FileVault, its recovery keys, and the MDM: enrollment, the Bootstrap
// Token, the recovery-key escrow payload.
void FileVaultAndMdm(const Outputs& out, const FdeStatus& fde_status, DeviceState& s) {
  s.filevault.status = fde_status.status;
  s.filevault.deferred_user = fde_status.deferred_user;
  if (out.ok("fdesetup-institutional-key")) {
    s.filevault.institutional_recovery_key = ParseTrueFalse(out.out("fdesetup-institutional-key"));
  }
  // `fdesetup haspersonalrecoverykey` prints "false" on errors too, and
  // while FileVault is not fully on (DOMAIN §1): "true" with exit 0 is
  // believed; "false" only with exit 0 while FileVault is on.
  if (out.ok("fdesetup-personal-key")) {
    Known<bool> said = ParseTrueFalse(out.out("fdesetup-personal-key"));
    if (said == true || (said == false && fde_status.status == FileVaultStatus::kOn)) {
      s.filevault.personal_recovery_key = said;
    }
  }
  s.mdm.enrolled = ParseProfilesEnrollment(out.text("profiles-enrollment"));
  BootstrapStatus bt = ParseProfilesBootstrap(out.text("profiles-bootstrap"));
  s.mdm.bootstrap_token_supported = bt.supported;
  s.mdm.bootstrap_token_escrowed = bt.escrowed;
  if (out.ok("profiles-installed")) {
    s.mdm.recovery_key_escrow_payload = ParseProfilesEscrowPayload(out.out("profiles-installed"));
  }
}

}  // namespace

// What a tool printed, as a note quotes it: its first line, escaped, cut.
std::string Quoted(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > 80) {
    std::size_t cut = 80;  // on a character's first byte
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    line = line.substr(0, cut) + "…";
  }
  return "\"" + EscapeForTerminal(line) + "\"";
}

// A fact left unknown although its tool answered: what it printed.
std::vector<std::string> NotUnderstood(const Outputs& out, const DeviceState& s) {
  std::vector<std::string> notes;
  auto check = [&](const char* key, const char* tool, bool understood, const char* fact) {
    if (understood || !out.ok(key) ||
        out.out(key).find_first_not_of(" \t\r\n") == std::string::npos) {
      return;
    }
    notes.push_back(std::string("`") + tool + "` printed " + Quoted(out.out(key)) +
                    ", which Accord read and did not understand: " + fact +
                    " is unknown (cannot tell)");
  };
  check("sw-vers", "sw_vers -productVersion", s.os_version.has_value(), "the macOS version");
  check("fdesetup-status", "fdesetup status", s.filevault.status.has_value(), "FileVault's status");
  check("fdesetup-institutional-key", "fdesetup hasinstitutionalrecoverykey",
        s.filevault.institutional_recovery_key.has_value(),
        "whether an institutional recovery key is set");
  check("fdesetup-personal-key", "fdesetup haspersonalrecoverykey",
        ParseTrueFalse(out.out("fdesetup-personal-key")).has_value(),
        "whether a personal recovery key exists");
  check("profiles-enrollment", "profiles status -type enrollment", s.mdm.enrolled.has_value(),
        "MDM enrollment");
  check("profiles-bootstrap", "profiles status -type bootstraptoken",
        s.mdm.bootstrap_token_supported.has_value(), "the Bootstrap Token's support");
  check("profiles-installed", "profiles -C -o stdout-xml",
        s.mdm.recovery_key_escrow_payload.has_value(),
        "whether a recovery-key escrow payload is installed");
  check("console-user", "stat -f %Su /dev/console", s.console_user.has_value(),
        "who is at the console");
  return notes;
}

Result<DeviceState> ObserveMac(CommandRunner& runner) {
  Result<MacObservation> seen = ObserveMacExplained(runner);
  if (!seen.ok()) return seen.errors();
  return std::move(seen.value().state);
}

Result<MacObservation> ObserveMacExplained(CommandRunner& inner) {
  ReadOnlyRunner runner(inner);
  Outputs out;
  for (const ObserveCommand& c : ObserveCommands()) {
    Result<CommandResult> r = runner.Run(c.command);
    if (!r.ok()) return r.errors();
    out.Add(c.key, r.value());
  }
  if (!out.ok("dscl-users")) {
    return SingleError("", {}, "",
                       "cannot read the accounts (dscl exited " +
                           std::to_string(out.Get("dscl-users").exit_code) +
                           "): " + out.Get("dscl-users").err);
  }
  DeviceState s;
  if (out.ok("sw-vers")) s.os_version = ParseSwVers(out.out("sw-vers"));
  if (out.ok("computer-name") && !out.out("computer-name").empty()) {
    std::string name = out.out("computer-name");
    while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
    s.name = name;
  }
  if (out.ok("platform")) {
    PlatformIdentity id = ParseIoregPlatform(out.out("platform"));
    s.hardware_uuid = id.hardware_uuid;
    s.serial = id.serial;
  }
  FdeStatus fde_status = ParseFdesetupStatus(out.text("fdesetup-status"));
  Accounts(out, fde_status, s);
  FileVaultAndMdm(out, fde_status, s);
  if (out.ok("console-user")) s.console_user = ParseConsoleUser(out.out("console-user"));
  if (out.ok("users-folder")) {
    s.homes = ParseUsersListing(out.out("users-folder"), "/Users");
  } else {
    // Unlisted, /Users may hold kept homes whose UIDs a new account must not
    // get: one home of unknown owner stands for them, and no new UID is
    // chosen (plan/resolve) until the folder can be read.
    s.homes.push_back({"/Users/*", std::nullopt});
  }
  std::vector<std::string> notes = NotUnderstood(out, s);
  return MacObservation{std::move(s), std::move(notes)};
}

}  // namespace accord
