// Rule findings over a whole Mac.
#include "safety/findings.h"

#include "safety/contributions.h"

namespace accord {
namespace {

// "cannot tell whether bob is an admin; …" for every unknown of the Mac.
std::string UnknownsText(Keep keep, const DeviceState& device) {
  std::vector<Unknown> unknowns;
  for (const ObservedUser& u : device.users) {
    for (Unknown& x : UnknownsOf(keep, u)) unknowns.push_back(std::move(x));
  }
  for (Unknown& x : UnknownsOf(keep, device.filevault)) unknowns.push_back(std::move(x));
  return CannotTell(unknowns);
}

}  // namespace

std::string CountOf(int n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

std::vector<Finding> ExistingViolations(const DeviceState& device) {
  RuleCounts counts(device);
  std::vector<Finding> out;
  auto add = [&](Keep keep, const std::string& broken, const std::string& unsure,
                 const std::string& see) {
    Tri holds = counts.Holds(keep);
    if (holds == Tri::kYes) return;
    std::string message =
        (holds == Tri::kNo ? broken : unsure + ": " + UnknownsText(keep, device)) + see;
    out.push_back({FindingLevel::kWarning, RuleId(RuleOf(keep)), "", std::move(message)});
  };
  add(Keep::kAdmin, "this Mac has no admin account now",
      "cannot tell whether this Mac has an admin account now", "");
  add(Keep::kTokenAdmin, "no admin on this Mac holds a SecureToken now",
      "cannot tell whether an admin on this Mac holds a SecureToken now", "");
  add(Keep::kUnlock, "after a reboot now nobody could unlock this Mac",
      "after a reboot now there is no certain way to unlock this Mac", " (see `accord unlockers`)");
  return out;
}

std::optional<Finding> TokenAdminPolicy(const RuleCounts& after, int min_token_admins) {
  int certain = after.Certain(Keep::kTokenAdmin);
  if (certain >= min_token_admins) return std::nullopt;
  int doubtful = after.Possible(Keep::kTokenAdmin) - certain;
  std::string message = "after this plan " + CountOf(certain, "admin", "admins") +
                        (doubtful > 0 ? " certainly" : "") + (certain == 1 ? " holds" : " hold") +
                        " a SecureToken";
  if (doubtful > 0) message += " (cannot tell for " + std::to_string(doubtful) + " more)";
  message += "; policy.min_token_admins is " + std::to_string(min_token_admins) +
             " (keep a second token admin, as the source document advises)";
  return Finding{FindingLevel::kWarning, RuleId(Rule::kLastTokenAdmin), "", std::move(message)};
}

}  // namespace accord
