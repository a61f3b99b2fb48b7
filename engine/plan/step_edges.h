// SPDX-License-Identifier: Apache-2.0
// Which step of a plan must come before which, and why: the dependency
// edges Check schedules by (an account exists before anything is done to
// it; a new password before the grant that uses it; the FileVault enabler
// holds a token before FileVault is enabled; the authority is a SecureToken
// admin before it acts, and stays one until its last use). The edges that
// keep a safety rule come later, from the simulation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/plan.h"
#include "plan/step_graph.h"

namespace accord {

// Steps that give the authority what it needs to act (it must exist and be
// a SecureToken admin whose password is known), and steps that take it.
bool EnablesAuthority(Action a);
bool DisablesAuthority(Action a);

// Adds the dependency edges among `changes` to `graph`. `enabler` is the
// account that enables FileVault ("" for none).
void AddDependencyEdges(const std::vector<Change>& changes,
                        const std::optional<std::string>& authority, const std::string& enabler,
                        StepGraph& graph);

}  // namespace accord
