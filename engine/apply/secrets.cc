// SPDX-License-Identifier: Apache-2.0
// Secret resolution from the environment or files.
#include "apply/secrets.h"

#include <sys/stat.h>

#include <cstdio>

#include "core/text_file.h"

namespace accord {
namespace {

// sysadminctl reads a password from a pipe only up to 1022 bytes (mkuser's
// documented limit for -password -): a longer one would be cut short and
// set a password nobody knows. A line break ends a password on stdin.
constexpr std::size_t kMaxPasswordBytes = 1022;

Result<Secret> Usable(const SecretRef& ref, std::string value) {
  const std::string what = "the secret from " + Describe(ref);
  if (value.size() > kMaxPasswordBytes) {
    return SingleError("", {}, "",
                       what + " is " + std::to_string(value.size()) +
                           " bytes long; macOS tools read at most " +
                           std::to_string(kMaxPasswordBytes) +
                           " bytes of a password from a pipe: use a shorter one");
  }
  if (value.find_first_of(std::string("\n\r\0", 3)) != std::string::npos) {
    return SingleError("", {}, "",
                       what +
                           " contains a line break or a NUL byte, which would end it early "
                           "on a tool's stdin: remove it");
  }
  return Secret(std::move(value));
}

}  // namespace

Result<Secret> ResolveSecret(const SecretRef& ref, const std::string& base_dir,
                             const SecretSources& sources) {
  if (ref.source == SecretRef::Source::kKeychain) {
    if (!sources.keychain) {
      return SingleError("", {}, "",
                         "the secret from keychain " + ref.name +
                             " is read from the System keychain of the Mac Accord runs on; this "
                             "apply is not to a Mac");
    }
    Result<std::string> value = sources.keychain(ref.name);
    if (!value.ok()) return value.errors();
    if (value.value().empty()) {
      return SingleError("", {}, "", "the secret from keychain " + ref.name + " is empty");
    }
    return Usable(ref, std::move(value).value());
  }
  if (ref.source == SecretRef::Source::kEnv) {
    std::optional<std::string> value = sources.env(ref.name);
    if (!value || value->empty()) {
      return SingleError("", {}, "", "the secret from env " + ref.name + " is not set");
    }
    return Usable(ref, std::move(*value));
  }
  std::string path = ref.name;
  if (!path.empty() && path.front() != '/' && !base_dir.empty()) path = base_dir + "/" + path;
  // A password file others can read or write is no secret: refuse it, as
  // ssh refuses a private key with loose permissions.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return SingleError(path, {}, "",
                       std::string("the secret file is accessible to its group or others (mode ") +
                           mode + "); make it readable by its owner only: chmod 600 " + path);
  }
  Result<std::string> text = ReadTextFile(path, 64 * 1024);
  if (!text.ok()) {
    return SingleError(path, {}, "", "cannot read the secret: " + text.errors().front().message);
  }
  std::string value = text.value();
  if (!value.empty() && value.back() == '\n') value.pop_back();
  if (value.empty()) return SingleError(path, {}, "", "the secret file is empty");
  return Usable(ref, std::move(value));
}

}  // namespace accord
