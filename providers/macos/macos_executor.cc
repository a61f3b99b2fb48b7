// SPDX-License-Identifier: Apache-2.0
// Run, retry, verify.
#include "macos/macos_executor.h"

#include <sys/stat.h>

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
      // Run once (a retry could make another key), and no output of it is
      // quoted: either stream may hold a key.
      Status kept = keep ? keep(out.out) : OkStatus();
      Wipe(out.out);
      Wipe(out.err);
      if (!kept.ok()) return kept;
      if (out.exit_code != 0) {
        return command.Display() + " exited " + std::to_string(out.exit_code) +
               " (its output is not shown: it may hold a key)";
      }
      return OkStatus();
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
// before anything else, and stays there: the new key is escrow-pending
// until the MDM confirms it holds it (key_files.h), whatever
// /var/db/FileVaultPRK.dat shows. Where the folder cannot hold the key
// safely, nothing is rotated.
StepResult MacosExecutor::Rotate(const Change& step, const StepSecrets& secrets) {
  if (Status safe = PrepareStateDir(key_dir_); !safe.ok()) {
    return "the recovery key was not rotated: the new key could not be kept safely (" +
           safe.message() + ")";
  }
  // A key kept from an earlier rotation is never overwritten: it may be
  // the only copy of the key that works.
  if (struct stat st{}; ::lstat(rotated_key_.c_str(), &st) == 0) {
    return "the recovery key was not rotated: " + rotated_key_ +
           " still holds the key of an earlier rotation (root-only), not yet confirmed escrowed; "
           "once the MDM confirms it holds this Mac's key, `accord apply --escrow-verified TIME` "
           "removes it, then apply again";
  }
  Result<std::vector<Command>> commands = CompileStep(step, authority_, secrets, deferral_plist_);
  if (!commands.ok()) return commands.errors().front().message;
  bool kept = false;
  bool understood = false;
  KeepOutput keep = [&](const std::string& printed) -> Status {
    Result<bool> written = KeepRotatedKey(rotated_key_, printed);
    if (!written.ok()) {
      return "the new recovery key could not be written to " + rotated_key_ + " (" +
             written.errors().front().message +
             "): the old key no longer works, and only the MDM's escrow (if any) holds the new "
             "one; check the MDM for this Mac's escrowed key now";
    }
    kept = !printed.empty();
    understood = written.value();
    return OkStatus();
  };
  const std::string where = " The new key is kept in " + rotated_key_ +
                            " (root-only) until the MDM confirms it holds it: store it somewhere "
                            "safe meanwhile.";
  for (const Command& c : commands.value()) {
    if (Status ran = RunOne(c, keep); !ran.ok()) {
      return ran.message() + (kept ? " What it printed is kept in " + rotated_key_ +
                                         " (root-only): if the rotation took, it holds the new "
                                         "key, the only copy until the MDM's escrow."
                                   : std::string());
    }
  }
  if (!kept) {
    return StepResult(std::string(
        "fdesetup printed no new recovery key: the old key may no longer work, and only the "
        "MDM's escrow (if any) holds the new one; check the MDM for this Mac's escrowed key now"));
  }
  StepResult result = Verify(step, secrets);
  if (!result.ok()) return *result.error + where;
  result.verified +=
      "; the new key is escrow-pending: kept in " + rotated_key_ +
      " (root-only) until the MDM confirms it holds it (Fleet: the host's disk encryption "
      "status \"verified\"), then `accord apply --escrow-verified TIME` removes that file";
  if (!understood) {
    result.verified +=
        ". fdesetup's output was read and not understood (no RecoveryKey in a plist), so all "
        "of it is kept there";
  }
  return result;
}

std::optional<DeviceState> MacosExecutor::ObserveNow() {
  Result<DeviceState> now = ObserveMac(runner_);
  if (!now.ok()) return std::nullopt;
  return std::move(now).value();
}

}  // namespace accord
