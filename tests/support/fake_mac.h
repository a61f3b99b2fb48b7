// SPDX-License-Identifier: Apache-2.0
// A fake Mac for tests: plays the macOS tools the provider runs, rendering
// their output from a DeviceState in the formats of the shared fixtures.
// Table-driven by program and verb; an unknown command fails loudly; any
// command's result can be replaced to inject a failure; it counts runs.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "macos/account_passwords.h"
#include "macos/command_runner.h"
#include "model/device_state.h"
#include "support/test_support.h"

namespace accord::test {

// The key the fake Mac's fdesetup prints or writes: a test fails if it
// ever reaches Accord's output, logs or files (the deferral plist aside).
inline constexpr const char* kFakeRecoveryKey = "FAKE-KEY9-ABCD-EFGH-IJKL-MNOP";

class FakeMac : public CommandRunner, public AccountPasswords {
 public:
  // Nobody is logged in at its console unless the state names someone.
  explicit FakeMac(DeviceState state) : state_(std::move(state)) {
    if (!state_.console_user) state_.console_user = "";
  }

  Result<CommandResult> Run(const Command& command) override;
  // OpenDirectory as Apple documents it: a password is verified against
  // the record; a change needs the old password, keeps the token and
  // FileVault in step, and leaves the login keychain behind (DOMAIN §1).
  PasswordVerdict Verify(const std::string& user, const Secret& password) override;
  Status Change(const std::string& user, const Secret& old_password,
                const Secret& new_password) override;
  int password_checks() const { return password_checks_; }

  // Replaces the result of the command whose argv joined by spaces is
  // `line`: always, or for its next run only. An injected result changes
  // nothing on the fake Mac (a failure, or sysadminctl's silent no-op).
  void Inject(const std::string& line, CommandResult result) {
    injected_[line] = std::move(result);
  }
  void InjectOnce(const std::string& line, CommandResult result) {
    injected_once_[line].push_back(std::move(result));
  }

  // The fake Mac checks passwords: it knows those it is told here and those
  // Accord set. Authenticating with any other fails, as on a Mac.
  void SetPassword(const std::string& user, std::string password) {
    passwords_[user] = std::move(password);
  }

  // A generic password in the System keychain, for `security
  // find-generic-password -s SERVICE -w`.
  void SetKeychainItem(const std::string& service, std::string value) {
    keychain_[service] = std::move(value);
  }

  // `sysadminctl -resetPasswordFor N -newPassword -` as builds that ask to
  // confirm the new password play it: a third stdin line that must match
  // (the default plays the builds that ask once, and never read a third).
  void AskToConfirmReset(bool ask) { confirm_reset_ = ask; }

  // Simulates a kill of accord before the `n`-th mutating command (from 0)
  // runs: Run throws Killed, which no code of Accord catches, so nothing
  // after that point runs (only destructors, as the kernel's cleanup would).
  struct Killed {};
  void KillBeforeWrite(int n) { kill_before_write_ = n; }
  int writes() const { return writes_; }

  // The user who enabled FileVault logs out: it turns on, writes the key to
  // the deferral plist, and the escrow payload (if installed) escrows it.
  void CompleteDeferredEnablement();

  int runs() const { return runs_; }
  int unlock_checks() const { return unlock_checks_; }
  const DeviceState& state() const { return state_; }
  // Every command run, as argv and stdin.
  const std::vector<Command>& recorded() const { return recorded_; }

 private:
  Result<CommandResult> Write(const std::vector<std::string>& argv, const std::string& in);
  // Reading commands whose answer depends on argv or stdin.
  std::optional<CommandResult> ReadWithInput(const Command& command);
  // A new passwordLastSetTime, later than any before.
  std::string NextPasswordTime() { return std::to_string(1764320000 + ++password_sets_) + ".5"; }
  bool PasswordIs(const std::string& user, const std::string& password) const {
    auto it = passwords_.find(user);
    return it != passwords_.end() && it->second == password;
  }

  DeviceState state_;
  std::map<std::string, CommandResult> injected_;
  std::map<std::string, std::vector<CommandResult>> injected_once_;
  std::map<std::string, std::string> passwords_;
  std::map<std::string, std::string> keychain_;
  std::vector<Command> recorded_;
  int runs_ = 0;
  int writes_ = 0;
  int kill_before_write_ = -1;
  int unlock_checks_ = 0;
  int password_checks_ = 0;
  int password_sets_ = 0;
  bool confirm_reset_ = false;
  std::string deferral_plist_;
  std::string deferred_by_;  // who enabled FileVault (at logout), if this fake saw it
  // fdesetup's plist of the new key; EnabledUser is `deferred_by_`, else
  // the first admin.
  std::string KeyPlist() const;
};

// A standard account without a SecureToken, for adding to a test Mac: home
// /Users/NAME, shell /bin/zsh, a GeneratedUID made from the UID.
ObservedUser StandardUser(const std::string& name, std::int64_t uid);

// A fake Mac as the Mac the CLI runs on: its tools, a fresh state folder
// (/var/db/accord on a Mac) and a clock the test sets.
struct OnFakeMac {
  explicit OnFakeMac(DeviceState state, const std::string& name = "on-fake-mac")
      : mac(std::move(state)), state_dir(TempDir(name) + "/db") {}
  OnFakeMac(const OnFakeMac&) = delete;

  CliRun Run(const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env = {},
             const std::optional<std::string>& input = std::nullopt) {
    ThisMac self{mac, mac, state_dir, [this] { return now; }};
    return RunAccord(args, env, false, input, &self);
  }
  std::string StateFile() const { return state_dir + "/state.json"; }
  std::string ApplyLog() const { return state_dir + "/apply.log"; }

  FakeMac mac;
  std::string state_dir;
  std::string now = "2026-11-28T09:00:00Z";
};

}  // namespace accord::test
