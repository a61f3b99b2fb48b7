// SPDX-License-Identifier: Apache-2.0
// Enrollment events on the device model, in the order enrollment makes them.
//
// What each event does, and where that is said:
//  - agent install: the agent creates a hidden service account and its
//    installer grants it a SecureToken with the credentials of a SecureToken
//    admin it is given (the source document; JumpCloud's "Managing users
//    with High Sierra and above, FileVault, and APFS": the installer asks
//    for "a natively created Admin account with Secure token ENABLED").
//    The service account then grants tokens to the users it binds
//    (jumpcloud.com/support/troubleshooting-service-account).
//  - MDM enrollment: a Bootstrap Token exists only after enrollment, only
//    where the MDM supports it, and is not created when the first account
//    is a standard user or account creation was skipped (the source
//    document); it is escrowed when a SecureToken admin logs in (Apple
//    Platform Deployment, "Use secure token, bootstrap token, and volume
//    ownership in deployments"), so one must exist.
//  - binding: an existing account of exactly the directory's local account
//    name is taken over, keeping UID and home; its password is replaced by
//    the directory's without the old one, as a reset (the source document:
//    "Keychain passwords can become out of sync ... a password change
//    outside the Mac"). Otherwise an account is created with the next UID
//    (the source document: 501, then 502).
//  - FileVault policy: a first enablement completes when the enabling user
//    logs out (the source document; fdesetup(8), enable -defer).
//  - agent removal deletes the service account.
#include "enroll/predict.h"

#include "core/names.h"
#include "enroll/bootstrap.h"
#include "enroll/events.h"
#include "model/macos_release.h"
#include "plan/uid_ledger.h"
#include "safety/change_rules.h"
#include "safety/contributions.h"
#include "safety/findings.h"

namespace accord {
namespace {

constexpr const char* kDirectoryPassword = "the directory's password";
constexpr std::int64_t kLowestServiceUid = 401;  // above Apple's daemons (200s, 300-304)

Change Make(Action action, const std::string& user, std::string reason) {
  Change c;
  c.action = action;
  c.user = user;
  c.reason = std::move(reason);
  return c;
}

void Set(Change& c, Attr name, AttrValue after, std::string note = "") {
  c.attributes.push_back({name, std::nullopt, std::move(after), std::move(note)});
}

class Predictor {
 public:
  Predictor(const Enrollment& e, const DeviceState& m) : e_(e), observed_(m), events_(e, m) {}

  Prediction Run(const std::string& source) {
    p_.enrollment_file = e_.file;
    p_.device_source = source;
    p_.device_name = observed_.name;
    p_.os_version = observed_.os_version;
    p_.findings = ExistingViolations(observed_);
    if (e_.agent && e_.agent->ensure == Ensure::kPresent) {
      events_.Begin(EventKind::kAgentInstall);
      AgentInstall(*e_.agent);
    }
    if (e_.mdm) {
      events_.Begin(EventKind::kMdmEnrollment);
      Mdm(*e_.mdm);
    }
    events_.Begin(EventKind::kBinding);
    for (const BoundUser& u : e_.users) Bind(u);
    if (e_.filevault) {
      events_.Begin(EventKind::kFileVaultPolicy);
      FileVault(*e_.filevault);
    }
    if (e_.agent && e_.agent->ensure == Ensure::kAbsent) {
      events_.Begin(EventKind::kAgentRemoval);
      AgentRemoval(*e_.agent);
    }
    p_.steps = events_.Take();
    p_.readiness = Judge(p_, std::move(warnings_));
    return std::move(p_);
  }

 private:
  void Warn(const std::string& kind, const std::string& event, std::string message,
            std::string fix) {
    warnings_.push_back({kind, event, std::move(message), std::move(fix)});
  }
  void Note(const std::string& user, std::string message) {
    p_.findings.push_back({FindingLevel::kNote, "enrollment", user, std::move(message)});
  }

  // ---- agent install -------------------------------------------------------

  void AgentInstall(const AgentSpec& a) {
    const std::string& sa = a.service_account;
    std::vector<Dependency> after;
    if (events_.state().FindUser(sa)) {
      Note(sa, sa + " is already on this Mac: " + a.name + " is installed again over it");
    } else {
      Change c =
          Make(Action::kCreateUser, sa, a.name + " creates its hidden service account " + sa);
      ServiceUid(c, a);
      Set(c, Attr::kHidden, true);
      Set(c, Attr::kRole, std::string("admin"), "it grants SecureTokens, which only admins can");
      Set(c, Attr::kPassword, std::string("random, held by the agent"),
          "no person knows it: never a way to unlock FileVault");
      MeetsPasswordPolicy(c, a);
      after.push_back({c.Id(), sa + " must exist first"});
      events_.Add(std::move(c));
    }
    Change g = Make(Action::kGrantToken, sa,
                    "the installer grants " + sa +
                        " a SecureToken with a SecureToken admin's credentials, so the agent can "
                        "grant tokens to the users it binds");
    Set(g, Attr::kGrantedBy, a.token_admin ? a.token_admin->user : std::string("(no credentials)"));
    agent_grant_ = g.Id();
    events_.Add(std::move(g), std::move(after), [&](Change& c) { NeedTokenAdmin(c, a); });
  }

  // An MDM password policy applies to the service account too: where the
  // agent's generated password does not meet it, the account is not
  // created (JumpCloud, "Troubleshoot: macOS Service Account", known issue
  // "MDM Password Policy Conflict": the random password "may fail and stop
  // the account from being created"). Too short is certain; complexity,
  // or an unstated length, is "may".
  void MeetsPasswordPolicy(Change& c, const AgentSpec& a) {
    if (!e_.mdm || !e_.mdm->password_policy) return;
    const PasswordPolicy& p = *e_.mdm->password_policy;
    const std::string source =
        " (JumpCloud, \"Troubleshoot: macOS Service Account\": MDM Password Policy Conflict)";
    const std::string fix =
        "exempt this Mac's service account from the MDM's password policy, or set the policy "
        "within what the agent generates";
    if (a.password_length && *a.password_length < p.min_length) {
      Stop(c, Outcome::kBlocked,
           e_.mdm->name + "'s password policy requires at least " + std::to_string(p.min_length) +
               " characters and " + a.name + " generates " + std::to_string(*a.password_length) +
               ": the service account is not created" + source,
           fix);
      return;
    }
    std::string doubt;
    if (!a.password_length && p.min_length > 0) {
      doubt = "requires at least " + std::to_string(p.min_length) +
              " characters, and agent.password_length does not say how long " + a.name +
              "'s generated password is";
    } else if (p.complex) {
      doubt = "requires complex passwords, and what " + a.name + " generates is not known";
    }
    if (doubt.empty()) return;
    Warn("password-policy", c.Id(),
         "cannot tell whether " + a.name + "'s service account can be created: " + e_.mdm->name +
             "'s password policy " + doubt + source,
         fix);
  }

  // The service account's UID: agent.uid, or the highest free one below
  // 500 (agents do not document theirs; say it where you know it).
  void ServiceUid(Change& c, const AgentSpec& a) {
    // A UID that may be taken is never chosen (the resolve stage's rule).
    const UidLedger ledger(events_.state());
    if (const std::optional<std::string>& unknown = ledger.Unknown()) {
      Refuse(c, UidUnknown(*unknown));
      return;
    }
    if (a.uid) {
      Set(c, Attr::kUid, *a.uid, "agent.uid");
      if (std::string who = ledger.Holder(*a.uid); !who.empty()) {
        Stop(c, Outcome::kBlocked, "UID " + std::to_string(*a.uid) + " belongs to " + who,
             "give agent.uid the UID your agent really uses, or leave it out");
      }
      return;
    }
    for (std::int64_t uid = kSystemUidLimit - 1; uid >= kLowestServiceUid; --uid) {
      if (ledger.Holder(uid).empty()) {
        Set(c, Attr::kUid, uid,
            "the highest free UID below 500; set agent.uid where you know your agent's");
        return;
      }
    }
    Stop(c, Outcome::kBlocked, "no UID from 401 to 499 is free", "set agent.uid");
  }

  void NeedTokenAdmin(Change& c, const AgentSpec& a) {
    const std::string fix =
        "give agent.token_admin: {user: NAME, password: {env: VAR}}, NAME a "
        "SecureToken admin of this Mac (the installer asks for one)";
    if (!a.token_admin) {
      Stop(c, Outcome::kBlocked,
           "the installer is given no SecureToken admin's credentials, so " + a.service_account +
               " gets no SecureToken and can grant none",
           fix);
      return;
    }
    NeedCertainTokenAdmin(c, a.token_admin->user, fix);
  }

  // `who` must certainly be a SecureToken admin now to grant a token.
  void NeedCertainTokenAdmin(Change& c, const std::string& who, const std::string& fix) {
    const ObservedUser* admin = events_.state().FindUser(who);
    Tri t = admin ? Contributes(Keep::kTokenAdmin, *admin) : Tri::kNo;
    if (t == Tri::kNo) {
      Stop(c, Outcome::kBlocked, who + " is not a SecureToken admin on this Mac", fix);
    } else if (t == Tri::kMaybe) {
      std::vector<Unknown> unknowns = UnknownsOf(Keep::kTokenAdmin, *admin);
      Stop(c, Outcome::kBlocked,
           "cannot tell whether " + who + " is a SecureToken admin (" + CannotTell(unknowns) + ")",
           fix + "; or " + MakeKnown(unknowns));
    }
  }

  // ---- MDM enrollment ------------------------------------------------------

  void Mdm(const MdmSpec& m) {
    if (events_.state().mdm.enrolled == true) {
      Note("", "this Mac is already enrolled in an MDM; its Bootstrap Token is as observed");
      return;
    }
    Change c = Make(Action::kEnrollMdm, "", m.name + " enrolls this Mac");
    Set(c, Attr::kMdm, m.name);
    Set(c, Attr::kBootstrapTokenSupported, m.escrows_bootstrap_token);
    BootstrapForecast forecast = ForecastBootstrap(m, events_.state(), e_.headless);
    bootstrap_why_ = forecast.why;
    if (forecast.warning) warnings_.push_back(std::move(*forecast.warning));
    Set(c, Attr::kBootstrapTokenEscrowed,
        forecast.escrowed ? AttrValue(*forecast.escrowed) : AttrValue{}, forecast.why);
    if (!events_.state().mdm.enrolled) {
      Stop(c, Outcome::kBlocked,
           "cannot tell whether this Mac is already enrolled (a Mac has one MDM)",
           "make enrollment known: Accord reads `profiles status -type enrollment`");
    }
    events_.Add(std::move(c));
  }

  // ---- binding ---------------------------------------------------------------

  // Whether the new account's home is the existing account's folder: on a
  // case-insensitive volume (APFS's default) /Users/JDoe is /Users/jdoe.
  std::string HomeCollision(const std::string& name, const std::string& spelled) const {
    const std::string home = "its home /Users/" + name;
    const std::string theirs =
        "/Users/" + spelled + ", " + spelled + "'s folder, and both accounts would use it";
    const Known<bool>& sensitive = events_.state().volume_case_sensitive;
    if (sensitive == false)
      return "this Mac's volume is case-insensitive, so " + home + " is " + theirs;
    if (sensitive == true)
      return "this Mac's volume is case-sensitive, so " + home + " is a new folder";
    return home + " may be " + theirs +
           " (it is where the volume is case-insensitive, APFS's default; this Mac's volume is "
           "not observed)";
  }

  void Bind(const BoundUser& b) {
    const ObservedUser* exact = events_.state().FindUser(b.name);
    if (exact) {
      TakeOver(b, *exact);
      return;
    }
    std::string spelled;  // this Mac's spelling of the name, if only the case differs
    for (const ObservedUser& u : events_.state().users) {
      if (ToLower(u.name) == ToLower(b.name)) spelled = u.name;
    }
    if (!spelled.empty()) {
      Warn(
          "bind-name-case", "create_user:" + b.name,
          "the directory's local account name " + Printable(b.name) + " differs from this Mac's " +
              Printable(spelled) +
              " only in case: the agent matches names exactly, so it would "
              "create a second account " +
              Printable(b.name) + " beside " + Printable(spelled) +
              " (macOS names are case-insensitive: logins and lookups become ambiguous); " +
              HomeCollision(b.name, spelled),
          "set the directory user's local account name to " + Printable(spelled) +
              " exactly (JumpCloud's Best Practices: the macOS username must match the directory's "
              "local account attribute)");
      Create(b);
      return;
    }
    if (b.take_over) {
      Warn("bind-no-match", "create_user:" + b.name,
           "users." + b.name + " is to take over an account, but no account named " +
               Printable(b.name) +
               " exists on this Mac: the agent would create a new, empty account, and the "
               "person's files stay where they are",
           "set the directory user's local account name to the short name of the account to "
           "take over (`dscl . -list /Users`)");
    }
    Create(b);
  }

  // The password becomes the directory's, with the previous one: the
  // agent's sync asks the person for it and updates FileVault and the
  // login keychain (JumpCloud, "Users: Change Your MacOS Password": "enter
  // your previous JumpCloud password in the Previous JumpCloud Password
  // field"; without it "a new keychain will be created"). The person must
  // give it: the model assumes they do, and says so.
  Change SyncedTakeOver(const BoundUser& b) {
    Change r = Make(Action::kChangePassword, b.name,
                    "the directory takes over " + b.name +
                        " (the same short name): its UID and home are kept, and the agent syncs "
                        "the directory's password with the previous one, updating FileVault and "
                        "the login keychain (password_sync: previous_password; JumpCloud, "
                        "\"Users: Change Your MacOS Password\")");
    Set(r, Attr::kPassword, std::string(kDirectoryPassword));
    Set(r, Attr::kKeychainUpdated, true, "with the previous password the person gives");
    r.notes.push_back(b.name +
                      " must enter the previous password when the agent asks: without it the "
                      "agent makes a new login keychain");
    return r;
  }

  // `now` is a copy: every event replaces events_.state().
  void TakeOver(const BoundUser& b, ObservedUser now) {
    const bool synced = b.password_sync == PasswordSync::kPreviousPassword;
    Change r = synced ? SyncedTakeOver(b)
                      : Make(Action::kResetPassword, b.name,
                             "the directory takes over " + b.name +
                                 " (the same short name): its UID and home are kept, and the "
                                 "directory's password replaces the local one without the old "
                                 "one");
    if (!synced) {
      Set(r, Attr::kPassword, std::string(kDirectoryPassword));
      r.notes.push_back(b.name +
                        "'s login keychain no longer opens with the new password: macOS "
                        "makes a new one at the next login");
      if (now.secure_token != false) {
        r.notes.push_back("FileVault unlocks " + b.name +
                          " only with the OLD password until a SecureToken is granted again");
      }
    }
    if (IsSystemAccount(now.name, now.uid)) {
      Refuse(r, {Rule::kProtectedAccount, b.name + " is a system account, never bound to a person",
                 "bind the directory user to a person's account"});
    }
    if (!synced && now.secure_token == false && !b.allow_keychain_reset) {
      Warn("keychain-reset", r.Id(),
           b.name +
               "'s login keychain will no longer open with the new password: macOS makes a "
               "new one at the next login (the keychain password is only ever the user's)",
           "tell " + b.name +
               " to keep the old password to open the old keychain, then set "
               "users." +
               b.name + ".allow_keychain_reset: true");
    }
    std::vector<Dependency> after = {{r.Id(), "the takeover comes first"}};
    events_.Add(std::move(r));
    const ObservedUser* found = events_.state().FindUser(b.name);
    const ObservedUser taken = found ? *found : now;  // not run: what follows is skipped
    if (b.role && taken.admin != (*b.role == Role::kAdmin)) {
      Change c = Make(*b.role == Role::kAdmin ? Action::kMakeAdmin : Action::kMakeStandard, b.name,
                      std::string("the binding makes ") + b.name + " " +
                          (*b.role == Role::kAdmin ? "an admin" : "a standard user"));
      Set(c, Attr::kRole, std::string(ToString(*b.role)));
      if (!taken.admin) Refuse(c, UnknownState("whether " + b.name + " is an admin"));
      events_.Add(std::move(c), after);
    }
    if (b.full_name && taken.full_name != b.full_name) {
      Change c = Make(Action::kSetAttribute, b.name, "the directory sets the full name");
      c.attributes.push_back({Attr::kFullName,
                              taken.full_name ? AttrValue(*taken.full_name) : AttrValue{},
                              *b.full_name, ""});
      events_.Add(std::move(c), after);
    }
    if (b.secure_token) Grant(b, std::move(after));
  }

  void Create(const BoundUser& b) {
    Change c = Make(Action::kCreateUser, b.name,
                    "the directory creates " + b.name + " for its bound user");
    std::optional<std::int64_t> uid = NextPersonUid(c);
    if (uid)
      Set(c, Attr::kUid, *uid,
          "the next UID after the highest in use, as JumpCloud's Best Practices describes");
    Set(c, Attr::kFullName, b.full_name.value_or(b.name));
    Set(c, Attr::kShell, std::string("/bin/zsh"));
    Set(c, Attr::kHome, "/Users/" + b.name);
    Set(c, Attr::kRole, std::string(ToString(b.role.value_or(Role::kStandard))));
    Set(c, Attr::kPassword, std::string(kDirectoryPassword), "the person logs in with it");
    std::string id = c.Id();
    events_.Add(std::move(c));
    if (b.secure_token) Grant(b, {{id, b.name + " must exist first"}});
  }

  // The next UID after the highest in use, from 501 (the source document).
  std::optional<std::int64_t> NextPersonUid(Change& c) const {
    const UidLedger ledger(events_.state());
    if (const std::optional<std::string>& unknown = ledger.Unknown()) {
      Refuse(c, UidUnknown(*unknown));
      return std::nullopt;
    }
    return std::max(kFirstPersonUid - 1, ledger.Highest().value_or(0)) + 1;
  }

  // A bound user's SecureToken: from the agent's service account, or from
  // an escrowed Bootstrap Token at the user's first login.
  void Grant(const BoundUser& b, std::vector<Dependency> after) {
    Change g = Make(Action::kGrantToken, b.name, "");
    if (e_.agent) {
      const std::string& sa = e_.agent->service_account;
      g.reason = "the agent grants " + b.name + " a SecureToken as " + sa + ", with " + b.name +
                 "'s directory password";
      Set(g, Attr::kGrantedBy, sa);
      after.push_back({agent_grant_, sa + " must hold a SecureToken first"});
      events_.Add(std::move(g), std::move(after));
      return;
    }
    g.reason = "macOS grants " + b.name + " a SecureToken from the Bootstrap Token";
    Set(g, Attr::kGrantedBy, std::string("the Bootstrap Token"));
    events_.Add(std::move(g), std::move(after), [&](Change& c) { FromBootstrap(c); });
  }

  void FromBootstrap(Change& c) {
    const Known<bool>& escrowed = events_.state().mdm.bootstrap_token_escrowed;
    bool enrolled = events_.state().mdm.enrolled == true;
    const std::string fix =
        "install an agent with a SecureToken admin's credentials, or enroll "
        "in an MDM that escrows a Bootstrap Token (with an admin as the first "
        "account)";
    if (enrolled && escrowed == true) {
      if (Known<bool> grants = BootstrapGrantsLocalAccounts(observed_.os_version); grants != true) {
        Stop(c, Outcome::kBlocked, LocalAccountsWait(c.user, grants),
             fix + (grants ? "; or update macOS to 11 or later"
                           : "; or make the macOS version known (sw_vers -productVersion)"));
        return;
      }
      c.outcome = Outcome::kDeferred;
      c.reason +=
          " at " + c.user + (observed_.FindUser(c.user) ? "'s next login" : "'s first login");
      if (e_.headless) NeverCompletes(c, c.user + "'s SecureToken", c.user);
      return;
    }
    if (events_.state().mdm.enrolled == false || escrowed == false) {
      std::string why = bootstrap_why_.empty() ? "this Mac has no escrowed Bootstrap Token"
                                               : "none will be escrowed: " + bootstrap_why_;
      Stop(c, Outcome::kBlocked, "it relies on the Bootstrap Token, and " + why, fix);
      return;
    }
    Stop(c, Outcome::kBlocked, "cannot tell whether a Bootstrap Token will be escrowed",
         fix +
             "; or make the Bootstrap Token's state known (`profiles status -type "
             "bootstraptoken`)");
  }

  // Why a Bootstrap Token does not (or may not) grant `user`, a local
  // account, a token at login on this Mac's macOS (model/macos_release.h).
  std::string LocalAccountsWait(const std::string& user, Known<bool> grants) const {
    const std::string rule =
        "from macOS 11 the Bootstrap Token grants any user a SecureToken at login; on 10.15 only "
        "mobile accounts and the administrator the MDM creates (Apple Platform Deployment)";
    if (!grants) {
      return "cannot tell whether the Bootstrap Token grants " + user +
             " a SecureToken: the macOS version is unknown, and " + rule;
    }
    return "on macOS " + *observed_.os_version + " the Bootstrap Token does not grant " + user +
           ", a local account, a SecureToken: " + rule;
  }

  void NeverCompletes(const Change& c, const std::string& what, const std::string& who) {
    Warn("never-completes", c.Id(),
         what + " waits for " + who +
             " at this Mac's login window, and this Mac is headless "
             "(nobody logs in there), so it never completes",
         "log in once at the login window as " + who +
             ", or leave headless Macs out of this enrollment");
  }

  // ---- FileVault policy ------------------------------------------------------

  void FileVault(const FileVaultPolicy& p) {
    const Known<FileVaultStatus>& status = events_.state().filevault.status;
    if (status && *status != FileVaultStatus::kOff && *status != FileVaultStatus::kDecrypting) {
      Note("", std::string("FileVault is already ") + ToString(*status) +
                   ": the FileVault policy changes nothing");
      return;
    }
    Change c = Make(Action::kEnableFileVault, "",
                    "a FileVault policy enables FileVault as " + p.enabled_by +
                        "; a first enablement completes when " + p.enabled_by + " logs out");
    Set(c, Attr::kEnabledBy, p.enabled_by);
    Set(c, Attr::kPersonalRecoveryKey, p.escrow_recovery_key,
        p.escrow_recovery_key ? "escrowed to the MDM by the policy's escrow payload" : "");
    if (p.escrow_recovery_key) {
      Set(c, Attr::kRecoveryKeyEscrowPayload, true,
          "the policy's profile carries com.apple.security.FDERecoveryKeyEscrow");
    }
    c.outcome = Outcome::kDeferred;
    if (!status) Refuse(c, UnknownState("whether FileVault is on"));
    events_.Add(std::move(c), {}, [&](Change& ev) {
      const ObservedUser* who = events_.state().FindUser(p.enabled_by);
      std::string pending = "grant_token:" + p.enabled_by;
      bool will_hold = std::find(events_.state().pending.begin(), events_.state().pending.end(),
                                 pending) != events_.state().pending.end();
      if (!who) {
        Stop(ev, Outcome::kBlocked, p.enabled_by + " is not an account on this Mac",
             "name an account that holds a SecureToken in filevault.enabled_by");
      } else if (who->secure_token != true && !will_hold) {
        Stop(ev, Outcome::kBlocked,
             (who->secure_token ? "" : "cannot tell whether ") + p.enabled_by +
                 (who->secure_token ? " holds a SecureToken" : " holds no SecureToken") +
                 ", and only a SecureToken holder can enable FileVault",
             "name a SecureToken holder in filevault.enabled_by");
      }
    });
    const Change* enabled = events_.Find("enable_filevault");
    if (e_.headless && enabled && Runs(*enabled)) {
      NeverCompletes(*enabled, "the FileVault enablement", p.enabled_by);
    }
  }

  // ---- agent removal ---------------------------------------------------------

  void AgentRemoval(const AgentSpec& a) {
    const std::string& sa = a.service_account;
    if (!events_.state().FindUser(sa)) {
      Note(sa, sa + " is not on this Mac: removing " + a.name + " deletes no account");
      return;
    }
    Change c =
        Make(Action::kDeleteUser, sa, "removing " + a.name + " deletes its service account " + sa);
    events_.Add(std::move(c));
  }

  const Enrollment& e_;
  const DeviceState& observed_;  // the Mac before enrollment
  EventRunner events_;
  Prediction p_;
  std::vector<ReadinessReason> warnings_;
  std::string agent_grant_;    // the install's grant to the service account
  std::string bootstrap_why_;  // why a Bootstrap Token will (not) be escrowed
};

}  // namespace

Prediction PredictEnrollment(const Enrollment& enrollment, const DeviceState& device,
                             const std::string& device_source) {
  return Predictor(enrollment, device).Run(device_source);
}

}  // namespace accord
