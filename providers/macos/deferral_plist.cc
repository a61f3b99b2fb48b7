// Guarding and removing the deferral plist.
#include "macos/deferral_plist.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace accord {
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

std::optional<std::string> ProtectDeferralPlist(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;  // not written yet
  if (!S_ISREG(st.st_mode)) return path + " is not a regular file";
  if ((st.st_mode & 07777) != 0600 && ::chmod(path.c_str(), 0600) != 0) {
    return "cannot make " + path + " root-only: " + std::strerror(errno);
  }
  return std::nullopt;
}

DeferralTidy AssessDeferralPlist(CommandRunner& runner, const std::string& path,
                                 const FileVaultState& filevault) {
  DeferralTidy out;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return out;
  // While the enablement is pending the file holds no key yet.
  if (filevault.status != FileVaultStatus::kOn &&
      filevault.status != FileVaultStatus::kEncrypting) {
    return out;
  }
  std::optional<long long> escrowed = EscrowFileTime(runner);
  if (escrowed && *escrowed >= static_cast<long long>(st.st_mtime)) {
    out.escrowed = true;
    return out;
  }
  out.warning = path +
                " holds the FileVault recovery key (root-only) and no escrow of it was seen; it "
                "is removed once the MDM's copy is written";
  return out;
}

std::optional<std::string> TidyDeferralPlist(const std::string& path, bool escrowed) {
  if (auto error = ProtectDeferralPlist(path)) return error;
  if (escrowed && ::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return "cannot remove " + path + " after escrow: " + std::strerror(errno);
  }
  return std::nullopt;
}

}  // namespace accord
