// SPDX-License-Identifier: Apache-2.0
// Run, retry, verify.
#include "macos/macos_executor.h"

#include "macos/compile.h"
#include "macos/key_files.h"
#include "macos/observe.h"
#include "macos/parse_dscl.h"
#include "macos/parse_tools.h"
#include "model/effect.h"
#include "state/state_store.h"

namespace accord {
namespace {

constexpr int kAttempts = 3;  // eNotYetImplemented clears on a retry

// sysadminctl reports failure in its log lines, not its exit status. A
// refused -deleteUser says "User N can not be deleted (it's either last
// admin user or last secure token user …)" and exits 0 (fixture
// sysadminctl-deleteuser-last-admin-1.txt, from microsoft/macos-cookbook).
std::optional<std::string> SysadminctlFailure(const std::string& stderr_text) {
  for (const std::string& m : SysadminctlMessages(stderr_text)) {
    for (const char* mark : {"Error", "error", "ERROR", "failed", "Failed", "not permitted",
                             "Operation is not permitted", "Unknown user", "can not be deleted",
                             "cannot be deleted"}) {
      if (m.find(mark) != std::string::npos) return m;
    }
  }
  return std::nullopt;
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

// A fact StillToDo names, as the apply log says it.
std::string Unchanged(const std::string& user, const std::string& fact) {
  if (fact == "exists") return user + " does not exist";
  if (fact == "absent") return user + " still exists";
  if (fact == "uid") return user + " has another UID";
  if (fact == "admin") return user + "'s admin membership is unchanged";
  if (fact == "secure_token") return user + "'s SecureToken is unchanged";
  return fact + " of " + user + " is unchanged";
}

}  // namespace

MacosExecutor::MacosExecutor(CommandRunner& runner, AccountPasswords& passwords,
                             std::string authority, std::string key_dir)
    : runner_(runner),
      passwords_(passwords),
      authority_(std::move(authority)),
      key_dir_(std::move(key_dir)),
      deferral_plist_(key_dir_ + "/" + kDeferralPlistName),
      rotated_key_(key_dir_ + "/" + kRotatedKeyName) {}

Status MacosExecutor::RunOne(const Command& command, const KeepOutput& keep) {
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    Result<CommandResult> r = runner_.Run(command);
    if (!r.ok()) return r.errors().front().message;
    CommandResult out = std::move(r).value();
    if (command.secret_output) {
      // Kept before anything else is looked at, then wiped: read by nobody.
      Status kept = keep ? keep(out.out) : OkStatus();
      Wipe(out.out);
      if (!kept.ok()) return kept;
    }
    std::optional<DsError> ds = ParseDsError(out.out + out.err);
    if (ds && ds->name == "eNotYetImplemented" && attempt < kAttempts) continue;
    if (out.exit_code != 0) {
      return command.Display() + " exited " + std::to_string(out.exit_code) + ": " +
             FirstLine(out.err.empty() ? out.out : out.err);
    }
    if (command.argv[0] == "/usr/sbin/sysadminctl") {
      if (auto failure = SysadminctlFailure(out.err)) return command.Display() + ": " + *failure;
    }
    return OkStatus();
  }
  return command.Display() + ": still failing after " + std::to_string(kAttempts) + " attempts";
}

Status MacosExecutor::CheckCredentials(const std::vector<Credential>& credentials) {
  for (const Credential& c : credentials) {
    if (!accepted_.insert({c.user, c.what}).second) continue;  // already checked
    PasswordVerdict v = passwords_.Verify(c.user, *c.secret);
    if (v.check == PasswordCheck::kAccepted) continue;
    accepted_.erase({c.user, c.what});
    return v.check == PasswordCheck::kRejected
               ? c.what + " is wrong: " + c.user + " cannot log in with it (" + v.detail + ")"
               : "cannot verify " + c.what + " for " + c.user + ": " + v.detail;
  }
  return OkStatus();
}

// Observation cannot see a password, so a password step is verified by
// logging in with the new one (DOMAIN §5), through OpenDirectory.
Status MacosExecutor::VerifyNewPassword(const Change& step, const StepSecrets& secrets) {
  if (!secrets.password) return OkStatus();
  PasswordVerdict v = passwords_.Verify(step.user, *secrets.password);
  if (v.check == PasswordCheck::kAccepted) return OkStatus();
  return "the change did not take: " + step.user + " cannot log in with the new password (" +
         v.detail + ")";
}

StepResult MacosExecutor::Verify(const Change& step, const StepSecrets& secrets) {
  Result<DeviceState> now = ObserveMac(runner_);
  if (!now.ok()) return "cannot observe the Mac to verify: " + now.errors().front().message;
  const DeviceState& s = now.value();
  const ObservedUser* u = step.user.empty() ? nullptr : s.FindUser(step.user);
  auto fail = [&](const std::string& what) {
    return StepResult("the change did not take: " + what);
  };
  // An account step took when the device model, applied again to the
  // account as observed, would change nothing a re-observation shows
  // (model/effect.h); then the witnesses observation lacks: a login with
  // the new password, sysadminctl's word on a token.
  if (!step.user.empty()) {
    std::optional<ObservedUser> account = u ? std::optional<ObservedUser>(*u) : std::nullopt;
    if (std::vector<std::string> left = StillToDo(step, account); !left.empty()) {
      return fail(Unchanged(step.user, left.front()));
    }
  }
  switch (step.action) {
    case Action::kCreateUser:
      if (Status verified = VerifyNewPassword(step, secrets); !verified.ok()) return verified;
      break;
    case Action::kResetPassword:
    case Action::kChangePassword: {
      if (!u) return fail(step.user + " does not exist");
      if (Status verified = VerifyNewPassword(step, secrets); !verified.ok()) return verified;
      StepResult ok = StepResult::Verified(step.user + " logs in with the new password");
      ok.observed_after = s;
      return ok;
    }
    case Action::kDeleteUser:
    case Action::kSetAttribute:
    case Action::kMakeAdmin:
    case Action::kMakeStandard: break;
    case Action::kGrantToken:
    case Action::kRevokeToken:
      if (!TokenConfirmed(step.user, step.action == Action::kGrantToken)) {
        return fail("sysadminctl -secureTokenStatus " + step.user + " does not confirm it");
      }
      break;
    case Action::kEnableFileVault:
    case Action::kDisableFileVault:
    case Action::kRotateRecoveryKey:
      if (Status took = FileVaultTook(step.action, s.filevault); !took.ok()) {
        return fail(took.message());
      }
      break;
    case Action::kRenumberUser: return StepResult(std::string("renumbering never runs"));
    case Action::kRemoveRecoveryKey:
      return StepResult(std::string("removing a recovery key never runs"));
    case Action::kEnrollMdm: return StepResult(std::string("enrollment is predicted, never run"));
  }
  StepResult ok = StepResult::Verified("observed the Mac again: the change took");
  ok.observed_after = s;
  return ok;
}

// A second witness, sysadminctl's own word (aws/ec2-macos-init reads
// "Secure token is ENABLED for user N" the same way): any disagreement
// fails the step loudly rather than trusting one source.
bool MacosExecutor::TokenConfirmed(const std::string& user, bool want) {
  Result<CommandResult> status =
      runner_.Run(Command::Reading({"/usr/sbin/sysadminctl", "-secureTokenStatus", user}));
  Known<bool> said =
      status.ok() ? ParseSecureTokenStatus(status.value().err + status.value().out) : std::nullopt;
  return said == want;
}

// A FileVault step, on the FileVault state observed again.
Status MacosExecutor::FileVaultTook(Action action, const FileVaultState& fv) {
  switch (action) {
    case Action::kEnableFileVault: {
      if (fv.status == FileVaultStatus::kOn || fv.status == FileVaultStatus::kEncrypting) break;
      if (fv.status != FileVaultStatus::kDeferred) {
        return "FileVault is neither enabled nor deferred";
      }
      // The deferral itself, as fdesetup keeps it (fixture
      // fdesetup-showdeferralinfo-1.txt): active, or the step did not take.
      Result<CommandResult> info =
          runner_.Run(Command::Reading({"/usr/bin/fdesetup", "showdeferralinfo"}));
      if (!info.ok() || !ParseFdesetupDeferral(info.value().out).active) {
        return "fdesetup showdeferralinfo shows no active deferral";
      }
      break;
    }
    case Action::kDisableFileVault:
      if (fv.status != FileVaultStatus::kOff && fv.status != FileVaultStatus::kDecrypting) {
        return "FileVault is still on";
      }
      break;
    case Action::kRotateRecoveryKey:
      if (fv.personal_recovery_key != true) return "there is no personal recovery key";
      break;
    default: return "not a FileVault step";
  }
  return OkStatus();
}

// Just before a deletion, who is at the screen (parse_tools.h): never the
// account being deleted, and where it cannot be told, nothing is deleted.
Status MacosExecutor::ConsoleFree(const std::string& user) {
  Result<CommandResult> r = runner_.Run(ConsoleUserCommand());
  Known<std::string> at_console =
      r.ok() && r.value().exit_code == 0 ? ParseConsoleUser(r.value().out) : Known<std::string>();
  if (!at_console) {
    return "cannot tell who is logged in at the console, so " + user + " was not deleted";
  }
  if (*at_console == user) {
    return user + " is logged in at the console; log it out, then apply again";
  }
  return OkStatus();
}

StepResult MacosExecutor::Execute(const Change& step, const StepSecrets& secrets) {
  if (step.action == Action::kChangePassword) {
    // Not a command: root's `dscl -passwd` would reset instead (account_passwords.h).
    if (!secrets.old_password || !secrets.password) {
      return step.Id() + " needs " + step.user + "'s old and new passwords";
    }
    Status changed = passwords_.Change(step.user, *secrets.old_password, *secrets.password);
    if (!changed.ok()) return changed;
    return Verify(step, secrets);
  }
  if (step.action == Action::kDeleteUser) {
    if (Status console = ConsoleFree(step.user); !console.ok()) return console;
  }
  if (step.action == Action::kRotateRecoveryKey) return Rotate(step, secrets);
  Result<std::vector<Command>> commands = CompileStep(step, authority_, secrets, deferral_plist_);
  if (!commands.ok()) return commands.errors().front().message;
  for (const Command& c : commands.value()) {
    if (Status ran = RunOne(c); !ran.ok()) return ran;
  }
  if (step.action == Action::kEnableFileVault) {
    if (Status root_only = ProtectKeyFile(deferral_plist_); !root_only.ok()) return root_only;
  }
  return Verify(step, secrets);
}

// `fdesetup changerecovery -personal` prints the new key once, and the old
// key stops working (DOMAIN §1). The key is written to a root-only file
// before anything else; escrow is confirmed by /var/db/FileVaultPRK.dat
// changing (key_files.h), and only then is the file removed. Where the
// folder cannot hold the key safely, nothing is rotated.
StepResult MacosExecutor::Rotate(const Change& step, const StepSecrets& secrets) {
  if (Status safe = PrepareStateDir(key_dir_); !safe.ok()) {
    return "the recovery key was not rotated: the new key could not be kept safely (" +
           safe.message() + ")";
  }
  Result<std::vector<Command>> commands = CompileStep(step, authority_, secrets, deferral_plist_);
  if (!commands.ok()) return commands.errors().front().message;
  std::optional<long long> escrow_before = EscrowFileTime(runner_);
  bool kept = false;
  KeepOutput keep = [&](const std::string& printed) -> Status {
    if (printed.empty()) return OkStatus();
    if (Status written = KeepRotatedKey(rotated_key_, printed); !written.ok()) {
      return "the new recovery key could not be written to " + rotated_key_ + " (" +
             written.message() +
             "): the old key no longer works, and only the MDM's escrow (if any) holds the new "
             "one; check the MDM for this Mac's escrowed key now";
    }
    kept = true;
    return OkStatus();
  };
  const std::string where = " The new key is kept in " + rotated_key_ +
                            " (root-only): store it somewhere safe, check that the MDM has "
                            "this Mac's escrowed key, then delete that file.";
  for (const Command& c : commands.value()) {
    if (Status ran = RunOne(c, keep); !ran.ok()) return ran.message() + (kept ? where : "");
  }
  StepResult result = Verify(step, secrets);
  if (!result.ok()) return *result.error + (kept ? where : "");
  // Seen escrowed only if the file was written by this step.
  std::optional<long long> escrow_after = EscrowFileTime(runner_);
  result.escrow_seen = escrow_after && escrow_after != escrow_before;
  if (!result.escrow_seen) {
    return StepResult(
        "the new recovery key was not seen escrowed: /var/db/FileVaultPRK.dat did not change, "
        "and the old key no longer works; check the MDM's FileVault escrow payload." +
        (kept ? where : std::string()));
  }
  if (Status tidied = TidyKeyFile(rotated_key_, true); !tidied.ok()) {
    return "the new recovery key is escrowed, but " + tidied.message();
  }
  result.verified += "; the new key was written to /var/db/FileVaultPRK.dat for the MDM";
  if (kept) result.verified += ", so its copy in " + rotated_key_ + " was removed";
  return result;
}

}  // namespace accord
