// SPDX-License-Identifier: Apache-2.0
// posix_spawn-based runner: its own session, a poll loop for output, a deadline.
#include "macos/posix_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace accord {
namespace {

// Owns a pipe's two ends.
struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd) {
      if (f >= 0) ::close(f);
    }
  }
  void Close(int end) {
    if (fd[end] >= 0) ::close(fd[end]);
    fd[end] = -1;
  }
};

// pipe2 is not on macOS: pipe, then close-on-exec by hand.
bool OpenPipe(Pipe& p) {
  if (::pipe(p.fd) != 0) return false;
  return ::fcntl(p.fd[0], F_SETFD, FD_CLOEXEC) == 0 && ::fcntl(p.fd[1], F_SETFD, FD_CLOEXEC) == 0;
}

Diagnostics Failure(const Command& c, const std::string& why) {
  return SingleError("", {}, "", c.Display() + ": " + why);
}

// Starts `command` with the pipes as its stdin, stdout and stderr, in a
// fixed, minimal environment (the tools' English output is the format).
Result<pid_t> Spawn(const Command& command, const Pipe& in, const Pipe& out, const Pipe& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);

  std::vector<char*> argv;
  for (const std::string& a : command.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::string path = "PATH=/usr/bin:/bin:/usr/sbin:/sbin";
  std::string lang = "LANG=C";
  std::string lc_all = "LC_ALL=C";
  char* envp[] = {path.data(), lang.data(), lc_all.data(), nullptr};

  // Its own session, so no controlling terminal: a tool that prompts for a
  // password (sysadminctl's "-", dscl -passwd) reads the stdin we give it,
  // or fails; it never opens /dev/tty and waits on the admin's terminal.
  // (POSIX_SPAWN_SETSID: posix_spawnattr_setflags(3) on macOS 10.15+,
  // glibc 2.26+.)
  posix_spawnattr_t attrs;
  posix_spawnattr_init(&attrs);
  posix_spawnattr_setflags(&attrs, POSIX_SPAWN_SETSID);

  pid_t pid = -1;
  int spawned = ::posix_spawn(&pid, argv[0], &actions, &attrs, argv.data(), envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attrs);
  if (spawned != 0) return Failure(command, std::string("cannot run: ") + std::strerror(spawned));
  return pid;
}

// Feeds stdin whole, as far as the program reads it. (main ignores
// SIGPIPE, so a program that stops reading only ends the write; its exit
// status tells.)
void Feed(int fd, const std::string& data) {
  std::size_t fed = 0;
  while (fed < data.size()) {
    ssize_t n = ::write(fd, data.data() + fed, data.size() - fed);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    fed += static_cast<std::size_t>(n);
  }
}

enum class Collected { kWhole, kTimedOut, kTooLong };

// Reads stdout and stderr until both close, the deadline passes, or they
// exceed the output limit together.
Collected Collect(int out_fd, int err_fd, std::chrono::milliseconds timeout,
                  CommandResult& result) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_streams = 2;
  while (open_streams > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Collected::kTimedOut;
    int ready = ::poll(fds, 2, static_cast<int>(left.count()));
    if (ready <= 0) continue;  // interrupted, or the deadline: checked above
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
        if (result.out.size() + result.err.size() > kMaxCommandOutput) return Collected::kTooLong;
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_streams;
      }
    }
  }
  return Collected::kWhole;
}

}  // namespace

Result<CommandResult> PosixRunner::Run(const Command& command) {
  if (command.argv.empty() || command.argv[0].empty() || command.argv[0][0] != '/') {
    return Failure(command, "the program must be an absolute path");
  }
  Pipe in, out, err;
  if (!OpenPipe(in) || !OpenPipe(out) || !OpenPipe(err)) {
    return Failure(command, std::string("pipe: ") + std::strerror(errno));
  }
  Result<pid_t> spawned = Spawn(command, in, out, err);
  if (!spawned.ok()) return spawned.errors();
  const pid_t pid = spawned.value();
  in.Close(0);
  out.Close(1);
  err.Close(1);
  Feed(in.fd[1], command.stdin_data);
  in.Close(1);  // end of input

  CommandResult result;
  Collected collected = Collect(out.fd[0], err.fd[0], command.timeout, result);
  if (collected != Collected::kWhole) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (collected == Collected::kTimedOut) {
    return Failure(command, "timed out after " + std::to_string(command.timeout.count()) + " ms");
  }
  if (collected == Collected::kTooLong) {
    return Failure(command, "printed more than " + std::to_string(kMaxCommandOutput >> 20) +
                                " MiB; stopped (the output limit)");
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace accord
