// SPDX-License-Identifier: Apache-2.0
// The state folder's files, with their ownership and mode checks.
#include "state/state_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/atomic_file.h"
#include "core/text_file.h"
#include "state/local_state_codec.h"

namespace accord {
namespace {

std::string Path(const std::string& dir, const char* name) { return dir + "/" + name; }

std::string Mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Whether a file or folder of ours can be trusted, and why not.
Status Trusted(const struct stat& st, const std::string& what) {
  if (st.st_uid != ::geteuid()) {
    return what + " is owned by uid " + std::to_string(st.st_uid) + ", not by uid " +
           std::to_string(::geteuid()) + " (root on a Mac)";
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
      (S_ISREG(st.st_mode) && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)) {
    return what + " has mode " + Mode(st.st_mode) + ": others could read or change it";
  }
  return OkStatus();
}

}  // namespace

Status PrepareStateDir(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return "cannot create " + dir + ": " + std::strerror(errno);
    }
    if (::stat(dir.c_str(), &st) != 0) return "cannot read " + dir + ": " + std::strerror(errno);
  }
  if (!S_ISDIR(st.st_mode)) return dir + " is not a folder";
  if (Status trusted = Trusted(st, dir); !trusted.ok()) {
    return trusted.message() +
           "; Accord keeps its state only in a folder that root alone can change";
  }
  return OkStatus();
}

LoadedState LoadLocalState(const std::string& dir) {
  const std::string path = Path(dir, kStateFileName);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return {};
  auto ignored = [&](const std::string& why) {
    return LoadedState{{},
                       "ignored the local state file " + path + ": " + why +
                           "; what it recorded is unknown now (delete it to silence this)"};
  };
  if (!S_ISREG(st.st_mode)) return ignored("it is not a regular file");
  if (Status trusted = Trusted(st, "it"); !trusted.ok()) return ignored(trusted.message());
  Result<std::string> text = ReadTextFile(path, 16 * 1024 * 1024);
  if (!text.ok()) return ignored(text.errors().front().message);
  Result<LocalState> state = ParseLocalState(text.value(), path);
  if (!state.ok()) return ignored(FormatDiagnostic(state.errors().front()));
  return {std::move(state).value(), std::nullopt};
}

Status SaveLocalState(const std::string& dir, const LocalState& state) {
  return WriteFileAtomically(Path(dir, kStateFileName), SerializeLocalState(state), 0600);
}

Status AppendApplyLog(const std::string& dir, const std::string& line, std::size_t limit) {
  const std::string path = Path(dir, kApplyLogName);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 &&
      static_cast<std::size_t>(st.st_size) + line.size() + 1 > limit) {
    if (::rename(path.c_str(), (path + ".1").c_str()) != 0) {
      return "cannot rotate " + path + ": " + std::strerror(errno);
    }
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot open " + path + ": " + std::strerror(errno);
  ::fchmod(fd, 0600);
  // One write of the whole line: a kill leaves the line whole or absent.
  std::string whole = line + "\n";
  ssize_t n = ::write(fd, whole.data(), whole.size());
  int saved = errno;
  ::fsync(fd);
  ::close(fd);
  if (n != static_cast<ssize_t>(whole.size())) {
    return "cannot append to " + path + ": " + std::strerror(n < 0 ? saved : EIO);
  }
  return OkStatus();
}

}  // namespace accord
