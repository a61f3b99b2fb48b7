// The structural half of loading desired state: YAML text to DesiredState.
// This is the only file that includes yaml-cpp; its exceptions become
// diagnostics with file:line:column here.
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

// yaml-cpp's own parse of `text` and nothing else, so benchmarks can set the
// loader's cost beside the library's. Returns the number of documents.
std::size_t ParseYamlOnlyForBenchmark(const std::string& text);

}  // namespace accord
