// SPDX-License-Identifier: Apache-2.0
// Short-name and full-name rules, and "did you mean" suggestions.
#include "core/names.h"

#include <array>
#include <string_view>

#include "support/catch.h"

namespace accord {

TEST_CASE("valid short names pass", "[names]") {
  for (const char* name : {"alice", "firstaccount", "j.doe", "svc_backup", "a-b", "_agent", "x1"}) {
    INFO(name);
    CHECK(CheckShortName(name).ok());
  }
}

TEST_CASE("invalid short names say why", "[names]") {
  CHECK(CheckShortName("").message().find("empty") != std::string::npos);
  CHECK(CheckShortName("-rf").message().find("must not start with '-'") != std::string::npos);
  CHECK(CheckShortName(".hidden").message().find("must not start with '.'") != std::string::npos);
  CHECK(CheckShortName("Alice").ok());  // an existing account's exact name
  CHECK(CheckNewShortName("Alice").message().find("must be lowercase (macOS looks names up "
                                                  "case-insensitively); use 'alice'") !=
        std::string::npos);
  CHECK(CheckNewShortName("a;b").message().find("';'") != std::string::npos);
  CHECK(CheckShortName("a;b").message().find("';'") != std::string::npos);
  CHECK(CheckShortName("$(x)").message().find("'$'") != std::string::npos);
  CHECK(CheckShortName("a b").message().find("' '") != std::string::npos);
  CHECK(CheckShortName("a\nb").message().find("'\\x0a'") != std::string::npos);
  CHECK(CheckShortName("jos\xc3\xa9").message().find("'\\xc3'") != std::string::npos);
  CHECK(CheckShortName("501").message().find("UID") != std::string::npos);
  CHECK(CheckShortName(std::string(244, 'a')).ok());
  CHECK(CheckShortName(std::string(245, 'a')).message().find("244") != std::string::npos);
}

TEST_CASE("full names must be non-empty and free of control characters", "[names]") {
  CHECK(CheckFullName("Alice Example").ok());
  CHECK(CheckFullName("Zoë Müller").ok());
  CHECK_FALSE(CheckFullName("").ok());
  CHECK_FALSE(CheckFullName("Al\nice").ok());
}

TEST_CASE("closest match suggests plausible typos only", "[names]") {
  constexpr std::array<std::string_view, 4> keys = {"full_name", "uid", "uid_range", "shell"};
  CHECK(ClosestMatch("fullname", keys) == "full_name");
  CHECK(ClosestMatch("Full_Name", keys) == "full_name");
  CHECK(ClosestMatch("uid_rnage", keys) == "uid_range");
  CHECK(ClosestMatch("shel", keys) == "shell");
  CHECK(ClosestMatch("completely_unrelated", keys).empty());
}

TEST_CASE("printable escapes anything that could forge output", "[names]") {
  CHECK(Printable("alice") == "'alice'");
  CHECK(Printable("a\nb") == "'a\\x0ab'");
  CHECK(Printable("\x1b[31m") == "'\\x1b[31m'");
  CHECK(Printable("it's") == "'it\\x27s'");
}

}  // namespace accord
