// SPDX-License-Identifier: Apache-2.0
// The executor seam: the only way a step reaches a Mac. `plan` never
// constructs one, so a dry run cannot change anything by construction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "apply/secrets.h"
#include "core/result.h"
#include "model/device_state.h"
#include "model/plan.h"

namespace accord {

// The secrets one step needs, resolved just before it runs.
struct StepSecrets {
  std::optional<Secret> authority_password;
  std::optional<Secret> password;      // the account's (new) password
  std::optional<Secret> old_password;  // for password_update: change
};

// What became of one step: an error says why it failed; on success,
// `verified` says what confirmed it (for the apply log).
struct StepResult {
  StepResult() = default;
  StepResult(std::nullopt_t) {}
  StepResult(std::string why) : error(std::move(why)) {}
  StepResult(std::optional<std::string> why) : error(std::move(why)) {}
  StepResult(const Status& status) {  // NOLINT
    if (!status.ok()) error = status.message();
  }
  static StepResult Verified(std::string how) {
    StepResult r;
    r.verified = std::move(how);
    return r;
  }

  std::optional<std::string> error;
  std::string verified;
  // The Mac as observed right after the step, where the executor observed
  // it (a real Mac): what the local state records is checked against it.
  std::optional<DeviceState> observed_after;
  bool ok() const { return !error; }
};

// A password to check before the first step: whose, what it is (for the
// message: "alice's old_password"), and the value.
struct Credential {
  std::string user;
  std::string what;
  const Secret* secret = nullptr;
};

// The authority's: one spelling, so that an executor that remembers what
// it checked knows it when apply and the Mac's early check both ask.
inline Credential AuthorityCredential(const std::string& user, const Secret& password) {
  return {user, "the authority's password", &password};
}

class StepExecutor {
 public:
  virtual ~StepExecutor() = default;
  // Checks, read-only, that each credential is right, before any step
  // runs; an error stops the apply with nothing changed. Where passwords
  // cannot be checked (the simulator), there is nothing to do.
  virtual Status CheckCredentials(const std::vector<Credential>&) { return OkStatus(); }
  // Performs `step` and verifies it took.
  virtual StepResult Execute(const Change& step, const StepSecrets& secrets) = 0;
  // Records a step that completes later (at a login or logout).
  virtual StepResult RecordPending(const Change& step) = 0;
  // The Mac as it is now, for the apply record's "after"; none where it
  // cannot be read.
  virtual std::optional<DeviceState> ObserveNow() { return std::nullopt; }
};

}  // namespace accord
