// Account matching and deterministic UID allocation.
#include "plan/resolve.h"

#include <set>
#include <unordered_map>

#include "core/name_index.h"
#include "core/names.h"

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
      : d_(d), m_(m), declared_(d.users), observed_(m.users) {
    for (const ObservedUser& u : m.users) {
      by_lowercase_name_.emplace(ToLower(u.name), &u);
      if (u.uid) by_uid_.emplace(*u.uid, &u);
    }
  }

  Result<Resolution> Run() {
    CollectTaken();
    for (const DesiredUser& u : d_.users) {
      CheckCaseVariant(u);
      if (u.ensure == Ensure::kPresent) {
        CheckFullNameAlias(u);
        if (observed_.Find(u.name)) continue;
        if (auto problem = NewShortNameProblem(u.name)) {
          Error("users." + u.name, false,
                "no account named " + Printable(u.name) + " exists on this Mac to manage, and " +
                    *problem);
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

  void CollectTaken() {
    for (const ObservedUser& u : m_.users) {
      if (u.uid) {
        account_uids_.insert(*u.uid);
      } else {
        unknown_uid_accounts_.push_back(u.name);
      }
    }
    for (const ObservedHome& h : m_.homes) {
      if (h.uid) {
        home_uids_.insert(*h.uid);
      } else {
        unknown_owner_homes_.push_back(h.path);
      }
    }
    for (const DesiredUser& u : d_.users) {
      if (u.uid) file_uids_.insert(*u.uid);
    }
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

  bool Taken(std::int64_t uid) const {
    return account_uids_.count(uid) || home_uids_.count(uid) || file_uids_.count(uid) ||
           allocated_.count(uid);
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
      if (home_uids_.count(*u.uid)) {
        choice.refusal = UidReuse(*u.uid, HomeOwnedBy(*u.uid));
      } else {
        choice.uid = u.uid;
      }
      out_.new_uids.emplace(u.name, choice);
      return;
    }
    const UidRange* range = u.uid_range ? d_.FindRange(*u.uid_range) : &kDefaultRange;
    if (!range || range->first > range->last) return;  // reported by the loader
    if (!unknown_uid_accounts_.empty() || !unknown_owner_homes_.empty()) {
      choice.refusal = UidUnknown(unknown_uid_accounts_.empty()
                                      ? "the owner of " + unknown_owner_homes_.front()
                                      : "the UID of account " + unknown_uid_accounts_.front());
      out_.new_uids.emplace(u.name, choice);
      return;
    }
    std::int64_t highest = range->first - 1;
    for (const std::set<std::int64_t>* taken :
         {&account_uids_, &home_uids_, &file_uids_, &allocated_}) {
      auto it = taken->upper_bound(range->last);
      if (it != taken->begin() && *std::prev(it) >= range->first) {
        highest = std::max(highest, *std::prev(it));
      }
    }
    // The next UID is past the range: only this creation is refused, and
    // the rest of the plan is still made.
    if (highest >= range->last) {
      choice.refusal = UidRangeFull(u.name, *range, u.uid_range);
      out_.new_uids.emplace(u.name, choice);
      return;
    }
    choice.uid = highest + 1;
    choice.how = "next free UID in range " + RangeText(*range);
    allocated_.insert(*choice.uid);
    out_.new_uids.emplace(u.name, choice);
  }

  std::string HomeOwnedBy(std::int64_t uid) const {
    for (const ObservedHome& h : m_.homes) {
      if (h.uid == uid) return h.path;
    }
    return "?";
  }

  const DesiredState& d_;
  const DeviceState& m_;
  NameIndex<DesiredUser> declared_;
  NameIndex<ObservedUser> observed_;
  std::unordered_map<std::string, const ObservedUser*> by_lowercase_name_;
  std::map<std::int64_t, const ObservedUser*> by_uid_;
  std::set<std::int64_t> account_uids_, home_uids_, file_uids_, allocated_;
  std::vector<std::string> unknown_uid_accounts_, unknown_owner_homes_;
  Resolution out_;
  Diagnostics errors_;
};

}  // namespace

Result<Resolution> Resolve(const DesiredState& desired, const DeviceState& device) {
  return Resolver(desired, device).Run();
}

}  // namespace accord
