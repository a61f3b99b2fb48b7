// apply on the Mac Accord runs on: lock the state folder, preflight,
// observe and merge the local state, prove the authority's unlock path once,
// plan, ask, apply (recording each step), and append to the apply log.
#include <filesystem>

#include "apply/apply.h"
#include "cli/device_source.h"
#include "cli/pipeline.h"
#include "core/atomic_file.h"
#include "core/terminal_text.h"
#include "macos/keychain.h"
#include "macos/macos_executor.h"
#include "macos/preflight.h"
#include "macos/unlock_check.h"
#include "state/state_keeper.h"
#include "state/state_store.h"

namespace accord {
namespace {

// Once per apply, where it can prove something: whether the authority's
// password unlocks the Data volume (macos/unlock_check). Never retried.
std::optional<UnlockCheck> CheckAuthorityUnlock(const DesiredState& desired,
                                                const DeviceState& state, ThisMac& mac,
                                                const SecretSources& sources) {
  if (!desired.authority || !desired.authority->password) return std::nullopt;
  const ObservedUser* authority = state.FindUser(desired.authority->user);
  if (!authority || !WorthVerifying(*authority)) return std::nullopt;
  Result<Secret> password =
      ResolveSecret(*desired.authority->password,
                    std::filesystem::path(desired.file).parent_path().string(), sources);
  if (!password.ok()) return std::nullopt;  // apply stops on it before the first step
  return VerifyUnlock(mac.runner, *authority, password.value());
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
  if (std::optional<UnlockCheck> check =
          CheckAuthorityUnlock(loaded.desired, state, mac, sources)) {
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
  const std::optional<Authority>& authority = loaded.desired.authority;
  MacosExecutor executor(mac.runner, authority ? authority->user : "");
  // What of the record the Mac contradicts is dropped before the first step.
  if (observed.kept != observed.record || !observed.warnings.empty()) {
    if (auto failed = SaveLocalState(mac.state_dir, observed.kept)) {
      io.err << "accord: error: " << *failed << "; nothing was changed\n";
      return kExitError;
    }
  }
  LocalStateKeeper keeper(executor, mac.state_dir, observed.kept, state, mac.now);
  int code = RunApply(loaded, keeper, false, opt, io, sources, record);
  if (auto failed = AppendApplyLog(mac.state_dir, RenderApplyLog(record, loaded.plan))) {
    io.err << "accord: warning: the apply log was not written: " << *failed << "\n";
  }
  return code;
}

}  // namespace accord
