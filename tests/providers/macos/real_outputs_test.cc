// SPDX-License-Identifier: Apache-2.0
// Real outputs others published, played by the fake Mac in place of its own,
// through the whole of Accord: what a real Mac prints must lead to the
// answers the platform implies (issue: the four misreadings).
#include "cli/cli.h"
#include "support/catch.h"
#include "support/fake_mac.h"
#include "support/test_support.h"

namespace accord {
namespace {

// FileVault on; firstaccount the only SecureToken holder (an admin), whose
// FileVault password no tool can show in step; no personal recovery key.
DeviceState OneTokenHolder() {
  DeviceState s = test::Device(test::ReadFile(test::SourcePath("examples/fresh-mac/device.json")));
  s.filevault.status = FileVaultStatus::kOn;
  s.filevault.personal_recovery_key = false;
  s.filevault.institutional_recovery_key = false;
  return s;
}

// The fake Mac answers `command` with a real output of the corpus.
void PlayReal(test::OnFakeMac& on, const std::string& command, const std::string& corpus_file) {
  on.mac.Inject(command, {0, test::Corpus(corpus_file), ""});
}

}  // namespace

TEST_CASE("the master keychain line alone is no unlock path: unlockers cannot tell",
          "[real-outputs][unlockers]") {
  // A real 10.15.6 Mac printed the master keychain line, and
  // hasinstitutionalrecoverykey said false.
  test::OnFakeMac on(OneTokenHolder(), "real-masterkeychain");
  PlayReal(on, "/usr/bin/fdesetup status", "fdesetup/fdesetup-status-on-masterkeychain-1.txt");
  PlayReal(on, "/usr/bin/fdesetup hasinstitutionalrecoverykey",
           "fdesetup/fdesetup-hasinstitutionalrecoverykey-false-1.txt");
  test::CliRun unlockers = on.Run({"unlockers"});
  INFO(unlockers.out << unlockers.err);
  CHECK(unlockers.status == kExitRefused);
  CHECK(unlockers.out.find("institutional recovery key") == std::string::npos);
  test::CliRun observed = on.Run({"observe"});
  CHECK(observed.out.find("\"institutional_recovery_key\": false") != std::string::npos);
  // An old bundle or a Mac that cannot answer: unknown, never true.
  on.mac.Inject("/usr/bin/fdesetup hasinstitutionalrecoverykey",
                {1, "", "Error: unable to determine (synthetic)\n"});
  unlockers = on.Run({"unlockers"});
  CHECK(unlockers.status == kExitRefused);
  CHECK(unlockers.out.find("cannot tell whether an institutional recovery key is set") !=
        std::string::npos);
}

TEST_CASE("a real deferral line without 'for user' reads deferred, its user unknown",
          "[real-outputs][observe]") {
  DeviceState mac = OneTokenHolder();
  mac.filevault.status = FileVaultStatus::kOff;
  test::OnFakeMac on(mac, "real-deferral");
  PlayReal(on, "/usr/bin/fdesetup status", "fdesetup/fdesetup-status-deferred-no-user-1.txt");
  test::CliRun observed = on.Run({"observe"});
  INFO(observed.out << observed.err);
  CHECK(observed.status == kExitOk);
  CHECK(observed.out.find("\"status\": \"deferred\"") != std::string::npos);
  CHECK(observed.out.find("\"deferred_user\": null") != std::string::npos);
}

TEST_CASE("what a tool printed and Accord did not understand is said, not called unobserved",
          "[real-outputs][observe]") {
  test::OnFakeMac on(OneTokenHolder(), "real-unfamiliar");
  // sw_vers' whole report (a real Sequoia output) where only the version
  // was asked for, and an fdesetup line no parser knows (synthetic).
  PlayReal(on, "/usr/bin/sw_vers -productVersion", "accounts/sw-vers-sequoia-1.txt");
  on.mac.Inject("/usr/bin/fdesetup status",
                {0, "FileVault is Paused, waiting for power. (synthetic)\n", ""});
  test::CliRun observed = on.Run({"observe"});
  INFO(observed.out << observed.err);
  CHECK(observed.status == kExitOk);
  CHECK(observed.err.find("`sw_vers -productVersion` printed \"ProductName:") != std::string::npos);
  CHECK(observed.err.find("which Accord read and did not understand: the macOS version is "
                          "unknown") != std::string::npos);
  CHECK(observed.err.find("`fdesetup status` printed \"FileVault is Paused, waiting for power. "
                          "(synthetic)\", which Accord read and did not understand: FileVault's "
                          "status is unknown") != std::string::npos);
  CHECK(observed.out.find("\"os_version\": null") != std::string::npos);
  // A tool that failed is no misreading: nothing is said of it here.
  on.mac.Inject("/usr/bin/fdesetup status", {1, "", "fdesetup: error (synthetic)\n"});
  observed = on.Run({"observe"});
  CHECK(observed.err.find("`fdesetup status` printed") == std::string::npos);
}

}  // namespace accord
