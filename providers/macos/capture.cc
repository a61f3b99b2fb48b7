// SPDX-License-Identifier: Apache-2.0
// Capture to and replay from a directory of raw outputs.
#include "macos/capture.h"

#include <charconv>
#include <filesystem>

#include "core/atomic_file.h"
#include "core/names.h"
#include "core/text_file.h"
#include "macos/observe.h"

namespace accord {
namespace {

std::string Joined(const Command& c) { return Join(c.argv, " "); }

}  // namespace

Result<std::size_t> CaptureBundle(CommandRunner& inner, const std::string& dir) {
  ReadOnlyRunner runner(inner);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return SingleError(dir, {}, "", "cannot create the bundle folder: " + ec.message());
  // Every output first, checked, then written: a bundle never holds a
  // password hash, not even in part.
  std::vector<std::pair<ObserveCommand, CommandResult>> outputs;
  for (const ObserveCommand& c : ObserveCommands()) {
    Result<CommandResult> r = runner.Run(c.command);
    if (!r.ok()) return r.errors();
    if (std::string key = SecretAttributeIn(r.value().out + r.value().err); !key.empty()) {
      return SingleError(dir, {}, "",
                         "the output of " + c.command.Display() + " holds " + key +
                             " (a password hash or key); nothing was captured");
    }
    outputs.emplace_back(c, std::move(r).value());
  }
  std::string index;
  std::size_t count = 0;
  for (const auto& [c, result] : outputs) {
    const std::string base = dir + "/" + c.key;
    for (const auto& [suffix, text] :
         {std::pair{".stdout", result.out}, std::pair{".stderr", result.err},
          std::pair{".status", std::to_string(result.exit_code) + "\n"}}) {
      if (Status written = WriteFileAtomically(base + suffix, text); !written.ok()) {
        return SingleError(base + suffix, {}, "", written.message());
      }
    }
    index += c.key + "\t" + Joined(c.command) + "\n";
    ++count;
  }
  if (Status written = WriteFileAtomically(dir + "/commands.txt", index); !written.ok()) {
    return SingleError(dir, {}, "", written.message());
  }
  return count;
}

Result<CommandResult> ReplayRunner::Run(const Command& command) {
  if (command.mutating) {
    return SingleError(dir_, {}, "",
                       "a captured bundle cannot change anything: " + command.Display());
  }
  for (const ObserveCommand& c : ObserveCommands()) {
    if (c.command.argv != command.argv) continue;
    const std::string base = dir_ + "/" + c.key;
    // A bundle captured by an older Accord lacks the commands added since
    // (the console user): not captured reads as a failed command, so that
    // fact is unknown; a bundle with only part of a command's files is
    // damaged and fails below.
    std::error_code fs_error;
    if (!std::filesystem::exists(base + ".status", fs_error) &&
        !std::filesystem::exists(base + ".stdout", fs_error) &&
        !std::filesystem::exists(base + ".stderr", fs_error)) {
      return CommandResult{127, "", c.key + " is not in this capture bundle\n"};
    }
    Result<std::string> out = ReadTextFile(base + ".stdout", kMaxCommandOutput);
    Result<std::string> err = ReadTextFile(base + ".stderr", kMaxCommandOutput);
    Result<std::string> status = ReadTextFile(base + ".status", 64);
    for (const Result<std::string>* r : {&out, &err, &status}) {
      if (!r->ok()) return r->errors();
    }
    // A bundle that holds a password hash (captured by hand, or by an
    // Accord that did not name dscl's attributes) is refused whole.
    if (std::string key = SecretAttributeIn(out.value() + err.value()); !key.empty()) {
      return SingleError(base + ".stdout", {}, "",
                         "this capture holds " + key +
                             " (a password hash or key): Accord reads no bundle that does; "
                             "delete it, and capture again with this Accord");
    }
    CommandResult result;
    result.out = out.value();
    result.err = err.value();
    const std::string& s = status.value();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), result.exit_code);
    if (ec != std::errc()) return SingleError(base + ".status", {}, "", "not an exit status");
    return result;
  }
  return SingleError(dir_, {}, "", "the bundle holds no output for: " + command.Display());
}

}  // namespace accord
