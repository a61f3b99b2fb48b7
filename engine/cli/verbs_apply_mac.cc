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
std::optional<std::string> TidyKeyFiles(const std::vector<KeyFile>& files, std::ostream& said) {
  for (const KeyFile& f : files) {
    if (auto failed = TidyKeyFile(f.path, f.tidy.escrowed)) return failed;
    if (f.tidy.escrowed) {
      said << "Removed " << f.path << ": the recovery key it held is escrowed by the MDM.\n";
    }
  }
  return std::nullopt;
}

}  // namespace

int ApplyToMac(const ApplyOptions& opt, Io& io, spdlog::logger& log, ThisMac& mac) {
  Result<Planned> planned = LoadDesired(opt.desired, log);
  if (!planned.ok()) {
    Report(planned.errors(), io.err);
    return kExitError;
  }
  if (auto error = PrepareStateDir(mac.state_dir)) {
    io.err << "accord: error: " << *error << "\n";
    return kExitError;
  }
  std::string error;
  std::optional<FileLock> lock = FileLock::Acquire(mac.state_dir + "/apply.lock", error);
  if (!lock) {
    io.err << "accord: error: " << error << "\n";
    return kExitError;
  }
  if (Diagnostics failed = Preflight(mac.runner); !failed.empty()) {
    Report(failed, io.err);
    return kExitError;
  }
  Result<Observed> device = ObserveFrom({}, &mac);
  if (!device.ok()) {
    Report(device.errors(), io.err);
    return kExitError;
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
    if (auto wrong = executor.CheckCredentials(
            {AuthorityCredential(authority->user, *authority_password)})) {
      io.err << "accord: error: " << *wrong << "; nothing was changed\n";
      return kExitError;
    }
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
  if (auto errors = PlanInto(loaded, state, observed.description, log)) {
    Report(*errors, io.err);
    return kExitError;
  }
  if (auto failed = TidyKeyFiles(key_files, opt.json ? io.err : io.out)) {
    io.err << "accord: error: " << *failed << "; nothing was changed\n";
    return kExitError;
  }
  // What of the record the Mac contradicts is dropped before the first step.
  if (kept != observed.record || !observed.warnings.empty()) {
    if (auto failed = SaveLocalState(mac.state_dir, kept)) {
      io.err << "accord: error: " << *failed << "; nothing was changed\n";
      return kExitError;
    }
  }
  authority_password.reset();  // ApplyPlan reads it again, for the steps
  LocalStateKeeper keeper(executor, mac.state_dir, kept, state, mac.now);
  int code = RunApply(loaded, keeper, false, opt, io, sources, record);
  if (auto failed = AppendApplyLog(mac.state_dir, RenderApplyLog(record, loaded.plan))) {
    io.err << "accord: warning: the apply log was not written: " << *failed << "\n";
  }
  return code;
}

}  // namespace accord
