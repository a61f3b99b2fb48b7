// SPDX-License-Identifier: Apache-2.0
// Running counts of what keeps each counting rule (DOMAIN §4) over a whole
// Mac: how many accounts (and the FileVault state) certainly count, and how
// many possibly do. Updated per step, so checking a plan stays linear.
#pragma once

#include <array>
#include <cstddef>

#include "model/device_state.h"
#include "model/effect.h"
#include "safety/contributions.h"

namespace accord {

class RuleCounts {
 public:
  RuleCounts() = default;
  explicit RuleCounts(const DeviceState& device);

  // sign +1 adds an account or FileVault state, -1 takes it away.
  void Add(const ObservedUser& u, int sign);
  void Add(const FileVaultState& fv, int sign);

  int Certain(Keep keep) const { return certain_[Index(keep)]; }
  int Possible(Keep keep) const { return possible_[Index(keep)]; }
  // Holds in every world (kYes), in none (kNo), or cannot tell.
  Tri Holds(Keep keep) const;
  // How many unobserved facts stand behind the "cannot tell"s of `keep`.
  std::size_t Unknowns(Keep keep) const { return static_cast<std::size_t>(unknowns_[Index(keep)]); }
  // Accounts that may hold a SecureToken: when none does, the next account
  // whose password is set gets the first one (DOMAIN §1).
  int PossibleTokenHolders() const { return possible_token_holders_; }
  int CertainTokenHolders() const { return certain_token_holders_; }
  // Whether the next account created with a password gets the first
  // SecureToken (model/effect's rule, over these counts).
  Known<bool> NextGetsFirstToken() const {
    return accord::NextGetsFirstToken(possible_token_holders_, certain_token_holders_);
  }

 private:
  static std::size_t Index(Keep keep) { return static_cast<std::size_t>(keep); }
  void Count(Keep keep, Tri t, int sign);

  std::array<int, 3> certain_{};
  std::array<int, 3> possible_{};
  std::array<std::ptrdiff_t, 3> unknowns_{};
  int possible_token_holders_ = 0;
  int certain_token_holders_ = 0;
};

}  // namespace accord
