// SPDX-License-Identifier: Apache-2.0
// Step → commands, per DOMAIN §5.
#include "macos/compile.h"

#include "macos/plist.h"

namespace accord {
namespace {

constexpr const char* kSysadminctl = "/usr/sbin/sysadminctl";
constexpr const char* kDscl = "/usr/bin/dscl";
constexpr const char* kDseditgroup = "/usr/sbin/dseditgroup";
constexpr const char* kCreatehomedir = "/usr/sbin/createhomedir";
constexpr const char* kFdesetup = "/usr/bin/fdesetup";

// fdesetup -inputplist: the credentials as a plist on stdin.
std::string CredentialsPlist(const std::string& user, const Secret& password) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
         "\t<key>Username</key>\n\t<string>" +
         EscapeXml(user) +
         "</string>\n"
         "\t<key>Password</key>\n\t<string>" +
         EscapeXml(password.Reveal()) +
         "</string>\n"
         "</dict>\n</plist>\n";
}

// sysadminctl with "-" for a password prompts for it, and public scripts
// that feed it on stdin say it asks for the administrator's password first,
// then the user's (DOMAIN §5; e.g. the pipe order in mkuser's and Jamf
// Nation's secureTokenOn scripts). Writing `-adminUser A -adminPassword -`
// before the verb makes argv order and prompt order agree, so the lines
// are right whichever rule sysadminctl follows. It reads them from stdin
// only without a controlling terminal, which the runner guarantees.
std::vector<std::string> WithAuthority(const std::string& authority,
                                       std::initializer_list<std::string> verb) {
  std::vector<std::string> argv = {kSysadminctl, "-adminUser", authority, "-adminPassword", "-"};
  argv.insert(argv.end(), verb);
  return argv;
}

std::string AuthorityFirst(const Secret& authority, const Secret& user) {
  return authority.Reveal() + "\n" + user.Reveal() + "\n";
}

// A settable attribute (model/settable.h) as the user record stores it:
// RealName, UserShell, IsHidden (dscl(1); Apple's DirectoryService
// attribute names, as `dscl . -read /Users/NAME` prints them).
struct DsclValue {
  std::string key;
  std::string value;
};

std::optional<DsclValue> DsclValueOf(const Attribute& a) {
  const auto* text = std::get_if<std::string>(&a.after);
  const auto* flag = std::get_if<bool>(&a.after);
  switch (a.name) {
    case Attr::kFullName:
      if (text) return DsclValue{"RealName", *text};
      break;
    case Attr::kShell:
      if (text) return DsclValue{"UserShell", *text};
      break;
    case Attr::kHidden:
      if (flag) return DsclValue{"IsHidden", *flag ? "1" : "0"};
      break;
    default: break;
  }
  return std::nullopt;
}

Diagnostics Missing(const Change& step, const std::string& what) {
  return SingleError("", {}, "", step.Id() + " needs " + what);
}

}  // namespace

Result<std::vector<Command>> CompileStep(const Change& step, const std::string& authority,
                                         const StepSecrets& s, const std::string& deferral_plist) {
  const std::string& n = step.user;
  const std::string record = "/Users/" + n;
  switch (step.action) {
    case Action::kCreateUser: {
      std::vector<std::string> argv = {kSysadminctl, "-addUser", n};
      if (auto v = step.AfterAs<std::string>(Attr::kFullName))
        argv.insert(argv.end(), {"-fullName", *v});
      if (auto v = step.AfterAs<std::int64_t>(Attr::kUid))
        argv.insert(argv.end(), {"-UID", std::to_string(*v)});
      if (auto v = step.AfterAs<std::string>(Attr::kShell)) argv.insert(argv.end(), {"-shell", *v});
      if (auto v = step.AfterAs<std::string>(Attr::kHome)) argv.insert(argv.end(), {"-home", *v});
      if (step.AfterAs<std::string>(Attr::kRole) == std::string("admin")) argv.push_back("-admin");
      std::string in;
      if (step.After(Attr::kPassword)) {
        if (!s.password) return Missing(step, n + "'s password");
        argv.insert(argv.end(), {"-password", "-"});
        in = s.password->Reveal() + "\n";
      }
      std::vector<Command> out = {Command::Changing(argv, in)};
      if (step.AfterAs<bool>(Attr::kHidden) == true) {
        out.push_back(Command::Changing({kDscl, ".", "-create", record, "IsHidden", "1"}));
      }
      out.push_back(Command::Changing({kCreatehomedir, "-c", "-u", n}));
      return out;
    }
    case Action::kSetAttribute: {
      // One `dscl -create` per attribute of the account's update.
      std::vector<Command> out;
      for (const Attribute& a : step.attributes) {
        std::optional<DsclValue> v = DsclValueOf(a);
        if (!v) return Missing(step, std::string("a settable attribute, not ") + ToString(a.name));
        out.push_back(Command::Changing({kDscl, ".", "-create", record, v->key, v->value}));
      }
      return out;
    }
    case Action::kMakeAdmin:
    case Action::kMakeStandard:
      return std::vector<Command>{Command::Changing(
          {kDseditgroup, "-o", "edit", step.action == Action::kMakeAdmin ? "-a" : "-d", n, "-t",
           "user", "admin"})};
    case Action::kGrantToken:
    case Action::kRevokeToken: {
      if (!s.password) return Missing(step, n + "'s password");
      if (!s.authority_password) return Missing(step, "the authority's password");
      return std::vector<Command>{Command::Changing(
          WithAuthority(authority,
                        {step.action == Action::kGrantToken ? "-secureTokenOn" : "-secureTokenOff",
                         n, "-password", "-"}),
          AuthorityFirst(*s.authority_password, *s.password))};
    }
    case Action::kResetPassword:
      if (!s.password) return Missing(step, n + "'s new password");
      if (!s.authority_password) return Missing(step, "the authority's password");
      // The new password twice: some builds ask to confirm it (a public
      // PTY wrapper of this command answers "up to twice" because "some
      // macOS builds ask once, others ask again to confirm"); where none
      // asks, the extra line is never read.
      return std::vector<Command>{Command::Changing(
          WithAuthority(authority, {"-resetPasswordFor", n, "-newPassword", "-"}),
          AuthorityFirst(*s.authority_password, *s.password) + s.password->Reveal() + "\n")};
    case Action::kDeleteUser:
      return std::vector<Command>{Command::Changing(
          {kSysadminctl, "-deleteUser", n, step.erase_home ? "-secure" : "-keepHome"})};
    case Action::kEnableFileVault: {
      // Deferred: the enabling user (filevault.enabled_by, else the
      // authority) is asked at logout, so no password here.
      std::string enabler = step.AfterAs<std::string>(Attr::kEnabledBy).value_or(authority);
      return std::vector<Command>{Command::Changing(
          {kFdesetup, "enable", "-user", enabler, "-defer", deferral_plist, "-forceatlogin", "0"})};
    }
    case Action::kDisableFileVault:
    case Action::kRotateRecoveryKey: {
      if (!s.authority_password) return Missing(step, "the authority's password");
      std::vector<std::string> argv =
          step.action == Action::kDisableFileVault
              ? std::vector<std::string>{kFdesetup, "disable", "-inputplist"}
              // -outputplist: the new key under RecoveryKey in a plist on
              // stdout (fdesetup(8); grahamgilbert/crypt rotates keys with
              // exactly these arguments), sturdier than the text line.
              : std::vector<std::string>{kFdesetup, "changerecovery", "-personal", "-inputplist",
                                         "-outputplist"};
      Command c = Command::Changing(argv, CredentialsPlist(authority, *s.authority_password));
      c.secret_output = step.action == Action::kRotateRecoveryKey;
      return std::vector<Command>{c};
    }
    case Action::kChangePassword:  // through OpenDirectory (macos/account_passwords.h)
    case Action::kRenumberUser:
    case Action::kRemoveRecoveryKey:
    case Action::kEnrollMdm: break;  // an event of a prediction: the MDM enrolls the Mac
  }
  return SingleError("", {}, "", step.Id() + " has no macOS command: it never runs");
}

}  // namespace accord
