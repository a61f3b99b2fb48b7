// Secret resolution from the environment or files.
#include "apply/secrets.h"

#include "core/text_file.h"

namespace accord {

Result<Secret> ResolveSecret(const SecretRef& ref, const std::string& base_dir, const EnvLookup& env) {
  if (ref.source == SecretRef::Source::kEnv) {
    std::optional<std::string> value = env(ref.name);
    if (!value || value->empty()) {
      return SingleError("", {}, "", "the secret from env " + ref.name + " is not set");
    }
    return Secret(std::move(*value));
  }
  std::string path = ref.name;
  if (!path.empty() && path.front() != '/' && !base_dir.empty()) path = base_dir + "/" + path;
  Result<std::string> text = ReadTextFile(path, 64 * 1024);
  if (!text.ok()) {
    return SingleError(path, {}, "", "cannot read the secret: " + text.errors().front().message);
  }
  std::string value = text.value();
  if (!value.empty() && value.back() == '\n') value.pop_back();
  if (value.empty()) return SingleError(path, {}, "", "the secret file is empty");
  return Secret(std::move(value));
}

}  // namespace accord
