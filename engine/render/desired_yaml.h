// SPDX-License-Identifier: Apache-2.0
// A desired state as a format-1 YAML file: what `accord compose` prints and
// --out-dir ships to each Mac. Only what the state sets is written, each
// value with a comment naming the layer file and line it came from, so the
// file loads back to the same desired state (tested) and says where every
// value was decided.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/desired_state.h"

namespace accord {

// Comment lines keyed by the block they belong in ("users.alice",
// "authority", "filevault"): written at the end of the block, or, where the
// block is absent, as a commented-out block where it would stand.
using BlockComments = std::map<std::string, std::vector<std::string>>;

// `header` lines become comments at the top (what was composed, for whom).
std::string RenderDesiredYaml(const DesiredState& state, const std::vector<std::string>& header,
                              const BlockComments& comments = {});

// The header alone, as RenderDesiredYaml writes it above the state: so
// that Macs sharing one composed state share its rendering
// (RenderDesiredYaml(state, header) == DesiredYamlHeader(header) +
// RenderDesiredYaml(state, {})).
std::string DesiredYamlHeader(const std::vector<std::string>& header);

}  // namespace accord
