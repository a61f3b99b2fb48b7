// SPDX-License-Identifier: Apache-2.0
// Rule findings over a whole Mac.
#include "safety/findings.h"

#include <algorithm>

#include "core/names.h"
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

std::optional<Finding> VolumeOwnerPolicy(const std::vector<const ObservedUser*>& after) {
  bool reported = std::any_of(after.begin(), after.end(),
                              [](const ObservedUser* u) { return u->volume_owner.has_value(); });
  if (!reported) return std::nullopt;  // Intel, or ownership not shown: nothing to say
  int certain = 0;
  std::vector<std::string> possible;
  for (const ObservedUser* u : after) {
    if (u->admin == true && u->volume_owner == true) ++certain;
    if (u->admin != false && u->volume_owner != false) possible.push_back(u->name);
  }
  if (certain > 0) return std::nullopt;
  Finding f;
  f.level = FindingLevel::kWarning;
  f.kind = "no-admin-volume-owner";
  if (possible.empty()) {
    f.message =
        "after this plan no admin is a volume owner: macOS updates and startup security changes "
        "could not be authorized on this Mac (Apple silicon); keep an admin who holds a "
        "SecureToken and is a volume owner";
  } else {
    f.message = "cannot tell whether any admin is a volume owner after this plan (" +
                possible.front() + (possible.size() > 1 ? " and others" : "") +
                " might be); without one, macOS updates could not be authorized (Apple silicon)";
  }
  return f;
}

std::string EscrowPendingWords(const FileVaultState& fv) {
  return "the recovery key is escrow-pending" +
         (fv.escrow_pending_since ? " since " + *fv.escrow_pending_since : std::string()) +
         ": it is no unlock path until the MDM confirms it holds the key (Fleet: the host's disk "
         "encryption status \"verified\"); then `accord apply --escrow-verified TIME` (Fleet: "
         "encryption_key.updated_at) records it, and removes the key's root-only copy";
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
  if (const FileVaultState& fv = device.filevault; fv.escrow_pending) {
    out.push_back({FindingLevel::kWarning, "escrow-pending", "", EscrowPendingWords(fv)});
  }
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
  message +=
      "; policy.min_token_admins is " + std::to_string(min_token_admins) +
      " (keep a second token admin, as JumpCloud's Best Practices for macOS Accounts advises)";
  return Finding{FindingLevel::kWarning, RuleId(Rule::kLastTokenAdmin), "", std::move(message)};
}

}  // namespace accord
