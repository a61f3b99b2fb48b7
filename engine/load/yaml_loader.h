// SPDX-License-Identifier: Apache-2.0
// The structural half of loading desired state: YAML text to DesiredState,
// every error with file:line:column (the YAML is read by load/yaml_tree).
#pragma once

#include <string>

#include "core/diagnostic.h"
#include "model/desired_state.h"

namespace accord {

struct ParsedDesiredState {
  DesiredState state;  // every field that parsed; the rest left unset
  Diagnostics errors;  // syntax, unknown and duplicate keys, wrong types, ranges
};

// Never throws. Values that fail to parse are reported and left unset so
// that later checks can still run on the rest and report everything at once.
ParsedDesiredState ParseDesiredStateYaml(const std::string& text, const std::string& file);

}  // namespace accord
