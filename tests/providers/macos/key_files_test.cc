// SPDX-License-Identifier: Apache-2.0
// The files that hold a recovery key, on fdesetup's real key plists (the
// corpus): the key is kept from RecoveryKey, output read and not understood
// is kept whole, and a key the MDM returns is compared, never shown.
#include "macos/key_files.h"

#include <filesystem>

#include "support/catch.h"
#include "support/test_support.h"

namespace accord {

TEST_CASE("a rotation's key is kept from the plist's RecoveryKey, real plists first",
          "[key-files][corpus]") {
  const std::string dir = test::TempDir("key-files-keep");
  const std::string path = dir + "/pending-recovery-key.txt";
  // 10.15.6 (APFS), as fdesetup wrote it; the CoreStorage-era key set.
  Result<bool> apfs =
      KeepRotatedKey(path, test::Corpus("fdesetup/fdesetup-defer-outputplist-1.txt"));
  REQUIRE(apfs.ok());
  CHECK(apfs.value());
  CHECK(test::ReadFile(path) == "3QKM-XXXX-XXXX-XXXX-XXXX-XXXX\n");
  CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  Result<bool> core =
      KeepRotatedKey(path, test::Corpus("fdesetup/fdesetup-enable-outputplist-1.txt"));
  REQUIRE(core.ok());
  CHECK(core.value());
  CHECK(test::ReadFile(path) == "DLEV-ZYT9-ODLA-PVML-66DV-HZ8R\n");
  // The text line of a build that ignored -outputplist: read and not
  // understood, so kept whole (it holds the key in a form not foreseen).
  const std::string line = "New personal recovery key = 'ABCD-EFGH-IJKL-MNOP-QRST-UVWX'\n";
  Result<bool> text = KeepRotatedKey(path, line);
  REQUIRE(text.ok());
  CHECK_FALSE(text.value());
  CHECK(test::ReadFile(path) == line);
  // Nothing printed: nothing written.
  std::filesystem::remove(path);
  Result<bool> nothing = KeepRotatedKey(path, "");
  REQUIRE(nothing.ok());
  CHECK_FALSE(nothing.value());
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("the MDM's key is compared with the kept one: a line, or a deferral's plist",
          "[key-files][corpus]") {
  const std::string dir = test::TempDir("key-files-holds");
  const KeyFile line{dir + "/pending-recovery-key.txt", "2026-11-28T09:00:00Z"};
  test::WriteFile(line.path, "3QKM-XXXX-XXXX-XXXX-XXXX-XXXX\n");
  CHECK(HoldsKey(line, Secret("3QKM-XXXX-XXXX-XXXX-XXXX-XXXX")) == true);
  CHECK(HoldsKey(line, Secret(" 3QKM-XXXX-XXXX-XXXX-XXXX-XXXX\n")) == true);
  CHECK(HoldsKey(line, Secret("3QKM-XXXX-XXXX-XXXX-XXXX-XXXY")) == false);
  CHECK(HoldsKey(line, Secret("3QKM")) == false);
  const KeyFile plist{dir + "/filevault-deferral-key.plist", "2026-11-28T09:00:00Z"};
  test::WriteFile(plist.path, test::Corpus("fdesetup/fdesetup-defer-outputplist-1.txt"));
  CHECK(HoldsKey(plist, Secret("3QKM-XXXX-XXXX-XXXX-XXXX-XXXX")) == true);
  CHECK(HoldsKey(plist, Secret("DLEV-ZYT9-ODLA-PVML-66DV-HZ8R")) == false);
  // A whole output kept because it was not understood, or no file: cannot
  // tell, never "the same".
  const KeyFile whole{dir + "/whole.txt", "2026-11-28T09:00:00Z"};
  test::WriteFile(whole.path, "fdesetup: line one\nline two\n");
  CHECK_FALSE(HoldsKey(whole, Secret("line one")).has_value());
  CHECK_FALSE(HoldsKey({dir + "/absent.txt", ""}, Secret("X")).has_value());
}

}  // namespace accord
