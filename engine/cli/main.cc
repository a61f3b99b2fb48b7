// SPDX-License-Identifier: Apache-2.0
// accord: the executable. Binds the CLI to the real process, and chooses the
// platform, once: on macOS the Mac it runs on is observed and changed
// through the real tools (as leveldb's Env::Default() picks its Env).
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "cli/cli.h"
#include "core/clock.h"
#include "macos/posix_runner.h"
#ifdef __APPLE__
#include "macos/open_directory.h"
#endif

int main(int argc, char** argv) {
  // A child that stops reading its stdin must not kill accord.
  std::signal(SIGPIPE, SIG_IGN);
  accord::Io io{std::cout, std::cerr, ::isatty(STDOUT_FILENO) == 1,
                [](const std::string& name) -> std::optional<std::string> {
                  const char* value = std::getenv(name.c_str());
                  if (!value) return std::nullopt;
                  return std::string(value);
                },
                &std::cin};
  io.err_is_terminal = ::isatty(STDERR_FILENO) == 1;
#ifdef __APPLE__
  accord::PosixRunner runner;
  accord::OpenDirectoryPasswords passwords;
  accord::ThisMac mac{runner, passwords, "/var/db/accord", accord::UtcNow};
  io.mac = &mac;
#endif
  std::vector<std::string> args(argv + 1, argv + argc);
  // The last line of defence: every reader turns bad input into a
  // positioned error, so reaching this is a bug in Accord, reported as one
  // (exit 1, never an abort). No test relies on it.
  std::string verb;
  for (const std::string& a : args) {
    if (!a.empty() && a.front() != '-') {
      verb = a;
      break;
    }
  }
  try {
    return accord::RunCli(args, io);
  } catch (const std::exception& e) {
    std::cerr << "accord: internal error in '" << verb << "': " << e.what()
              << "; please report it\n";
  } catch (...) {
    std::cerr << "accord: internal error in '" << verb << "'; please report it\n";
  }
  return 1;
}
