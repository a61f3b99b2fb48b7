// SPDX-License-Identifier: Apache-2.0
// Atomic replacement with fsync, and flock-based locks.
#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace accord {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

Status MayReplace(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return OkStatus();  // a new file: nothing to keep
  if (st.st_uid != ::geteuid()) {
    return path + " is owned by uid " + std::to_string(st.st_uid) +
           ", not by the user running "
           "Accord (uid " +
           std::to_string(::geteuid()) + "); it is left unchanged";
  }
  if ((st.st_mode & S_IWUSR) == 0) {
    return path + " is read-only (no write permission for its owner); it is left unchanged";
  }
  return OkStatus();
}

namespace {

// `text` into `path`.tmp, then renamed over `path`; the data is fsynced
// first only when `flush`.
Status WriteAndRename(const std::string& path, const std::string& text,
                      std::optional<unsigned> forced_mode, bool flush) {
  const std::string tmp = path + ".tmp";
  // The new file keeps the old one's permissions (a 0600 snapshot stays 0600).
  struct stat st {};
  mode_t mode = forced_mode                      ? static_cast<mode_t>(*forced_mode)
                : ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 0777)
                                                 : 0644;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Errno("cannot create " + tmp);
  ::fchmod(fd, mode);  // O_CREAT applied the umask; an existing .tmp kept its mode
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string error = Errno("cannot write " + tmp);
      ::close(fd);
      return error;
    }
    written += static_cast<std::size_t>(n);
  }
  if (flush && ::fsync(fd) != 0) {
    std::string error = Errno("cannot fsync " + tmp);
    ::close(fd);
    return error;
  }
  if (::close(fd) != 0) return Errno("cannot write " + tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("cannot replace " + path);
  return OkStatus();
}

// Makes the renames into the folder of `path` durable.
void SyncFolderOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

}  // namespace

Status WriteFileAtomically(const std::string& path, const std::string& text,
                           std::optional<unsigned> forced_mode) {
  if (Status written = WriteAndRename(path, text, forced_mode, true); !written.ok()) {
    return written;
  }
  SyncFolderOf(path);
  return OkStatus();
}

Status WriteFileUnflushed(const std::string& path, const std::string& text) {
  return WriteAndRename(path, text, std::nullopt, false);
}

void FlushWrites(const std::string& folder) {
  // sync(2): everything written so far; on Linux it returns once written.
  ::sync();
  SyncFolderOf(folder + "/.");
}

Result<FileLock> FileLock::Acquire(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return SingleError("", {}, "", Errno("cannot open lock " + path));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    std::string why = errno == EWOULDBLOCK ? "locked: another accord apply holds " + path
                                           : Errno("cannot lock " + path);
    ::close(fd);
    return SingleError("", {}, "", why);
  }
  return FileLock(fd);
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace accord
