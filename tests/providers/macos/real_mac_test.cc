// SPDX-License-Identifier: Apache-2.0
// Real-Mac tests: run only on macOS, only when asked for, as root:
//   sudo ./build/tests/accord_tests "[.macos]"
// They check shapes on a live system (that observe works and what it sees
// is plausible), never change anything, and are hidden from ctest.
#include "macos/observe.h"
#include "macos/posix_runner.h"
#include "support/catch.h"

namespace accord {

TEST_CASE("observing this Mac sees plausible accounts and FileVault", "[.macos]") {
#ifdef __APPLE__
  PosixRunner runner;
  Result<DeviceState> seen = ObserveMac(runner);
  REQUIRE(seen.ok());
  const DeviceState& s = seen.value();
  CHECK(s.os_version.has_value());
  CHECK(s.filevault.status.has_value());
  const ObservedUser* root = s.FindUser("root");
  REQUIRE(root != nullptr);
  CHECK(root->uid == 0);
  bool admin = false;
  for (const ObservedUser& u : s.users) {
    CHECK(u.uid.has_value());
    admin = admin || u.admin == true;
  }
  CHECK(admin);
  CHECK(s.mdm.enrolled.has_value());
#else
  WARN("not a Mac: nothing to observe");
#endif
}

}  // namespace accord
