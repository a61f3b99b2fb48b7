// SPDX-License-Identifier: Apache-2.0
// Account matching and deterministic UID allocation.
#include "plan/resolve.h"

#include <set>
#include <unordered_map>

#include "core/name_index.h"
#include "core/names.h"
#include "plan/uid_ledger.h"

namespace accord {
namespace {

// macOS's own choice when no range is given: the next UID after the highest
// in use from 501 up.
const UidRange kDefaultRange{"default", kFirstPersonUid, kMaxUid};

std::string RangeText(const UidRange& r) {
  return r.name + " (" + std::to_string(r.first) + "-" + std::to_string(r.last) + ")";
}

class Resolver {
 public:
  Resolver(const DesiredState& d, const DeviceState& m)
      : d_(d), declared_(d.users), observed_(m.users), ledger_(m) {
    for (const ObservedUser& u : m.users) {
      by_lowercase_name_.emplace(ToLower(u.name), &u);
      if (u.uid) by_uid_.emplace(*u.uid, &u);
    }
  }

  Result<Resolution> Run() {
    for (const DesiredUser& u : d_.users) {
      if (u.uid) ledger_.Reserve(*u.uid);  // the file's own UIDs are taken too
    }
    for (const DesiredUser& u : d_.users) {
      CheckCaseVariant(u);
      if (u.ensure == Ensure::kPresent) {
        CheckFullNameAlias(u);
        if (observed_.Find(u.name)) continue;
        if (Status problem = CheckNewShortName(u.name); !problem.ok()) {
          Error("users." + u.name, false,
                "no account named " + Printable(u.name) + " exists on this Mac to manage, and " +
                    problem.message());
          continue;
        }
        Allocate(u);
      }
    }
    if (!errors_.empty()) {
      SortByPosition(errors_);
      return errors_;
    }
    return std::move(out_);
  }

 private:
  void Error(const std::string& path, bool at_value, std::string message) {
    SourcePos pos = at_value ? d_.source.Value(path) : d_.source.Key(path);
    errors_.push_back(
        {Severity::kError, d_.source.File(path, d_.file), pos, path, std::move(message)});
  }

  void CheckCaseVariant(const DesiredUser& u) {
    auto it = by_lowercase_name_.find(ToLower(u.name));
    if (it != by_lowercase_name_.end() && it->second->name != u.name) {
      const ObservedUser* other = it->second;
      Error("users." + u.name, false,
            "this Mac has an account named " + Printable(other->name) + ", which differs from " +
                Printable(u.name) +
                " only in case; macOS names are case-insensitive, so Accord will not create a "
                "second account or take that one over under another spelling");
    }
  }

  void CheckFullNameAlias(const DesiredUser& u) {
    if (!u.full_name) return;
    auto it = by_lowercase_name_.find(ToLower(*u.full_name));
    if (it == by_lowercase_name_.end()) return;
    const ObservedUser& other = *it->second;
    if (other.name != u.name && !declared_.Find(other.name)) {
      Error("users." + u.name + ".full_name", true,
            "full name " + Printable(*u.full_name) + " is the short name of account " +
                Printable(other.name) + " on this Mac; full names are login aliases");
    }
  }

  void Allocate(const DesiredUser& u) {
    UidChoice choice;
    const std::string path = "users." + u.name;
    if (u.uid) {
      if (auto owner = by_uid_.find(*u.uid); owner != by_uid_.end()) {
        Error(path + ".uid", true,
              "uid " + std::to_string(*u.uid) + " belongs to account " +
                  Printable(owner->second->name) + " on this Mac");
        return;
      }
      choice.how = "explicit";
      // An unknown UID is every UID it could be: this one too.
      if (const std::optional<std::string>& unknown = ledger_.Unknown()) {
        choice.refusal = UidUnknown(*unknown, *u.uid);
      } else if (std::optional<std::string> home = ledger_.HomeOf(*u.uid)) {
        choice.refusal = UidReuse(*u.uid, *home);
      } else {
        choice.uid = u.uid;
      }
      out_.new_uids.emplace(u.name, choice);
      return;
    }
    if (!u.uid_range && !d_.uid_ranges.empty()) {
      // macOS's own choice (the next after the highest UID in use) could
      // land inside a range kept for others: the file must say.
      std::vector<std::string> names;
      for (const UidRange& r : d_.uid_ranges) names.push_back(RangeText(r));
      Error(path, false,
            Printable(u.name) + " is created, and the file declares UID ranges (" +
                JoinWords(names) +
                "), so it must say which one: give it a uid_range or an explicit uid");
      return;
    }
    const UidRange* range = u.uid_range ? d_.FindRange(*u.uid_range) : &kDefaultRange;
    if (!range || range->first > range->last) return;  // reported by the loader
    if (const std::optional<std::string>& unknown = ledger_.Unknown()) {
      choice.refusal = UidUnknown(*unknown);
      out_.new_uids.emplace(u.name, choice);
      return;
    }
    std::int64_t highest = ledger_.HighestIn(range->first, range->last).value_or(range->first - 1);
    // The next UID is past the range: only this creation is refused, and
    // the rest of the plan is still made.
    if (highest >= range->last) {
      choice.refusal = UidRangeFull(u.name, *range, u.uid_range);
      out_.new_uids.emplace(u.name, choice);
      return;
    }
    choice.uid = highest + 1;
    choice.how = "next free UID in range " + RangeText(*range);
    ledger_.Reserve(*choice.uid);
    out_.new_uids.emplace(u.name, choice);
  }

  const DesiredState& d_;
  NameIndex<DesiredUser> declared_;
  NameIndex<ObservedUser> observed_;
  std::unordered_map<std::string, const ObservedUser*> by_lowercase_name_;
  std::map<std::int64_t, const ObservedUser*> by_uid_;
  UidLedger ledger_;
  Resolution out_;
  Diagnostics errors_;
};

}  // namespace

Result<Resolution> Resolve(const DesiredState& desired, const DeviceState& device) {
  return Resolver(desired, device).Run();
}

}  // namespace accord
