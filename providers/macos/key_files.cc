// SPDX-License-Identifier: Apache-2.0
// Guarding, keeping and removing the files that hold a recovery key.
#include "macos/key_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "core/atomic_file.h"

namespace accord {
namespace {

KeyFileTidy Assess(CommandRunner& runner, const std::string& path, const struct stat& st) {
  KeyFileTidy out;
  std::optional<long long> escrowed = EscrowFileTime(runner);
  if (escrowed && *escrowed >= static_cast<long long>(st.st_mtime)) {
    out.escrowed = true;
    return out;
  }
  out.warning = path +
                " holds a FileVault recovery key (root-only) and no escrow of it was seen; it "
                "is removed once the MDM's copy is written";
  return out;
}

}  // namespace

std::optional<long long> EscrowFileTime(CommandRunner& runner) {
  Result<CommandResult> r =
      runner.Run(Command::Reading({"/usr/bin/stat", "-f", "%m", "/var/db/FileVaultPRK.dat"}));
  if (!r.ok() || r.value().exit_code != 0) return std::nullopt;
  const std::string& out = r.value().out;
  long long t = 0;
  auto [end, ec] = std::from_chars(out.data(), out.data() + out.size(), t);
  if (ec != std::errc() || (end != out.data() + out.size() && *end != '\n')) return std::nullopt;
  return t;
}

Status ProtectKeyFile(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return OkStatus();  // not written yet
  if (!S_ISREG(st.st_mode)) return path + " is not a regular file";
  if ((st.st_mode & 07777) != 0600 && ::chmod(path.c_str(), 0600) != 0) {
    return "cannot make " + path + " root-only: " + std::strerror(errno);
  }
  return OkStatus();
}

KeyFileTidy AssessDeferralPlist(CommandRunner& runner, const std::string& path,
                                const FileVaultState& filevault) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return {};
  // While the enablement is pending the file holds no key yet.
  if (filevault.status != FileVaultStatus::kOn &&
      filevault.status != FileVaultStatus::kEncrypting) {
    return {};
  }
  return Assess(runner, path, st);
}

KeyFileTidy AssessRotatedKey(CommandRunner& runner, const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return {};
  return Assess(runner, path, st);
}

Status TidyKeyFile(const std::string& path, bool escrowed) {
  if (Status protect = ProtectKeyFile(path); !protect.ok()) return protect;
  if (escrowed && ::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return "cannot remove " + path + " after escrow: " + std::strerror(errno);
  }
  return OkStatus();
}

Status KeepRotatedKey(const std::string& path, const std::string& printed) {
  if (printed.empty()) return OkStatus();
  static constexpr std::string_view kLine = "New personal recovery key = '";
  std::string kept = printed;
  if (std::size_t at = printed.find(kLine); at != std::string::npos) {
    std::size_t start = at + kLine.size();
    std::size_t end = printed.find('\'', start);
    if (end != std::string::npos && end > start) kept = printed.substr(start, end - start) + "\n";
  }
  Status written = WriteFileAtomically(path, kept, 0600);
  Wipe(kept);
  return written;
}

}  // namespace accord
