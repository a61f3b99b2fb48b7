// SPDX-License-Identifier: Apache-2.0
// Crash-safe file replacement and advisory locks, for state files that must
// be valid whenever power fails.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"

namespace accord {

// Replaces `path` with `text`: a temp file beside it, fsync, rename, fsync
// of the folder. Readers see the old file or the new one, never a mix.
// The new file keeps the old one's mode, or gets `mode` when given (a
// root-only state file is 0600 whatever was there).
Status WriteFileAtomically(const std::string& path, const std::string& text,
                           std::optional<unsigned> mode = std::nullopt);

// Many files (a fleet's plans): each replaced as above but not flushed;
// FlushWrites then makes them durable all at once, instead of two fsyncs
// per file. Until then a crash may leave some files old and some new, but
// never a mix within one file.
Status WriteFileUnflushed(const std::string& path, const std::string& text);
// Flushes every write so far, and the renames in `folder`.
void FlushWrites(const std::string& folder);

// Whether `path` may be replaced: a file its owner made read-only (no owner
// write bit), or one owned by another user, is left as it is even where the
// caller (root) could replace it.
Status MayReplace(const std::string& path);

// An exclusive, non-blocking lock on `path` (created if missing), held for
// the object's lifetime and released by the kernel if the process dies.
class FileLock {
 public:
  // An error when someone else holds it, saying so.
  static Result<FileLock> Acquire(const std::string& path);
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace accord
