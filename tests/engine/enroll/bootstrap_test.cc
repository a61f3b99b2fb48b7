// SPDX-License-Identifier: Apache-2.0
// The Bootstrap Token forecast, version by version (DOMAIN §1): the seed's
// standard-first-account rule before macOS 10.15.4, any SecureToken
// holder's graphical login since; never on a headless Mac; cannot tell
// where the version is unknown and the rules disagree.
#include "enroll/bootstrap.h"

#include "support/catch.h"

namespace accord {
namespace {

// One person, firstaccount (UID 501): a standard user holding a SecureToken.
DeviceState OnlyStandardTokenHolder(Known<std::string> version) {
  DeviceState d;
  d.os_version = std::move(version);
  ObservedUser u;
  u.name = "firstaccount";
  u.uid = 501;
  u.admin = false;
  u.secure_token = true;
  d.users.push_back(u);
  return d;
}

const MdmSpec kEscrows{"Generic MDM", true};

}  // namespace

TEST_CASE("a standard first account that holds a token: fine since 10.15.4, not before",
          "[enroll][bootstrap]") {
  BootstrapForecast sonoma = ForecastBootstrap(kEscrows, OnlyStandardTokenHolder("14.5"), false);
  CHECK(sonoma.escrowed == true);
  REQUIRE(sonoma.warning);
  CHECK(sonoma.warning->kind == "standard-first-account");
  CHECK(sonoma.why.find("10.15.4 and later") != std::string::npos);  // its source named

  BootstrapForecast old = ForecastBootstrap(kEscrows, OnlyStandardTokenHolder("10.15.3"), false);
  CHECK(old.escrowed == false);
  REQUIRE(old.warning);
  CHECK(old.warning->kind == "no-bootstrap-token");
  CHECK(old.warning->message.find("before 10.15.4") != std::string::npos);

  CHECK(ForecastBootstrap(kEscrows, OnlyStandardTokenHolder("10.15.4"), false).escrowed == true);
  // Unknown version: the two rules disagree here, so cannot tell.
  BootstrapForecast unknown =
      ForecastBootstrap(kEscrows, OnlyStandardTokenHolder(std::nullopt), false);
  CHECK_FALSE(unknown.escrowed.has_value());
  REQUIRE(unknown.warning);
  CHECK(unknown.warning->kind == "bootstrap-token-unknown");
}

TEST_CASE("no Bootstrap Token on a headless Mac, or from an MDM without one, whatever the version",
          "[enroll][bootstrap]") {
  DeviceState mac = OnlyStandardTokenHolder("15.1");
  mac.users.front().admin = true;
  CHECK(ForecastBootstrap(kEscrows, mac, false).escrowed == true);
  BootstrapForecast headless = ForecastBootstrap(kEscrows, mac, true);
  CHECK(headless.escrowed == false);
  REQUIRE(headless.warning);
  CHECK(headless.warning->message.find("graphical login") != std::string::npos);
  CHECK(ForecastBootstrap(MdmSpec{"Agent", false}, mac, false).escrowed == false);
  // An admin first account that holds a token: both rules agree, so the
  // version need not be known.
  mac.os_version.reset();
  CHECK(ForecastBootstrap(kEscrows, mac, false).escrowed == true);
  // Nobody holds a token: none on any version.
  mac.users.front().secure_token = false;
  BootstrapForecast none = ForecastBootstrap(kEscrows, mac, false);
  CHECK(none.escrowed == false);
  // By hand, only a SecureToken admin can escrow one: the fix says so.
  REQUIRE(none.warning);
  CHECK(none.warning->fix.find("only a SecureToken admin can escrow one by hand") !=
        std::string::npos);
}

}  // namespace accord
