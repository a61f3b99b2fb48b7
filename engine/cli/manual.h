// SPDX-License-Identifier: Apache-2.0
// The manual page and the shell completions, generated from the one
// definition of the command line (cli.cc's CLI11 app), so that neither can
// drift from --help: every verb, option and argument kind comes from there.
// The rest of the page (exit codes, files, safety rules) comes from the
// engine's own tables.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace accord {

// accord(1) in man(7) roff.
std::string RenderManPage(CLI::App& app);

// A completion script for "bash", "zsh" or "fish"; "" for another shell.
// File arguments are filtered by the kind each option's type name gives:
// YAML, JSON, DIR, JSON|DIR, FILE.
std::string RenderCompletion(CLI::App& app, const std::string& shell);

}  // namespace accord
