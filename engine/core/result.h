// SPDX-License-Identifier: Apache-2.0
// Result<T>: a value or the diagnostics that explain why there is none;
// Status (Result<void>): ok, or why not. The one way to say "ok or why"
// across module edges: errors are values, and only main decides to exit.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "core/diagnostic.h"

namespace accord {

inline Diagnostics SingleError(std::string file, SourcePos pos, std::string key_path,
                               std::string message) {
  return {
      Diagnostic{Severity::kError, std::move(file), pos, std::move(key_path), std::move(message)}};
}

// A reason without a place, as one error: `return Because("...");` from a
// function returning any Result.
inline Diagnostics Because(std::string why) { return SingleError("", {}, "", std::move(why)); }

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT: implicit by design
  Result(Diagnostics errors) : v_(std::move(errors)) {  // NOLINT
    assert(!std::get<Diagnostics>(v_).empty());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const Diagnostics& errors() const { return std::get<Diagnostics>(v_); }

 private:
  std::variant<T, Diagnostics> v_;
};

// Work that returns no value: ok, or the diagnostics that say why not. A
// reason without a place is one diagnostic with no file, printed as
// "accord: error: why" (FormatDiagnostic).
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;                                        // ok
  Result(Diagnostics errors) : errors_(std::move(errors)) {  // NOLINT: implicit by design
    assert(!errors_.empty());
  }
  Result(std::string why)  // NOLINT
      : errors_(SingleError("", {}, "", std::move(why))) {}
  Result(const char* why) : Result(std::string(why)) {}  // NOLINT

  bool ok() const { return errors_.empty(); }
  const Diagnostics& errors() const { return errors_; }
  // The first reason's words, for a message that goes on ("…; nothing was
  // changed"). Only when !ok().
  const std::string& message() const { return errors_.front().message; }

 private:
  Diagnostics errors_;
};

using Status = Result<void>;
inline Status OkStatus() { return Status(); }

}  // namespace accord
