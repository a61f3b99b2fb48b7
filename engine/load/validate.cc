// SPDX-License-Identifier: Apache-2.0
// Semantic checks of desired state: names, ranges, UIDs, secrets, authority.
#include "load/validate.h"

#include <map>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/names.h"
#include "model/user_fields.h"

namespace accord {
namespace {

class Checker {
 public:
  explicit Checker(const DesiredState& s) : s_(s) {}

  Diagnostics Run() {
    Ranges();
    RangeSizes();
    for (const DesiredUser& u : s_.users) User(u);
    FullNames();
    Homes();
    ExplicitUids();
    Authority();
    AbsentAuthority();
    FileVaultEnabler();
    return std::move(errors_);
  }

 private:
  void ErrorAtKey(const std::string& path, std::string message) {
    errors_.push_back({Severity::kError, s_.source.File(path, s_.file), s_.source.Key(path), path,
                       std::move(message)});
  }
  void WarnAtKey(const std::string& path, std::string message) {
    errors_.push_back({Severity::kWarning, s_.source.File(path, s_.file), s_.source.Key(path), path,
                       std::move(message)});
  }
  void WarnAtValue(const std::string& path, std::string message) {
    errors_.push_back({Severity::kWarning, s_.source.File(path, s_.file), s_.source.Value(path),
                       path, std::move(message)});
  }
  void ErrorAtValue(const std::string& path, std::string message) {
    errors_.push_back({Severity::kError, s_.source.File(path, s_.file), s_.source.Value(path), path,
                       std::move(message)});
  }

  void Ranges() {
    for (std::size_t i = 0; i < s_.uid_ranges.size(); ++i) {
      const UidRange& r = s_.uid_ranges[i];
      const std::string path = "uid_ranges." + r.name;
      if (Status problem = CheckNewShortName(r.name); !problem.ok()) {
        ErrorAtKey(path, "invalid range name " + Printable(r.name) + ": " + problem.message());
      }
      if (r.first == 1 && r.last == 0) continue;  // incomplete, reported by the loader
      if (r.first > r.last) {
        ErrorAtValue(path + ".last", "range " + r.name + " is empty: last (" +
                                         std::to_string(r.last) + ") is below first (" +
                                         std::to_string(r.first) + ")");
        continue;
      }
      for (std::size_t j = 0; j < i; ++j) {
        const UidRange& o = s_.uid_ranges[j];
        if (o.first <= o.last && r.first <= o.last && o.first <= r.last) {
          ErrorAtKey(path, "range " + r.name + " (" + std::to_string(r.first) + "-" +
                               std::to_string(r.last) + ") overlaps range " + o.name + " (" +
                               std::to_string(o.first) + "-" + std::to_string(o.last) + ")");
        }
      }
    }
  }

  // A range with fewer UIDs than the users drawing from it will refuse some
  // creations at plan time: say so now.
  void RangeSizes() {
    for (const UidRange& r : s_.uid_ranges) {
      if (r.first > r.last) continue;
      std::int64_t users = 0;
      for (const DesiredUser& u : s_.users) {
        users += u.ensure == Ensure::kPresent && u.uid_range == r.name;
      }
      std::int64_t size = r.last - r.first + 1;
      if (users > size) {
        WarnAtKey("uid_ranges." + r.name,
                  "range " + r.name + " (" + std::to_string(r.first) + "-" +
                      std::to_string(r.last) + ") has " + std::to_string(size) +
                      (size == 1 ? " UID" : " UIDs") + " for " + std::to_string(users) +
                      " users assigned to it; creations past its end will be refused");
      }
    }
  }

  void User(const DesiredUser& u) {
    const std::string path = "users." + u.name;
    if (Status problem = CheckShortName(u.name); !problem.ok()) {
      ErrorAtKey(path, "invalid short name " + Printable(u.name) + ": " + problem.message());
    } else if (HasCapitals(u.name) && u.ensure == Ensure::kPresent) {
      WarnAtKey(path, "short name " + Printable(u.name) +
                          " has capitals: it can only manage an existing account of exactly that "
                          "name; a new account must be lowercase ('" +
                          ToLower(u.name) + "')");
    }
    if (u.full_name) {
      if (Status problem = CheckFullName(*u.full_name); !problem.ok())
        ErrorAtValue(path + ".full_name", problem.message());
    }
    for (const auto& [key, value] : {std::pair{"shell", u.shell}, std::pair{"home", u.home}}) {
      if (value && (value->empty() || value->front() != '/')) {
        ErrorAtValue(path + "." + key, std::string(key) + " must be an absolute path");
      }
    }
    if (u.uid_range) {
      const UidRange* range = s_.FindRange(*u.uid_range);
      if (!range) {
        std::vector<std::string_view> names;
        for (const UidRange& r : s_.uid_ranges) names.push_back(r.name);
        std::string hint = DidYouMean(*u.uid_range, names);
        ErrorAtValue(path + ".uid_range", "no UID range named " + Printable(*u.uid_range) +
                                              (hint.empty() ? " under uid_ranges" : hint));
      } else if (u.uid && range->first <= range->last && !range->Contains(*u.uid)) {
        ErrorAtValue(path + ".uid", "uid " + std::to_string(*u.uid) + " is outside its range " +
                                        range->name + " (" + std::to_string(range->first) + "-" +
                                        std::to_string(range->last) + ")");
      }
    }
    if (u.password_update == PasswordUpdate::kChange && !u.old_password) {
      ErrorAtValue(path + ".password_update",
                   "password_update: change needs old_password (a change that knows the old "
                   "password keeps FileVault and the keychain in step)");
    }
    if (u.old_password && u.password_update != PasswordUpdate::kChange) {
      ErrorAtKey(path + ".old_password", "old_password is used only with password_update: change");
    }
    if (u.password_update != PasswordUpdate::kOnCreate && !u.password) {
      ErrorAtValue(path + ".password_update", std::string("password_update: ") +
                                                  ToString(u.password_update) +
                                                  " needs password, the new password");
    }
    if (u.ensure == Ensure::kAbsent) {
      AbsentUser(u, path);
    } else if (u.remove_home) {
      ErrorAtKey(path + ".remove_home", "remove_home applies only with ensure: absent");
    }
  }

  // Whether a field asks for something: an optional that is set, a flag
  // that is true. A plain enum (ensure, password_update) always has a
  // value, and its default asks for nothing.
  template <typename T>
  static bool Asks(const std::optional<T>& v) {
    return v.has_value();
  }
  static bool Asks(bool v) { return v; }
  template <typename E>
  requires std::is_enum_v<E>
  static bool Asks(E) { return false; }

  void AbsentUser(const DesiredUser& u, const std::string& path) {
    ForEachUserField([&](std::string_view key, auto field) {
      if (key == "remove_home" || key == "allow_system_account" ||
          !Asks(u.*decltype(field)::member)) {
        return;
      }
      ErrorAtKey(path + "." + std::string(key),
                 std::string(key) +
                     " cannot be set on a user with ensure: absent (only remove_home and "
                     "allow_system_account apply)");
    });
  }

  // A full name is a login alias too: it must not be another account's
  // short name, or logging in by that name becomes ambiguous.
  void FullNames() {
    std::map<std::string, std::string> short_names;  // lowercased → name
    for (const DesiredUser& u : s_.users) short_names.emplace(ToLower(u.name), u.name);
    for (const DesiredUser& u : s_.users) {
      if (!u.full_name || u.full_name->empty()) continue;
      auto it = short_names.find(ToLower(*u.full_name));
      if (it != short_names.end() && it->second != u.name) {
        ErrorAtValue("users." + u.name + ".full_name",
                     "full name " + Printable(*u.full_name) + " is the short name of user " +
                         it->second + "; full names are login aliases and must not collide");
      }
    }
  }

  // What the file alone shows of the home-in-use and system-home harm
  // rules (safety/harms.h): two accounts with one home (as macOS compares
  // paths on its default volume, without case), a warning since the file
  // cannot tell which exist already (an import of a Mac where two share
  // one says so), while plan refuses to create either on it; and
  // remove_home on root or a '_' role account, an error.
  void Homes() {
    std::unordered_map<std::string, const DesiredUser*> owners;  // normal, lowercased home → user
    owners.reserve(s_.users.size());
    for (const DesiredUser& u : s_.users) {
      const std::string path = "users." + u.name;
      if (u.ensure == Ensure::kAbsent) {
        if (u.remove_home && (u.name == "root" || IsRoleAccount(u.name))) {
          ErrorAtKey(path + ".remove_home",
                     u.name + " is a system account: its home is never erased [system-home]");
        }
        continue;
      }
      std::string home = u.home.value_or("/Users/" + u.name);
      std::string key = ToLower(NormalPath(home));
      auto [it, fresh] = owners.emplace(key, &u);
      if (fresh) continue;
      // Said at the home the file wrote out, rather than at a default.
      const DesiredUser* said = &u;
      const DesiredUser* other = it->second;
      if (!u.home && other->home) std::swap(said, other);
      std::string message = "home " + Printable(home) + " is also users." + other->name +
                            "'s home" + (other->home ? "" : " (its default)") +
                            ": no account is created with a home another has [home-in-use]";
      if (said->home) {
        WarnAtValue("users." + said->name + ".home", std::move(message));
      } else {
        WarnAtKey("users." + said->name, std::move(message));
      }
    }
  }

  void ExplicitUids() {
    std::map<std::int64_t, std::string> owners;
    for (const DesiredUser& u : s_.users) {
      if (!u.uid) continue;
      // DOMAIN §1: UIDs below 500 are the system's (Apple's daemons use the
      // 200s and, since macOS 15, 300-304); a person's account there is
      // hidden from the login window and may collide with a daemon's.
      if (*u.uid < kSystemUidLimit && !IsRoleAccount(u.name) && u.ensure == Ensure::kPresent) {
        WarnAtValue("users." + u.name + ".uid",
                    "uid " + std::to_string(*u.uid) + " is below " +
                        std::to_string(kSystemUidLimit) +
                        ", where macOS keeps system accounts: " + u.name +
                        " will be a system account, hidden and protected like one; a person's "
                        "account takes " +
                        std::to_string(kFirstPersonUid) + " or above");
      }
      auto [it, inserted] = owners.emplace(*u.uid, u.name);
      if (!inserted) {
        ErrorAtValue("users." + u.name + ".uid",
                     "uid " + std::to_string(*u.uid) + " is already given to user " + it->second);
      }
    }
  }

  // A user reference (authority.user, filevault.enabled_by) names a user
  // declared under users; returns it, or reports that it is not.
  const DesiredUser* Reference(const std::string& path, const std::string& what,
                               const std::string& name) {
    if (const DesiredUser* u = s_.FindUser(name)) return u;
    std::vector<std::string_view> names;
    for (const DesiredUser& u : s_.users) names.push_back(u.name);
    ErrorAtValue(path, what + " " + Printable(name) + " is not declared under users" +
                           DidYouMean(name, names));
    return nullptr;
  }

  void Authority() {
    if (!s_.authority || s_.authority->user.empty()) return;
    Reference("authority.user", "authority user", s_.authority->user);
  }

  // FileVault shares the enabler's password, and a first enablement
  // completes at the enabler's logout (DOMAIN §1): someone who logs in at
  // the Mac's login window.
  void FileVaultEnabler() {
    if (!s_.filevault || !s_.filevault->enabled_by) return;
    const std::string path = "filevault.enabled_by";
    const DesiredUser* u = Reference(path, "filevault.enabled_by", *s_.filevault->enabled_by);
    if (!u) return;
    if (u->ensure == Ensure::kAbsent) {
      ErrorAtValue(path, "filevault.enabled_by names " + u->name +
                             ", whom the file deletes (ensure: absent)");
      return;
    }
    std::string never;
    if (u->hidden == true) {
      never = u->name + " is hidden: it is not listed at the login window";
    } else if (u->shell && IsNoLoginShell(*u->shell)) {
      never = u->name + " has no login shell (" + *u->shell + ")";
    } else if (IsRoleAccount(u->name) || (u->uid && *u->uid < kSystemUidLimit)) {
      never = u->name + " is a service account";
    }
    if (!never.empty()) {
      WarnAtValue(path, never +
                            ", and a first FileVault enablement completes only when the enabler "
                            "logs out at the Mac: it may never complete; name a person who logs in "
                            "there");
    }
  }

  // Deleting the authority is allowed only together with a new SecureToken
  // admin to take over (role: admin, secure_token: true: the plan keeps the
  // old authority until its last use), or where nothing in the file needs an
  // authority (SecureTokens, resets, FileVault act as it).
  void AbsentAuthority() {
    if (!s_.authority) return;
    const DesiredUser* a = s_.FindUser(s_.authority->user);
    if (!a || a->ensure != Ensure::kAbsent) return;
    std::string needs;
    for (const DesiredUser& u : s_.users) {
      if (u.ensure != Ensure::kPresent) continue;
      if (u.role == Role::kAdmin && u.secure_token == true) return;  // a new authority
      if (needs.empty() && u.secure_token) needs = "users." + u.name + ".secure_token";
      if (needs.empty() && u.password_update == PasswordUpdate::kReset) {
        needs = "users." + u.name + ".password_update";
      }
    }
    if (needs.empty() && s_.filevault) needs = "filevault";
    if (needs.empty()) return;
    ErrorAtValue("users." + a->name + ".ensure",
                 "the authority " + a->name + " is declared ensure: absent, but " + needs +
                     " needs an authority to act as and no other user is declared a SecureToken "
                     "admin to take over; declare one (role: admin, secure_token: true) and name "
                     "it in authority.user once it exists, or remove " +
                     needs);
  }

  const DesiredState& s_;
  Diagnostics errors_;
};

}  // namespace

Diagnostics ValidateDesiredState(const DesiredState& state) { return Checker(state).Run(); }

}  // namespace accord
