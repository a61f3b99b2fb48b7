// SPDX-License-Identifier: Apache-2.0
// apply on the Mac Accord runs on: lock the state folder, preflight,
// observe and merge the local state, check the authority's password, prove
// its unlock path once, plan, ask, apply (recording each step), and append
// to the apply log.
#include <filesystem>

#include "apply/apply.h"
#include "cli/device_source.h"
#include "cli/pipeline.h"
#include "core/atomic_file.h"
#include "core/terminal_text.h"
#include "macos/key_files.h"
#include "macos/keychain.h"
#include "macos/macos_executor.h"
#include "macos/preflight.h"
#include "macos/unlock_check.h"
#include "state/state_keeper.h"
#include "state/state_store.h"

namespace accord {
namespace {

// The authority's password, where the Mac has the account and the file
// gives one that can be read (else apply stops on it before the first step).
std::optional<Secret> AuthorityPassword(const DesiredState& desired, const DeviceState& state,
                                        const SecretSources& sources) {
  if (!desired.authority || !desired.authority->password) return std::nullopt;
  if (!state.FindUser(desired.authority->user)) return std::nullopt;
  Result<Secret> password =
      ResolveSecret(*desired.authority->password,
                    std::filesystem::path(desired.file).parent_path().string(), sources);
  if (!password.ok()) return std::nullopt;
  return std::move(password).value();
}

// A file that holds a recovery key (macos/key_files.h), as assessed before
// planning: a deferred enablement's plist, or the key of a rotation whose
// escrow was not seen.
struct KeyFile {
  std::string path;
  KeyFileTidy tidy;
};

// Read-only: reports each file nobody was seen escrowing, and records an
// escrow seen (the MDM's copy is newer than the key in the file).
std::vector<KeyFile> AssessKeyFiles(ThisMac& mac, DeviceState& state, LocalState& kept,
                                    ApplyLogEntry& record, std::ostream& err) {
  const std::string deferral_plist = mac.state_dir + "/" + kDeferralPlistName;
  const std::string rotated_key = mac.state_dir + "/" + kRotatedKeyName;
  std::vector<KeyFile> files = {
      {deferral_plist, AssessDeferralPlist(mac.runner, deferral_plist, state.filevault)},
      {rotated_key, AssessRotatedKey(mac.runner, rotated_key)}};
  for (const KeyFile& f : files) {
    if (f.tidy.warning) {
      ReportWarnings({*f.tidy.warning}, err);
      record.warnings.push_back(*f.tidy.warning);
    }
    if (f.tidy.escrowed) {
      kept.escrow_confirmed = record.time;
      state.filevault.recovery_key_escrowed = true;
    }
  }
  return files;
}

// Once apply goes ahead: each file made root-only, or removed once escrowed.
Status TidyKeyFiles(const std::vector<KeyFile>& files, std::ostream& said) {
  for (const KeyFile& f : files) {
    if (Status tidied = TidyKeyFile(f.path, f.tidy.escrowed); !tidied.ok()) return tidied;
    if (f.tidy.escrowed) {
      said << "Removed " << f.path << ": the recovery key it held is escrowed by the MDM.\n";
    }
  }
  return OkStatus();
}

}  // namespace

int ApplyToMac(const ApplyOptions& opt, Io& io, spdlog::logger& log, ThisMac& mac) {
  Result<Planned> planned = LoadDesired(opt.desired, io, log);
  if (!planned.ok()) {
    return Failed(planned.errors(), io.err);
  }
  if (Status prepared = PrepareStateDir(mac.state_dir); !prepared.ok()) {
    return Failed(prepared, io.err);
  }
  Result<FileLock> lock = FileLock::Acquire(mac.state_dir + "/apply.lock");
  if (!lock.ok()) return Failed(lock.errors(), io.err);
  if (Status ready = Preflight(mac.runner); !ready.ok()) return Failed(ready, io.err);
  Result<Observed> device = ObserveFrom({}, &mac);
  if (!device.ok()) {
    return Failed(device.errors(), io.err);
  }
  const Observed& observed = device.value();
  ReportWarnings(observed.warnings, io.err);
  Planned loaded = std::move(planned).value();
  SecretSources sources{io.getenv, [&mac](const std::string& service) {
                          return ReadKeychainSecret(mac.runner, service);
                        }};
  ApplyLogEntry record;
  record.time = mac.now();
  record.warnings = observed.warnings;
  DeviceState state = observed.state;
  LocalState kept = observed.kept;
  const std::vector<KeyFile> key_files = AssessKeyFiles(mac, state, kept, record, io.err);
  const std::optional<Authority>& authority = loaded.desired.authority;
  MacosExecutor executor(mac.runner, mac.passwords, authority ? authority->user : "",
                         mac.state_dir);
  std::optional<Secret> authority_password = AuthorityPassword(loaded.desired, state, sources);
  // First a login check, which counts as one failed login if wrong; only
  // then the unlock check, which would spend one of the Secure Enclave's
  // attempts on a wrong password.
  if (authority_password) {
    Status right =
        executor.CheckCredentials({AuthorityCredential(authority->user, *authority_password)});
    if (!right.ok()) return Failed(right, io.err, "; nothing was changed");
  }
  const ObservedUser* authority_user = authority ? state.FindUser(authority->user) : nullptr;
  if (std::optional<UnlockCheck> check =
          authority_password && WorthVerifying(*authority_user)
              ? std::optional(VerifyUnlock(mac.runner, *authority_user, *authority_password))
              : std::nullopt) {
    log.debug("{}", check->detail);
    std::ostream& said = opt.json ? io.err : io.out;  // stdout holds only JSON then
    said << (check->verified ? "Verified" : "Could not verify") << " that "
         << EscapeForTerminal(check->user) << "'s password unlocks the Data volume"
         << (check->verified ? ": a certain unlock path for this apply.\n"
                             : "; whether its FileVault password is in step stays unknown.\n");
    state = WithVerifiedUnlock(std::move(state), *check);
    record.unlock_check = std::move(check);
  }
  if (Status planned_in = PlanInto(loaded, state, observed.description, opt.options, log);
      !planned_in.ok()) {
    return Failed(planned_in, io.err);
  }
  if (Status tidied = TidyKeyFiles(key_files, opt.json ? io.err : io.out); !tidied.ok()) {
    return Failed(tidied, io.err, "; nothing was changed");
  }
  // What of the record the Mac contradicts is dropped before the first step.
  if (kept != observed.record || !observed.warnings.empty()) {
    if (Status saved = SaveLocalState(mac.state_dir, kept); !saved.ok()) {
      return Failed(saved, io.err, "; nothing was changed");
    }
  }
  authority_password.reset();  // ApplyPlan reads it again, for the steps
  LocalStateKeeper keeper(executor, mac.state_dir, kept, state, mac.now);
  int code = RunApply(loaded, keeper, false, opt, io, sources, record);
  Status logged = AppendApplyLog(mac.state_dir, RenderApplyLog(record, loaded.plan));
  if (!logged.ok()) {
    io.err << "accord: warning: the apply log was not written: " << logged.message() << "\n";
  }
  return code;
}

}  // namespace accord
