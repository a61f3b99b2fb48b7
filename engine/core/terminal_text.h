// SPDX-License-Identifier: Apache-2.0
// Text from outside (account names, full names, file names) made safe to
// print on a terminal: valid UTF-8 letters pass as they are, while control
// characters, C1 controls, bidirectional overrides and invalid bytes are
// written as escapes, so that a name cannot make a plan read differently
// from what it does ("\u202e" reverses the rest of a line; "\x1b[" recolours
// it; "\n" forges a line).
#pragma once

#include <string>
#include <string_view>

namespace accord {

std::string EscapeForTerminal(std::string_view text);
// The same, appended to `out`.
void AppendForTerminal(std::string& out, std::string_view text);

}  // namespace accord
