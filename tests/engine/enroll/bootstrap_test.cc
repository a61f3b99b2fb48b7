// SPDX-License-Identifier: Apache-2.0
// The Bootstrap Token forecast, version by version (DOMAIN §1): none before
// macOS 10.15; the seed's standard-first-account rule from 10.15 to 10.15.3,
// any SecureToken holder's graphical login since; never on a headless Mac;
// where the version is unknown, each era's answer, and cannot tell where
// they disagree. And which versions' Bootstrap Token grants a local account
// a token at login: 11 and later only.
#include "enroll/bootstrap.h"

#include "model/macos_release.h"
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
  CHECK(old.warning->message.find("10.15 to 10.15.3") != std::string::npos);

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
  // An admin first account that holds a token: every rule since 10.15
  // agrees, but before 10.15 there is none, so the version must be known.
  mac.os_version.reset();
  CHECK_FALSE(ForecastBootstrap(kEscrows, mac, false).escrowed.has_value());
  // Nobody holds a token: none on any version.
  mac.users.front().secure_token = false;
  BootstrapForecast none = ForecastBootstrap(kEscrows, mac, false);
  CHECK(none.escrowed == false);
  // By hand, only a SecureToken admin can escrow one: the fix says so.
  REQUIRE(none.warning);
  CHECK(none.warning->fix.find("only a SecureToken admin can escrow one by hand") !=
        std::string::npos);
}

TEST_CASE("the forecast by macOS version: 10.13, 10.14, 10.15.3, 10.15.7, 11, unknown",
          "[enroll][bootstrap]") {
  // An admin first account holding a token: every era that has a
  // Bootstrap Token escrows one.
  DeviceState mac = OnlyStandardTokenHolder("10.13.6");
  mac.users.front().admin = true;
  auto at = [&](Known<std::string> version) {
    mac.os_version = std::move(version);
    return ForecastBootstrap(kEscrows, mac, false);
  };
  for (const char* before : {"10.13.6", "10.14", "10.14.6"}) {
    BootstrapForecast none = at(before);
    INFO(before);
    CHECK(none.escrowed == false);
    REQUIRE(none.warning);
    CHECK(none.warning->kind == "no-bootstrap-token");
    CHECK(none.warning->message.find("before 10.15 has no Bootstrap Token") != std::string::npos);
    CHECK(none.warning->fix.find("11 or later") != std::string::npos);
  }
  CHECK(at("10.15.3").escrowed == true);
  CHECK(at("10.15.3").why.find("SecureToken admin") != std::string::npos);
  CHECK(at("10.15.7").escrowed == true);
  CHECK(at("10.15.7").why.find("SecureToken holder") != std::string::npos);
  CHECK(at("11.0.1").escrowed == true);
  // Unknown: before 10.15 there is none, after it there is one: cannot
  // tell, and each era's answer is said once, none contradicting another.
  BootstrapForecast unknown = at(std::nullopt);
  CHECK_FALSE(unknown.escrowed.has_value());
  REQUIRE(unknown.warning);
  const std::string& said = unknown.warning->message;
  CHECK(said.find("on macOS before 10.15, none: macOS before 10.15 has no Bootstrap Token") !=
        std::string::npos);
  CHECK(said.find("on macOS 10.15 to 10.15.3, escrowed when a SecureToken admin") !=
        std::string::npos);
  CHECK(said.find("on macOS 10.15.4 and later, escrowed at a SecureToken holder") !=
        std::string::npos);
  CHECK(said.find("disagree") == std::string::npos);
  // Nobody holds a token: every era says none, so none, whatever the version.
  mac.users.front().secure_token = false;
  BootstrapForecast none = at(std::nullopt);
  CHECK(none.escrowed == false);
  REQUIRE(none.warning);
  CHECK(none.warning->message.find("no version's rule escrows one") != std::string::npos);
}

TEST_CASE("a Bootstrap Token grants a local account a token at login from macOS 11 only",
          "[enroll][bootstrap]") {
  CHECK(BootstrapGrantsLocalAccounts(std::string("10.13.6")) == false);
  CHECK(BootstrapGrantsLocalAccounts(std::string("10.14")) == false);
  CHECK(BootstrapGrantsLocalAccounts(std::string("10.15.3")) == false);
  CHECK(BootstrapGrantsLocalAccounts(std::string("10.15.7")) == false);
  CHECK(BootstrapGrantsLocalAccounts(std::string("11")) == true);
  CHECK(BootstrapGrantsLocalAccounts(std::string("26.1")) == true);
  CHECK(BootstrapGrantsLocalAccounts(std::string("10.16")) == true);  // 11, in compatibility mode
  CHECK_FALSE(BootstrapGrantsLocalAccounts(std::nullopt).has_value());
  for (const char* unreadable : {"", "11.", ".5", "14.x", "10.15.7.1", "-1", "fourteen"}) {
    INFO(unreadable);
    CHECK_FALSE(BootstrapGrantsLocalAccounts(std::string(unreadable)).has_value());
  }
  CHECK(EraOf(std::string("10.15")) == BootstrapEra::kAdminEscrows);
  CHECK(EraOf(std::string("10.15.4")) == BootstrapEra::kHolderEscrows);
}

}  // namespace accord
