// SPDX-License-Identifier: Apache-2.0
// Bounded, validated reading of input files.
#include "core/text_file.h"

#include "support/catch.h"
#include "support/test_support.h"

namespace accord {

TEST_CASE("a missing file is an error naming it", "[text_file]") {
  Result<std::string> r = ReadTextFile("/nonexistent/accord.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(FormatDiagnostic(r.errors()[0]).find("/nonexistent/accord.yaml: error: cannot read") == 0);
}

TEST_CASE("oversized, binary and non-UTF-8 files are refused before parsing", "[text_file]") {
  std::string dir = test::TempDir("text_file");
  test::WriteFile(dir + "/big.yaml", std::string(2048, 'a'));
  Result<std::string> big = ReadTextFile(dir + "/big.yaml", 1024);
  REQUIRE_FALSE(big.ok());
  CHECK(big.errors()[0].message.find("limited to 1024 bytes") != std::string::npos);

  test::WriteFile(dir + "/nul.yaml", std::string("a: 1\nb: \0\n", 10));
  Result<std::string> nul = ReadTextFile(dir + "/nul.yaml");
  REQUIRE_FALSE(nul.ok());
  CHECK(nul.errors()[0].pos == SourcePos{2, 4});

  test::WriteFile(dir + "/latin1.yaml", "a: 1\nname: Jos\xe9\n");
  Result<std::string> latin1 = ReadTextFile(dir + "/latin1.yaml");
  REQUIRE_FALSE(latin1.ok());
  CHECK(latin1.errors()[0].pos == SourcePos{2, 10});
  CHECK(latin1.errors()[0].message == "invalid UTF-8");

  test::WriteFile(dir + "/ok.yaml", "name: Zo\xc3\xab\n");
  CHECK(ReadTextFile(dir + "/ok.yaml").ok());
}

TEST_CASE("offsets map to 1-based line and column", "[text_file]") {
  CHECK(PositionOfOffset("ab\ncd", 0) == SourcePos{1, 1});
  CHECK(PositionOfOffset("ab\ncd", 3) == SourcePos{2, 1});
  CHECK(PositionOfOffset("ab\ncd", 4) == SourcePos{2, 2});
}

}  // namespace accord
