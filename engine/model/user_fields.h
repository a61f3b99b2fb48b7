// SPDX-License-Identifier: Apache-2.0
// The desired user's fields, once, in the contract's order (DOMAIN §2):
// the YAML loader, compose, the desired-YAML writer and validate walk this
// list instead of naming the fields themselves, so a field is added here
// and in DesiredUser, and each of them picks it up (or fails to compile
// until it knows the field's type).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "model/desired_state.h"

namespace accord {

// A field of DesiredUser as a type: its member pointer is a constant, so a
// visitor can use it in templates (compose keeps it in a function pointer).
template <auto Member>
struct UserField {
  static constexpr auto member = Member;
};

// Calls visit(key, UserField<&DesiredUser::x>{}) for every field.
template <typename Visit>
constexpr void ForEachUserField(Visit&& visit) {
  visit(std::string_view("ensure"), UserField<&DesiredUser::ensure>{});
  visit(std::string_view("full_name"), UserField<&DesiredUser::full_name>{});
  visit(std::string_view("uid"), UserField<&DesiredUser::uid>{});
  visit(std::string_view("uid_range"), UserField<&DesiredUser::uid_range>{});
  visit(std::string_view("role"), UserField<&DesiredUser::role>{});
  visit(std::string_view("shell"), UserField<&DesiredUser::shell>{});
  visit(std::string_view("home"), UserField<&DesiredUser::home>{});
  visit(std::string_view("hidden"), UserField<&DesiredUser::hidden>{});
  visit(std::string_view("secure_token"), UserField<&DesiredUser::secure_token>{});
  visit(std::string_view("password"), UserField<&DesiredUser::password>{});
  visit(std::string_view("password_update"), UserField<&DesiredUser::password_update>{});
  visit(std::string_view("old_password"), UserField<&DesiredUser::old_password>{});
  visit(std::string_view("allow_keychain_reset"), UserField<&DesiredUser::allow_keychain_reset>{});
  visit(std::string_view("remove_home"), UserField<&DesiredUser::remove_home>{});
  visit(std::string_view("allow_system_account"), UserField<&DesiredUser::allow_system_account>{});
}

inline constexpr std::size_t kUserFieldCount = [] {
  std::size_t n = 0;
  ForEachUserField([&](std::string_view, auto) { ++n; });
  return n;
}();

// The keys a user's map may have, for the loader's unknown-key check.
inline constexpr std::array<std::string_view, kUserFieldCount> kUserFieldKeys = [] {
  std::array<std::string_view, kUserFieldCount> keys{};
  std::size_t i = 0;
  ForEachUserField([&](std::string_view key, auto) { keys[i++] = key; });
  return keys;
}();

// The names of each enum's values in the file, in enumerator order.
inline constexpr std::array<std::string_view, 2> kEnsureNames = {"present", "absent"};
inline constexpr std::array<std::string_view, 2> kRoleNames = {"admin", "standard"};
inline constexpr std::array<std::string_view, 3> kPasswordUpdateNames = {"on_create", "reset",
                                                                         "change"};

constexpr std::span<const std::string_view> NamesOf(Ensure) { return kEnsureNames; }
constexpr std::span<const std::string_view> NamesOf(Role) { return kRoleNames; }
constexpr std::span<const std::string_view> NamesOf(PasswordUpdate) { return kPasswordUpdateNames; }

template <typename E>
constexpr std::string_view NameOf(E value) {
  return NamesOf(value)[static_cast<std::size_t>(value)];
}

}  // namespace accord
