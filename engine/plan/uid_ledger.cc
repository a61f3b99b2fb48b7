// SPDX-License-Identifier: Apache-2.0
// The UIDs a Mac holds, and whether they can all be told.
#include "plan/uid_ledger.h"

#include <algorithm>

namespace accord {

UidLedger::UidLedger(const DeviceState& mac) {
  std::optional<std::string> unknown_home;
  for (const ObservedUser& u : mac.users) {
    if (u.uid) {
      accounts_.emplace(*u.uid, u.name);
    } else if (!unknown_) {
      unknown_ = "the UID of account " + u.name;
    }
  }
  for (const ObservedHome& h : mac.homes) {
    if (h.uid) {
      homes_.emplace(*h.uid, h.path);
    } else if (!unknown_home) {
      unknown_home = "the owner of " + h.path;
    }
  }
  if (!unknown_) unknown_ = unknown_home;
}

std::string UidLedger::Holder(std::int64_t uid) const {
  if (auto a = accounts_.find(uid); a != accounts_.end()) return "account " + a->second;
  if (auto h = homes_.find(uid); h != homes_.end()) return "the kept home " + h->second;
  return "";
}

std::optional<std::string> UidLedger::HomeOf(std::int64_t uid) const {
  auto h = homes_.find(uid);
  return h == homes_.end() ? std::nullopt : std::optional<std::string>(h->second);
}

namespace {

template <typename Keys>
void RaiseTo(std::optional<std::int64_t>& highest, const Keys& keys, std::int64_t first,
             std::int64_t last) {
  auto it = keys.upper_bound(last);
  if (it == keys.begin()) return;
  std::int64_t uid;
  if constexpr (std::is_same_v<Keys, std::set<std::int64_t>>) {
    uid = *std::prev(it);
  } else {
    uid = std::prev(it)->first;
  }
  if (uid >= first) highest = std::max(highest.value_or(uid), uid);
}

}  // namespace

std::optional<std::int64_t> UidLedger::HighestIn(std::int64_t first, std::int64_t last) const {
  std::optional<std::int64_t> highest;
  RaiseTo(highest, accounts_, first, last);
  RaiseTo(highest, homes_, first, last);
  RaiseTo(highest, reserved_, first, last);
  return highest;
}

std::optional<std::int64_t> UidLedger::Highest() const {
  std::optional<std::int64_t> highest;
  if (!accounts_.empty()) highest = accounts_.rbegin()->first;
  if (!homes_.empty())
    highest = std::max(highest.value_or(homes_.rbegin()->first), homes_.rbegin()->first);
  return highest;
}

}  // namespace accord
