// SPDX-License-Identifier: Apache-2.0
// UidLedger: which UIDs a Mac's accounts and homes hold, and whether that
// can be told at all. The one answer to "may this UID be given to a new
// account?" for the resolve stage (plan/resolve) and enrollment prediction
// (enroll/predict): a UID held by an account or a kept home is never given
// again (uid-reuse), and while an account's UID or a home's owner is
// unknown, no UID is chosen (any could be the unknown one).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "model/device_state.h"

namespace accord {

class UidLedger {
 public:
  explicit UidLedger(const DeviceState& mac);

  // What keeps every new UID from being chosen: "the UID of account x"
  // (accounts first, in the Mac's order), "the owner of /Users/y"; nullopt
  // when every UID is known.
  const std::optional<std::string>& Unknown() const { return unknown_; }

  // Who holds `uid`: "account alice", "the kept home /Users/bob" (an
  // account first), or "" for nobody.
  std::string Holder(std::int64_t uid) const;
  // The path of the first home `uid` owns, or nullopt.
  std::optional<std::string> HomeOf(std::int64_t uid) const;

  // Counts `uid` as taken from now on (a UID the file gives, or one just chosen).
  void Reserve(std::int64_t uid) { reserved_.insert(uid); }

  // The highest UID in [first, last] held or reserved, or nullopt.
  std::optional<std::int64_t> HighestIn(std::int64_t first, std::int64_t last) const;
  // The highest UID held by an account or a home, or nullopt for none.
  std::optional<std::int64_t> Highest() const;

 private:
  std::map<std::int64_t, std::string> accounts_;  // UID → first account's name
  std::map<std::int64_t, std::string> homes_;     // UID → first home's path
  std::set<std::int64_t> reserved_;
  std::optional<std::string> unknown_;
};

}  // namespace accord
