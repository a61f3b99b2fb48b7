// SPDX-License-Identifier: Apache-2.0
// Load stage: a desired-state file → DesiredState, or every error in it, in
// file order, each naming file:line:column and the offending key.
#pragma once

#include <string>

#include "core/result.h"
#include "model/desired_state.h"

namespace accord {

Result<DesiredState> LoadDesiredState(const std::string& text, const std::string& file);
Result<DesiredState> LoadDesiredStateFile(const std::string& path);

}  // namespace accord
