// Short-name and full-name rules, and "did you mean" suggestions.
#include "core/names.h"

#include <array>
#include <string_view>

#include "support/catch.h"

namespace accord {

TEST_CASE("valid short names pass", "[names]") {
  for (const char* name : {"alice", "firstaccount", "j.doe", "svc_backup", "a-b", "_agent", "x1"}) {
    INFO(name);
    CHECK_FALSE(ShortNameProblem(name).has_value());
  }
}

TEST_CASE("invalid short names say why", "[names]") {
  CHECK(ShortNameProblem("")->find("empty") != std::string::npos);
  CHECK(ShortNameProblem("-rf")->find("must not start with '-'") != std::string::npos);
  CHECK(ShortNameProblem(".hidden")->find("must not start with '.'") != std::string::npos);
  CHECK_FALSE(ShortNameProblem("Alice").has_value());  // an existing account's exact name
  CHECK(NewShortNameProblem("Alice")->find("must be lowercase (macOS looks names up "
                                           "case-insensitively); use 'alice'") !=
        std::string::npos);
  CHECK(NewShortNameProblem("a;b")->find("';'") != std::string::npos);
  CHECK(ShortNameProblem("a;b")->find("';'") != std::string::npos);
  CHECK(ShortNameProblem("$(x)")->find("'$'") != std::string::npos);
  CHECK(ShortNameProblem("a b")->find("' '") != std::string::npos);
  CHECK(ShortNameProblem("a\nb")->find("'\\x0a'") != std::string::npos);
  CHECK(ShortNameProblem("jos\xc3\xa9")->find("'\\xc3'") != std::string::npos);
  CHECK(ShortNameProblem("501")->find("UID") != std::string::npos);
  CHECK_FALSE(ShortNameProblem(std::string(244, 'a')).has_value());
  CHECK(ShortNameProblem(std::string(245, 'a'))->find("244") != std::string::npos);
}

TEST_CASE("full names must be non-empty and free of control characters", "[names]") {
  CHECK_FALSE(FullNameProblem("Alice Example").has_value());
  CHECK_FALSE(FullNameProblem("Zoë Müller").has_value());
  CHECK(FullNameProblem("").has_value());
  CHECK(FullNameProblem("Al\nice").has_value());
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
