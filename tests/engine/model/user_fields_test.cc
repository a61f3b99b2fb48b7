// SPDX-License-Identifier: Apache-2.0
// The desired user's field list (model/user_fields.h) drives the loader
// and the YAML writer alike: a user with every field set to a value that
// is not its default loads, writes, and loads back the same.
#include "model/user_fields.h"

#include <type_traits>

#include "load/yaml_loader.h"
#include "render/desired_yaml.h"
#include "support/catch.h"

namespace accord {
namespace {

// A YAML value for a field of this type that is not the field's default.
std::string Sample(const std::optional<std::string>*, std::string_view key) {
  return "\"value of " + std::string(key) + "\"";
}
std::string Sample(const std::optional<std::int64_t>*, std::string_view) { return "600"; }
std::string Sample(const std::optional<bool>*, std::string_view) { return "true"; }
std::string Sample(const bool*, std::string_view) { return "true"; }
std::string Sample(const std::optional<SecretRef>*, std::string_view key) {
  return "{env: " + std::string(key) + "}";
}
template <typename E>
requires std::is_enum_v<E> std::string Sample(const E*, std::string_view) {
  return std::string(NamesOf(E{}).back());
}
template <typename E>
requires std::is_enum_v<E> std::string Sample(const std::optional<E>*, std::string_view) {
  return std::string(NamesOf(E{}).back());
}

}  // namespace

TEST_CASE("every user field loads, is written, and loads back the same", "[load][render]") {
  std::string yaml = "accord: 1\nusers:\n  jdoe:\n";
  std::size_t fields = 0;
  ForEachUserField([&](std::string_view key, auto field) {
    using Member = std::remove_reference_t<decltype(DesiredUser{}.*decltype(field)::member)>;
    yaml +=
        "    " + std::string(key) + ": " + Sample(static_cast<const Member*>(nullptr), key) + "\n";
    ++fields;
  });
  CHECK(fields == kUserFieldKeys.size());
  ParsedDesiredState first = ParseDesiredStateYaml(yaml, "all.yaml");
  INFO(yaml);
  REQUIRE(first.errors.empty());
  REQUIRE(first.state.users.size() == 1);
  const DesiredUser& u = first.state.users.front();
  // Nothing stayed at its default: every key reached its member.
  DesiredUser defaults;
  defaults.name = u.name;
  ForEachUserField([&](std::string_view key, auto field) {
    INFO(key);
    CHECK_FALSE(u.*decltype(field)::member == defaults.*decltype(field)::member);
  });
  std::string written = RenderDesiredYaml(first.state, {});
  ParsedDesiredState second = ParseDesiredStateYaml(written, "written.yaml");
  INFO(written);
  REQUIRE(second.errors.empty());
  CHECK(second.state.users == first.state.users);
}

}  // namespace accord
