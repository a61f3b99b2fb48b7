// SPDX-License-Identifier: Apache-2.0
// Preflight on the fake Mac: all good, and each failure with its fix.
#include "macos/preflight.h"

#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

DeviceState Mac() {
  return test::Device(test::ReadFile(test::SourcePath("examples/fresh-mac/device.json")));
}

}  // namespace

TEST_CASE("preflight passes as root on macOS 11+ with Full Disk Access", "[preflight]") {
  test::FakeMac mac(Mac());
  CHECK(Preflight(mac).ok());
  // The probe writes nobody's RealName back unchanged.
  const Command& probe = mac.recorded().back();
  CHECK(probe.mutating);
  CHECK(probe.Display() == "/usr/bin/dscl . -create /Users/nobody RealName 'Unprivileged User'");
}

TEST_CASE("preflight says how to fix each missing precondition", "[preflight]") {
  test::FakeMac mac(Mac());
  mac.Inject("/usr/bin/id -u", {0, "501\n", ""});
  mac.Inject("/usr/bin/sw_vers -productVersion", {0, "10.15.7\n", ""});
  mac.Inject("/usr/bin/dscl . -create /Users/nobody RealName Unprivileged User",
             {40, "", "<dscl_cmd> DS Error: -14120 (eDSPermissionError)\n"});
  Status status = Preflight(mac);
  const Diagnostics& d = status.errors();
  REQUIRE(d.size() == 3);
  CHECK(d[0].message == "accord apply changes accounts and must run as root: run it with sudo");
  CHECK(d[1].message == "Accord needs macOS 11 or later (this is 10.15.7)");
  CHECK(d[2].message ==
        "cannot write user records (<dscl_cmd> DS Error: -14120 (eDSPermissionError)): grant Full "
        "Disk Access to the app that runs accord (Terminal, or your management agent) in System "
        "Settings > Privacy & Security > Full Disk Access");
}

}  // namespace accord
