// SPDX-License-Identifier: Apache-2.0
// Load stage: structure (YAML) then semantics, reported together.
#include "load/desired_loader.h"

#include "core/text_file.h"
#include "load/validate.h"
#include "load/yaml_loader.h"

namespace accord {

Result<DesiredState> LoadDesiredState(const std::string& text, const std::string& file) {
  ParsedDesiredState parsed = ParseDesiredStateYaml(text, file);
  Diagnostics errors = std::move(parsed.errors);
  // A syntax error leaves nothing meaningful to check further.
  bool parsed_anything = !parsed.state.users.empty() || !parsed.state.uid_ranges.empty() ||
                         parsed.state.authority.has_value();
  if (parsed_anything) {
    Diagnostics semantic = ValidateDesiredState(parsed.state);
    errors.insert(errors.end(), semantic.begin(), semantic.end());
  }
  SortByPosition(errors);
  if (HasErrors(errors)) return errors;
  parsed.state.warnings = std::move(errors);
  return std::move(parsed.state);
}

Result<DesiredState> LoadDesiredStateFile(const std::string& path) {
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.errors();
  return LoadDesiredState(text.value(), path);
}

}  // namespace accord
