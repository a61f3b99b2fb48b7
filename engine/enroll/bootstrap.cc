// The Bootstrap Token forecast from the Mac's accounts.
#include "enroll/bootstrap.h"

#include "core/names.h"
#include "safety/contributions.h"

namespace accord {
namespace {

BootstrapForecast None(std::string why, std::string message, std::string fix) {
  return {false, why,
          ReadinessReason{"no-bootstrap-token", "", std::move(message), std::move(fix)}};
}

BootstrapForecast CannotTell(std::string why, std::string fix) {
  std::string message = "cannot tell whether a Bootstrap Token will be escrowed: " + why;
  return {std::nullopt, std::move(why),
          ReadinessReason{"bootstrap-token-unknown", "", std::move(message), std::move(fix)}};
}

}  // namespace

BootstrapForecast ForecastBootstrap(const MdmSpec& mdm, const DeviceState& device) {
  if (!mdm.escrows_bootstrap_token) {
    return {false, mdm.name + " does not use the Bootstrap Token", std::nullopt};
  }
  // The first account is the person's with the lowest UID (Setup
  // Assistant's 501); role accounts never log in to escrow a token.
  const ObservedUser* first = nullptr;
  std::string unknown_uid;
  Tri token_admin = Tri::kNo;
  for (const ObservedUser& u : device.users) {
    if (IsRoleAccount(u.name)) continue;
    token_admin = Or(token_admin, Contributes(Keep::kTokenAdmin, u));
    if (!u.uid) {
      unknown_uid = u.name;
    } else if (*u.uid >= kFirstPersonUid && (!first || *u.uid < *first->uid)) {
      first = &u;
    }
  }
  const std::string source =
      " (the source document: no Bootstrap Token is created if the first account is a standard "
      "user or account creation is skipped)";
  if (!unknown_uid.empty()) {
    return CannotTell(
        "cannot tell which account is the first: the UID of " + unknown_uid + " is unknown",
        "make every account's UID observable");
  }
  if (!first) {
    std::string why = "no account was created (account creation was skipped)";
    return None(why, "no Bootstrap Token will be escrowed: " + why + source,
                "create an admin account before enrolling");
  }
  if (first->admin == false) {
    std::string why = "the first account, " + first->name + ", is a standard user";
    return None(why,
                "no Bootstrap Token will be escrowed: " + why + source +
                    "; grants that rely on it are blocked",
                "make " + first->name +
                    " an admin before enrolling, or install an agent with a token admin's "
                    "credentials so tokens do not rely on the Bootstrap Token");
  }
  if (!first->admin || token_admin == Tri::kMaybe) {
    return CannotTell(
        first->admin ? "cannot tell whether any admin holds a SecureToken"
                     : "cannot tell whether the first account, " + first->name + ", is an admin",
        "make admin membership and SecureTokens observable, then predict again");
  }
  if (token_admin == Tri::kNo) {
    std::string why = "no admin holds a SecureToken to escrow it at login";
    return None(why, "no Bootstrap Token will be escrowed: " + why,
                "grant an admin a SecureToken before enrolling");
  }
  return {true, "escrowed when a SecureToken admin next logs in", std::nullopt};
}

}  // namespace accord
