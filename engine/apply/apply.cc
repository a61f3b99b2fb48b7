// SPDX-License-Identifier: Apache-2.0
// The apply loop: secrets at the last moment, one step at a time.
#include "apply/apply.h"

#include <filesystem>
#include <map>
#include <set>

namespace accord {
namespace {

// Resolves what `step` needs; an error names the missing reference.
// `read` holds what earlier steps resolved, by reference: each reference
// is read once per apply (a keychain read is a subprocess), not per step.
Result<StepSecrets> SecretsFor(const Change& step, const DesiredState& d,
                               const SecretSources& sources, std::map<std::string, Secret>& read) {
  std::string base = std::filesystem::path(d.file).parent_path().string();
  StepSecrets out;
  auto resolve = [&](const SecretRef& ref, std::optional<Secret>& into) -> Status {
    const std::string key = Describe(ref);
    if (auto known = read.find(key); known != read.end()) {
      into.emplace(known->second);
      return OkStatus();
    }
    Result<Secret> s = ResolveSecret(ref, base, sources);
    if (!s.ok()) return s.errors();
    read.emplace(key, s.value());
    into.emplace(std::move(s).value());
    return OkStatus();
  };
  if (NeedsAuthority(step.action) && d.authority && d.authority->password) {
    Status got = resolve(*d.authority->password, out.authority_password);
    if (!got.ok()) return got.errors();
  }
  const DesiredUser* u = step.user.empty() ? nullptr : d.FindUser(step.user);
  if (u && NeedsOwnPassword(step.action) && u->password) {
    if (Status got = resolve(*u->password, out.password); !got.ok()) return got.errors();
  }
  if (u && step.action == Action::kChangePassword && u->old_password) {
    if (Status got = resolve(*u->old_password, out.old_password); !got.ok()) return got.errors();
  }
  return out;
}

// The passwords to check before the first step: the authority's, where a
// step acts as it, and each old password a change proves.
std::vector<Credential> CredentialsToCheck(const std::vector<const Change*>& steps,
                                           const std::vector<StepSecrets>& secrets,
                                           const DesiredState& d, std::string& first_step) {
  std::vector<Credential> out;
  bool authority = false;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const StepSecrets& s = secrets[i];
    bool added = false;
    if (s.authority_password && !authority && d.authority) {
      out.push_back(AuthorityCredential(d.authority->user, *s.authority_password));
      authority = added = true;
    }
    if (s.old_password) {
      out.push_back({steps[i]->user, steps[i]->user + "'s old_password", &*s.old_password});
      added = true;
    }
    if (added && first_step.empty()) first_step = steps[i]->Id();
  }
  return out;
}

bool PendingOnly(const Change& step) {
  return step.outcome == Outcome::kDeferred && step.action == Action::kGrantToken;
}

}  // namespace

ApplyReport ApplyPlan(const Plan& plan, const DesiredState& desired, StepExecutor& executor,
                      const SecretSources& sources,
                      const std::function<void(const Change&)>& progress) {
  ApplyReport report;
  std::vector<const Change*> steps;
  for (const Change& step : plan.changes) {
    if (step.outcome == Outcome::kRun || step.outcome == Outcome::kDeferred) steps.push_back(&step);
  }
  // Every secret is resolved before the first step: a missing or unsafe one
  // stops apply while nothing has changed, not halfway through.
  std::vector<StepSecrets> secrets(steps.size());
  std::map<std::string, Secret> read;  // cleared before the first step runs
  // Every one is tried, so that all that are missing are named at once.
  std::set<std::string> said;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (PendingOnly(*steps[i])) continue;
    Result<StepSecrets> resolved = SecretsFor(*steps[i], desired, sources, read);
    if (resolved.ok()) {
      secrets[i] = std::move(resolved).value();
      continue;
    }
    const Diagnostic& d = resolved.errors().front();
    std::string why = d.file.empty() ? d.message : FormatDiagnostic(d);
    if (report.failed_step.empty()) {
      report.failed_step = steps[i]->Id();
      report.error = why;
      report.before_any_step = true;
    }
    if (said.insert(why).second) report.secret_errors.push_back(steps[i]->Id() + ": " + why);
  }
  read.clear();  // each step keeps only its own, until it has run
  if (!report.ok()) return report;
  // A wrong password stops the apply here, while nothing has changed.
  std::string needs;
  std::vector<Credential> credentials = CredentialsToCheck(steps, secrets, desired, needs);
  if (!credentials.empty()) {
    if (Status checked = executor.CheckCredentials(credentials); !checked.ok()) {
      report.failed_step = needs;
      report.error = checked.message();
      report.before_any_step = true;
      return report;
    }
  }
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Change& step = *steps[i];
    progress(step);
    // A deferred FileVault enablement is recorded by its own effect (status:
    // deferred), so it runs like any other step; a token deferred to the
    // Bootstrap Token is only recorded.
    StepResult result =
        PendingOnly(step) ? executor.RecordPending(step) : executor.Execute(step, secrets[i]);
    secrets[i] = StepSecrets{};  // no longer than the step needs them
    if (!result.ok()) {
      report.failed_step = step.Id();
      report.error = *result.error;
      report.steps.push_back({step.Id(), "failed", *result.error});
      return report;
    }
    bool pending = step.outcome == Outcome::kDeferred;
    (pending ? report.pending : report.done).push_back(step.Id());
    report.steps.push_back({step.Id(), pending ? "pending" : "done", result.verified});
  }
  return report;
}

}  // namespace accord
