// SPDX-License-Identifier: Apache-2.0
// The real command runner, on this machine's own programs: argv without a
// shell, stdin, exit codes, the C locale, stderr apart, timeouts; and the
// read-only guard that keeps observe and plan from changing anything.
#include "macos/posix_runner.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include "support/catch.h"

namespace accord {
namespace {

Command Cmd(std::vector<std::string> argv, std::string in = "") {
  Command c;
  c.argv = std::move(argv);
  c.stdin_data = std::move(in);
  return c;
}

// Opens /dev/tty and says whether it could: the test's stand-in for a tool
// that prompts on the terminal.
const char* kTryTty = "if (exec 3</dev/tty) 2>/dev/null; then echo tty; else echo none; fi";

// In a forked child that owns a pseudo-terminal as its controlling
// terminal (as an admin's shell does): whether the child itself can open
// /dev/tty, then what a command run by the runner printed.
std::string UnderPseudoTerminal() {
  int report[2];
  if (::pipe(report) != 0) return "pipe failed";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(report[0]);
    std::string said;
    int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    const char* slave_name = master >= 0 && ::grantpt(master) == 0 && ::unlockpt(master) == 0
                                 ? ::ptsname(master)
                                 : nullptr;
    if (::setsid() < 0 || !slave_name) {
      said = "no pty";
    } else {
      int slave = ::open(slave_name, O_RDWR);
      ::ioctl(slave, TIOCSCTTY, 0);
      int tty = ::open("/dev/tty", O_RDONLY);
      said = tty >= 0 ? "parent:tty " : "parent:none ";
      PosixRunner runner;
      Result<CommandResult> r = runner.Run(Cmd({"/bin/sh", "-c", kTryTty}));
      said += r.ok() ? "child:" + r.value().out : "child:error";
    }
    (void)!::write(report[1], said.data(), said.size());
    ::_exit(0);
  }
  ::close(report[1]);
  std::string said;
  char buf[256];
  for (ssize_t n; (n = ::read(report[0], buf, sizeof buf)) > 0;) said.append(buf, n);
  ::close(report[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return said;
}

}  // namespace

TEST_CASE("a command cannot open the terminal of the admin who runs accord", "[runner]") {
  // The child holds a terminal (the control: it can open /dev/tty), yet the
  // command the runner starts, in its own session, cannot.
  CHECK(UnderPseudoTerminal() == "parent:tty child:none\n");
}

TEST_CASE("arguments are passed as argv, never through a shell", "[runner]") {
  PosixRunner runner;
  Result<CommandResult> r = runner.Run(Cmd({"/bin/echo", "a b", "$(whoami)", ";", "*"}));
  REQUIRE(r.ok());
  CHECK(r.value() == CommandResult{0, "a b $(whoami) ; *\n", ""});
}

TEST_CASE("stdin carries secrets, stdout and stderr are kept apart", "[runner]") {
  std::signal(SIGPIPE, SIG_IGN);  // as main does
  PosixRunner runner;
  Result<CommandResult> r = runner.Run(Cmd({"/bin/cat"}, "s3cret\n"));
  REQUIRE(r.ok());
  CHECK(r.value().out == "s3cret\n");
  Result<CommandResult> both = runner.Run(Cmd({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}));
  REQUIRE(both.ok());
  CHECK(both.value() == CommandResult{3, "out\n", "err\n"});
  // A program that ignores its stdin does not hang or kill the caller.
  Result<CommandResult> ignored = runner.Run(Cmd({"/bin/true"}, std::string(1 << 20, 'x')));
  REQUIRE(ignored.ok());
  CHECK(ignored.value().exit_code == 0);
}

TEST_CASE("tools run in the C locale with a fixed PATH", "[runner]") {
  PosixRunner runner;
  Result<CommandResult> r = runner.Run(Cmd({"/usr/bin/env"}));
  REQUIRE(r.ok());
  CHECK(r.value().out == "PATH=/usr/bin:/bin:/usr/sbin:/sbin\nLANG=C\nLC_ALL=C\n");
}

TEST_CASE("a command past its timeout is killed and reported", "[runner]") {
  PosixRunner runner;
  Command c = Cmd({"/bin/sleep", "5"});
  c.timeout = std::chrono::milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  Result<CommandResult> r = runner.Run(c);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  REQUIRE_FALSE(r.ok());
  CHECK(r.errors()[0].message == "/bin/sleep 5: timed out after 200 ms");
}

TEST_CASE("a missing or relative program is an error, not a crash", "[runner]") {
  PosixRunner runner;
  CHECK(runner.Run(Cmd({"/nonexistent/tool"})).errors()[0].message.find("cannot run") !=
        std::string::npos);
  CHECK(runner.Run(Cmd({"echo", "x"})).errors()[0].message ==
        "echo x: the program must be an absolute path");
}

TEST_CASE("while observing, mutating commands are refused before they run", "[runner]") {
  PosixRunner real;
  ReadOnlyRunner guard(real);
  Command write = Cmd({"/usr/bin/touch", "/tmp/accord-must-not-exist"});
  write.mutating = true;
  Result<CommandResult> r = guard.Run(write);
  REQUIRE_FALSE(r.ok());
  CHECK(r.errors()[0].message ==
        "refused to run a mutating command while observing: /usr/bin/touch "
        "/tmp/accord-must-not-exist");
  CHECK(guard.Run(Cmd({"/bin/echo", "read"})).ok());
}

TEST_CASE("displayed commands quote what a shell would split, and never show stdin", "[runner]") {
  Command c = Cmd({"/usr/sbin/sysadminctl", "-addUser", "alice", "-fullName", "Alice Example",
                   "-password", "-"},
                  "the-password");
  CHECK(c.Display() ==
        "/usr/sbin/sysadminctl -addUser alice -fullName 'Alice Example' -password -");
}

TEST_CASE("a program that prints without end is stopped at the output limit", "[runner]") {
  PosixRunner runner;
  Result<CommandResult> r = runner.Run(Cmd({"/usr/bin/yes"}));
  REQUIRE_FALSE(r.ok());
  CHECK(r.errors().front().message.find("printed more than 64 MiB; stopped (the output limit)") !=
        std::string::npos);
}

}  // namespace accord
