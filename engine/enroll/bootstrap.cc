// SPDX-License-Identifier: Apache-2.0
// The Bootstrap Token forecast from the Mac's accounts and macOS version.
//
// The facts, version by version (DOMAIN §1; model/macos_release.h names
// Apple's word on each era):
//  - it exists only where the MDM supports it, and is not created where
//    automated enrollment skips creating a local account;
//  - macOS escrows it at a GRAPHICAL login, so never on a Mac nobody logs
//    in to at the console (headless);
//  - before macOS 10.15 there is none at all;
//  - from 10.15 to 10.15.3 only an admin could receive the first token, so
//    the seed's rule holds there: none if the first person account is a
//    standard user, and only a SecureToken admin's login escrows it
//    (Jamf, "Manage Bootstrap Token"; the source document);
//  - since macOS 10.15.4 it is generated and escrowed at the first
//    graphical login of ANY user who holds a SecureToken (VMware Workspace
//    ONE, "Bootstrap Token"; Apple Platform Deployment, "Use secure token,
//    bootstrap token, and volume ownership in deployments"). By hand
//    (`profiles install -type bootstraptoken`) only a SecureToken admin
//    can escrow it (Addigy), as the fixes say. The seed's
//    standard-first-account rule remains a warning there: it is its
//    vendor's practice, not macOS's rule.
// Where the version is unknown, each era's rule is computed, and where
// they disagree the forecast says what each answers: cannot tell.
#include "enroll/bootstrap.h"

#include "core/names.h"
#include "model/macos_release.h"
#include "safety/contributions.h"

namespace accord {
namespace {

// The rule of each version, as the forecasts name it.
constexpr const char* kNoneRule = "macOS before 10.15; Apple Platform Deployment";
constexpr const char* kOldRule =
    "macOS 10.15 to 10.15.3; Jamf; JumpCloud's Best Practices for macOS Accounts";
constexpr const char* kNewRule =
    "macOS 10.15.4 and later; VMware Workspace ONE, Apple Platform Deployment";

BootstrapForecast None(std::string why, std::string message, std::string fix) {
  return {false, why,
          ReadinessReason{"no-bootstrap-token", "", std::move(message), std::move(fix)}};
}

BootstrapForecast CannotTell(std::string why, std::string fix) {
  std::string message = "cannot tell whether a Bootstrap Token will be escrowed: " + why;
  return {std::nullopt, std::move(why),
          ReadinessReason{"bootstrap-token-unknown", "", std::move(message), std::move(fix)}};
}

// The Mac's person accounts, as the rules read them.
struct People {
  const ObservedUser* first = nullptr;  // the lowest UID from 501 (Setup Assistant's)
  std::string unknown_uid;              // a person whose UID is unknown
  Tri token_admin = Tri::kNo;           // some person is a SecureToken admin
  Tri token_holder = Tri::kNo;          // some person holds a SecureToken
};

People Read(const DeviceState& device) {
  People p;
  for (const ObservedUser& u : device.users) {
    if (IsRoleAccount(u.name)) continue;  // role accounts never log in to escrow it
    p.token_admin = Or(p.token_admin, Contributes(Keep::kTokenAdmin, u));
    p.token_holder = Or(p.token_holder, ToTri(u.secure_token));
    if (!u.uid) {
      p.unknown_uid = u.name;
    } else if (*u.uid >= kFirstPersonUid && (!p.first || *u.uid < *p.first->uid)) {
      p.first = &u;
    }
  }
  return p;
}

BootstrapForecast OldRule(const People& p) {
  const std::string source = std::string(" (") + kOldRule + ")";
  if (!p.unknown_uid.empty()) {
    return CannotTell(
        "cannot tell which account is the first: the UID of " + p.unknown_uid + " is unknown",
        "make every account's UID observable");
  }
  if (!p.first) {
    std::string why = "no account was created (account creation was skipped)";
    return None(why, "no Bootstrap Token will be escrowed: " + why + source,
                "create an admin account before enrolling");
  }
  if (p.first->admin == false) {
    std::string why = "the first account, " + p.first->name + ", is a standard user";
    return None(why,
                "no Bootstrap Token will be escrowed: " + why + source +
                    "; grants that rely on it are blocked",
                "make " + p.first->name +
                    " an admin before enrolling, or install an agent with a token admin's "
                    "credentials so tokens do not rely on the Bootstrap Token");
  }
  if (!p.first->admin || p.token_admin == Tri::kMaybe) {
    return CannotTell(p.first->admin ? "cannot tell whether any admin holds a SecureToken"
                                     : "cannot tell whether the first account, " + p.first->name +
                                           ", is an admin",
                      "make admin membership and SecureTokens observable, then predict again");
  }
  if (p.token_admin == Tri::kNo) {
    std::string why = "no admin holds a SecureToken to escrow it at login";
    return None(why, "no Bootstrap Token will be escrowed: " + why + source,
                "grant an admin a SecureToken before enrolling");
  }
  return {true, std::string("escrowed when a SecureToken admin next logs in (") + kOldRule + ")",
          std::nullopt};
}

BootstrapForecast NewRule(const People& p) {
  const std::string source = std::string(" (") + kNewRule + ")";
  if (p.token_holder == Tri::kMaybe) {
    return CannotTell("cannot tell whether any person holds a SecureToken",
                      "make SecureTokens observable, then predict again");
  }
  if (p.token_holder == Tri::kNo) {
    std::string why = "no person holds a SecureToken to escrow it at login";
    return None(
        why, "no Bootstrap Token will be escrowed: " + why + source,
        "grant a person a SecureToken before enrolling; after enrolling, only a SecureToken "
        "admin can escrow one by hand (`sudo profiles install -type bootstraptoken`)");
  }
  return {true,
          std::string("escrowed at a SecureToken holder's next graphical login, with the network "
                      "up (") +
              kNewRule + ")",
          std::nullopt};
}

// The seed's rule, kept as a warning where macOS no longer enforces it.
std::optional<ReadinessReason> StandardFirstWarning(const People& p) {
  if (!p.first || p.first->admin != false) return std::nullopt;
  return ReadinessReason{
      "standard-first-account", "",
      "the first account, " + p.first->name +
          ", is a standard user: macOS 10.15.4 and later still escrow the Bootstrap Token at a "
          "SecureToken holder's login, but some MDM vendors (JumpCloud) expect an "
          "admin first",
      "check your MDM's documentation, or make " + p.first->name + " an admin before enrolling"};
}

BootstrapForecast NoneBefore1015() {
  std::string why = "macOS before 10.15 has no Bootstrap Token";
  return None(why, "no Bootstrap Token will be escrowed: " + why + " (" + kNoneRule + ")",
              "update macOS (to 11 or later, where the Bootstrap Token grants any user a "
              "SecureToken) before enrolling, or install an agent with a token admin's "
              "credentials");
}

BootstrapForecast ForEra(BootstrapEra era, const People& p) {
  switch (era) {
    case BootstrapEra::kNone: return NoneBefore1015();
    case BootstrapEra::kAdminEscrows: return OldRule(p);
    case BootstrapEra::kHolderEscrows:
    case BootstrapEra::kGrantsAnyone: break;
  }
  return NewRule(p);
}

// The version is unknown: each era's answer, said once each. Where they
// all agree that there is none, there is none; otherwise cannot tell.
BootstrapForecast WhateverTheVersion(const People& p) {
  std::string answers;
  std::string newest_fix;
  bool all_none = true;
  for (BootstrapEra era :
       {BootstrapEra::kNone, BootstrapEra::kAdminEscrows, BootstrapEra::kHolderEscrows}) {
    BootstrapForecast f = ForEra(era, p);
    all_none = all_none && f.escrowed == false;
    if (f.warning) newest_fix = f.warning->fix;
    const char* versions =
        era == BootstrapEra::kHolderEscrows ? "10.15.4 and later" : VersionsOf(era);
    std::string answer = f.escrowed == true    ? f.why
                         : f.escrowed == false ? "none: " + f.why
                                               : "cannot tell: " + f.why;
    answers += std::string(answers.empty() ? "" : "; ") + "on macOS " + versions + ", " + answer;
  }
  if (all_none) {
    std::string why =
        "the macOS version is unknown, and no version's rule escrows one here (" + answers + ")";
    return None(why, "no Bootstrap Token will be escrowed: " + why, newest_fix);
  }
  return CannotTell(
      "the macOS version is unknown, and the versions' rules answer differently (" + answers + ")",
      "make the macOS version known (sw_vers -productVersion), then predict again");
}

}  // namespace

BootstrapForecast ForecastBootstrap(const MdmSpec& mdm, const DeviceState& device, bool headless) {
  if (!mdm.escrows_bootstrap_token) {
    return {false, mdm.name + " does not use the Bootstrap Token", std::nullopt};
  }
  if (mdm.skip_account_creation) {
    std::string why =
        "automated enrollment skips creating a local account, and then no Bootstrap Token is "
        "created (JumpCloud's Best Practices for macOS Accounts; Apple Platform Deployment)";
    return None(why, "no Bootstrap Token will be escrowed: " + why,
                "let Setup Assistant create the first account (an admin), or install an agent "
                "with a token admin's credentials");
  }
  if (headless) {
    std::string why =
        "nobody logs in at this Mac's console (headless: true), and macOS escrows the Bootstrap "
        "Token only at a graphical login";
    return None(why, "no Bootstrap Token will be escrowed: " + why,
                "log in once at the console as a SecureToken holder after enrolling, or install "
                "an agent with a token admin's credentials");
  }
  const People people = Read(device);
  if (Known<BootstrapEra> era = EraOf(device.os_version)) {
    BootstrapForecast forecast = ForEra(*era, people);
    if (*era != BootstrapEra::kNone && !forecast.warning) {
      forecast.warning = StandardFirstWarning(people);
    }
    return forecast;
  }
  return WhateverTheVersion(people);
}

}  // namespace accord
