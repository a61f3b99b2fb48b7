// accord: the executable. Binds the CLI to the real process.
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iostream>

#include "cli/cli.h"

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
  std::vector<std::string> args(argv + 1, argv + argc);
  return accord::RunCli(args, io);
}
