// SPDX-License-Identifier: Apache-2.0
// apply on the Mac Accord runs on: lock the state folder, preflight,
// observe and merge the local state, check the authority's password, prove
// its unlock path once, plan, ask, apply (recording each step), and append
// to the apply log.
#include <algorithm>
#include <filesystem>

#include "apply/apply.h"
#include "cli/device_source.h"
#include "cli/pipeline.h"
#include "core/atomic_file.h"
#include "core/clock.h"
#include "core/terminal_text.h"
#include "macos/key_files.h"
#include "macos/keychain.h"
#include "macos/macos_executor.h"
#include "macos/preflight.h"
#include "macos/unlock_check.h"
#include "safety/findings.h"
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

// "env:NAME", "file:PATH", "keychain:SERVICE" → where a secret is read.
Result<SecretRef> SecretRefArg(const std::string& option, const std::string& text) {
  std::size_t colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  for (SecretRef::Source s :
       {SecretRef::Source::kEnv, SecretRef::Source::kFile, SecretRef::Source::kKeychain}) {
    if (colon != std::string::npos && colon + 1 < text.size() && kind == SourceKey(s)) {
      return SecretRef{s, text.substr(colon + 1)};
    }
  }
  // Not echoed: a key given by mistake in place of its source stays unsaid.
  return Because(option +
                 ": expected env:NAME, file:PATH or keychain:SERVICE (what was given is "
                 "not repeated: it may be the key itself); nothing was changed");
}

// The MDM's confirmation, checked and not yet recorded: the record and
// state after it, and the key files it lets go.
struct Confirmation {
  EscrowConfirmed confirmed;
  std::vector<KeyFile> removable;
  std::string why_removed;
};

// By the key itself: the MDM's key is the key of the newest kept file, or
// nothing changes; only the files that hold that key are let go.
Result<Confirmation> ByKey(const std::string& source, const SecretSources& sources,
                           std::vector<KeyFile> files, const DeviceState& state,
                           const LocalState& kept, const std::string& now) {
  Result<SecretRef> ref = SecretRefArg("--escrowed-key", source);
  if (!ref.ok()) return ref.errors();
  Result<Secret> key = ResolveSecret(ref.value(), ".", sources);
  if (!key.ok()) return key.errors();
  if (files.empty()) {
    return Because(
        "--escrowed-key: Accord keeps no key on this Mac to compare it with (--escrow-verified "
        "TIME confirms by time); nothing was changed");
  }
  std::sort(files.begin(), files.end(),
            [](const KeyFile& a, const KeyFile& b) { return a.modified > b.modified; });
  if (HoldsKey(files.front(), key.value()) != true) {
    return Because("--escrowed-key: the key the MDM returned is not the key kept in " +
                   files.front().path +
                   " (or that file holds nothing Accord can compare): the MDM holds another "
                   "key, or not this one yet; nothing was changed, and the key stays pending");
  }
  Result<EscrowConfirmed> confirmed = ConfirmEscrowByKey(kept, state, files.front().path, now);
  if (!confirmed.ok()) return confirmed.errors();
  Confirmation c{std::move(confirmed).value(), {}, "the MDM's key is the key it held"};
  for (const KeyFile& f : files) {
    if (HoldsKey(f, key.value()) == true) c.removable.push_back(f);
  }
  return c;
}

// By time: the MDM's copy clearly newer than every sign of the key, so
// every key file is let go.
Result<Confirmation> ByTime(const std::string& time, const std::vector<KeyFile>& files,
                            const DeviceState& state, const LocalState& kept,
                            const std::string& now) {
  std::vector<std::string> times;
  for (const KeyFile& f : files) times.push_back(f.modified);
  Result<EscrowConfirmed> confirmed = ConfirmEscrow(kept, state, time, times, now);
  if (!confirmed.ok()) return confirmed.errors();
  return Confirmation{std::move(confirmed).value(), files,
                      "the MDM confirmed it holds the recovery key"};
}

// Without a confirmation: each key file is said to be kept, and why.
void SayKept(const std::vector<KeyFile>& files, const FileVaultState& fv, ApplyLogEntry& record,
             std::ostream& err) {
  for (const KeyFile& f : files) {
    std::string why =
        fv.status == FileVaultStatus::kOff
            ? "FileVault is off, so the key it holds unlocks nothing now: delete the file"
        : fv.escrow_pending
            ? EscrowPendingWords(fv)
            : "no escrow of it is recorded as pending: store the key somewhere safe; once the "
              "MDM confirms it holds this Mac's key, `accord apply --escrow-verified TIME` "
              "removes the file";
    std::string warning = f.path +
                          " holds a FileVault recovery key (root-only), kept until the MDM "
                          "confirms it holds the key: " +
                          why;
    ReportWarnings({warning}, err);
    record.warnings.push_back(std::move(warning));
  }
}

// The recovery key's escrow, before planning. The MDM's word (by key, or
// by time) is its own act, done and said before the plan whatever the
// plan's approval: recorded first (local_state.h), then the key files it
// lets go removed, both in the apply log.
Status SettleEscrow(const ApplyOptions& opt, ThisMac& mac, const SecretSources& sources,
                    DeviceState& state, LocalState& kept, ApplyLogEntry& record, std::ostream& err,
                    std::ostream& out) {
  std::vector<KeyFile> files = FindKeyFiles(mac.state_dir, state.filevault);
  if (opt.escrow_verified && opt.escrowed_key) {
    return Because("give --escrow-verified TIME or --escrowed-key SOURCE, not both");
  }
  if (!opt.escrow_verified && !opt.escrowed_key) {
    SayKept(files, state.filevault, record, err);
    return OkStatus();
  }
  Result<Confirmation> checked =
      opt.escrowed_key ? ByKey(*opt.escrowed_key, sources, files, state, kept, record.time)
                       : ByTime(*opt.escrow_verified, files, state, kept, record.time);
  if (!checked.ok()) return checked.errors();
  Confirmation c = std::move(checked).value();
  if (Status saved = SaveLocalState(mac.state_dir, c.confirmed.record); !saved.ok()) {
    return saved.message() + "; nothing was changed";
  }
  kept = std::move(c.confirmed.record);
  state = std::move(c.confirmed.state);
  auto said = [&](std::string line) {
    out << line << "\n";
    record.before_steps.push_back(std::move(line));
  };
  said("Escrow confirmed: " + c.confirmed.said + ".");
  for (const KeyFile& f : c.removable) {
    if (Status removed = RemoveKeyFile(f.path); !removed.ok()) {
      return removed.message() + "; the MDM's confirmation was recorded, and the file is kept";
    }
    said("Removed " + f.path + ": " + c.why_removed + ".");
  }
  return OkStatus();
}

// The end of an error before the first step: nothing was changed, or only
// what was done apart from the plan (said above it).
std::string NothingElse(const ApplyLogEntry& record) {
  return record.before_steps.empty() ? "; nothing was changed"
                                     : "; no step was applied (what was done before the steps "
                                       "is said above)";
}

// Once apply goes ahead: each key file made root-only.
Status ProtectKeyFiles(const std::string& dir) {
  for (const KeyFileName& k : kKeyFileNames) {
    if (Status root_only = ProtectKeyFile(dir + "/" + k.name); !root_only.ok()) return root_only;
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
  if (Status settled =
          SettleEscrow(opt, mac, sources, state, kept, record, io.err, opt.json ? io.err : io.out);
      !settled.ok()) {
    return Failed(settled, io.err);
  }

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
    if (!right.ok()) return Failed(right, io.err, NothingElse(record));
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
  if (Status root_only = ProtectKeyFiles(mac.state_dir); !root_only.ok()) {
    return Failed(root_only, io.err, "; no step was applied");
  }
  // What of the record the Mac contradicts is dropped before the first step.
  if (kept != observed.record || !observed.warnings.empty()) {
    if (Status saved = SaveLocalState(mac.state_dir, kept); !saved.ok()) {
      return Failed(saved, io.err, NothingElse(record));
    }
  }
  authority_password.reset();  // ApplyPlan reads it again, for the steps
  record.before = state;
  LocalStateKeeper keeper(executor, mac.state_dir, kept, state, mac.now);
  int code = RunApply(loaded, keeper, false, opt, io, sources, record);
  Status logged = AppendApplyLog(mac.state_dir, RenderApplyLog(record, loaded.plan));
  if (!logged.ok()) {
    io.err << "accord: warning: the apply log was not written: " << logged.message() << "\n";
  }
  return code;
}

}  // namespace accord
