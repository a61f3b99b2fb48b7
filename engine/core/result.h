// Result<T>: a value or the diagnostics that explain why there is none.
// Errors cross module edges as values; only main decides to exit.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "core/diagnostic.h"

namespace accord {

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

inline Diagnostics SingleError(std::string file, SourcePos pos, std::string key_path,
                               std::string message) {
  return {
      Diagnostic{Severity::kError, std::move(file), pos, std::move(key_path), std::move(message)}};
}

}  // namespace accord
