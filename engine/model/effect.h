// SPDX-License-Identifier: Apache-2.0
// The one device model: what a step does to a Mac, next = Effect(step,
// state). The safety check, the simulated Mac, enrollment prediction and
// the local state record all use it, so they cannot disagree about a step's
// consequences. The fake Mac of the tests deliberately does not: it plays
// the macOS tools as their public sources describe, so a wrong Effect shows
// up as a failing test instead of being copied into the test double.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/device_state.h"
#include "model/plan.h"

namespace accord {

// Whether the next account created with a password gets the first
// SecureToken (DOMAIN §1), from how many accounts may hold one and how many
// certainly do: yes when none may, no when one certainly does, and cannot
// tell in between.
Known<bool> NextGetsFirstToken(int possible_holders, int certain_holders);

// On a step that creates an account with a password, the note that it may
// get the first SecureToken (when `first_token` is true or cannot tell).
void NoteFirstToken(Change& step, Known<bool> first_token);

// Whether `step` (a grant, revoke, role or attribute change) would leave
// `account` exactly as it is: already done.
bool ChangesNothing(const Change& step, const ObservedUser& account);

// What `step` would still change on its account as observed after it ran:
// the step applied again to `observed` (nullopt: absent), compared on the
// facts a re-observation shows (existence, UID, full name, shell, home,
// hidden, admin, SecureToken) where the model knows what the step leaves.
// Empty when the step took. The names are "exists", "absent", "uid", the
// attribute names, "admin" and "secure_token". A password's effect is not
// observable: it is checked by logging in instead.
std::vector<std::string> StillToDo(const Change& step, const std::optional<ObservedUser>& observed);

// The effect on the one account a step names. `account` is the account
// before (nullopt: absent) and becomes the account after. `first_token` says
// whether no account holds a SecureToken yet (on macOS 11+ the first
// account whose password is set gets one automatically), or cannot tell:
// then neither is the new account's token known.
void ApplyToAccount(const Change& step, Known<bool> first_token,
                    std::optional<ObservedUser>& account);

// The effect of a device-wide step (FileVault, recovery key): a new key is
// escrowed as the escrow payload is installed.
void ApplyToFileVault(const Change& step, const MdmState& mdm, FileVaultState& filevault);

// MDM enrollment: the Mac is enrolled, and a Bootstrap Token is escrowed as
// the step predicts (its attribute "bootstrap_token_escrowed"; unknown when
// it cannot tell).
void ApplyToMdm(const Change& step, MdmState& mdm);

// The whole device after `step`; steps that do not run leave it unchanged,
// and a token deferred to the Bootstrap Token is recorded as pending.
DeviceState Effect(const Change& step, const DeviceState& before);

// A deterministic GeneratedUID for an account Accord creates in simulation.
std::string SimulatedGuid(const std::string& name);

}  // namespace accord
