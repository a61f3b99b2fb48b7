// SPDX-License-Identifier: Apache-2.0
// Snapshot builders for tests.
#include "support/scenario.h"

#include <algorithm>

namespace accord::test {
namespace {

std::string Field(const Account& a, const std::string& key, const std::string& json) {
  bool unknown = std::find(a.unknown.begin(), a.unknown.end(), key) != a.unknown.end();
  return "\"" + key + "\": " + (unknown ? "null" : json);
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

Account FirstAccount() { return {"firstaccount", 501, true, true, "First Account"}; }

std::string Snapshot(const std::vector<Account>& accounts, const std::vector<Home>& homes,
                     const std::string& filevault_status, const std::string& enrolled,
                     const std::string& escrow_payload) {
  std::string users;
  for (const Account& a : accounts) {
    if (!users.empty()) users += ",\n";
    std::string full_name = a.full_name.empty() ? a.name : a.full_name;
    users += "    {\"name\": " + Quoted(a.name) + ", " + Field(a, "uid", std::to_string(a.uid)) +
             ", \"gid\": 20, " + Field(a, "full_name", Quoted(full_name)) + ", " +
             Field(a, "shell", Quoted(a.shell)) + ", " +
             Field(a, "home", Quoted("/Users/" + a.name)) + ", " +
             Field(a, "hidden", a.hidden ? "true" : "false") + ", " +
             Field(a, "admin", a.admin ? "true" : "false") + ", " +
             Field(a, "secure_token", a.token ? "true" : "false") + ", " +
             Field(a, "filevault_password_in_sync", "true") + ", \"keychain_in_sync\": true}";
  }
  std::string home_list;
  for (const Home& h : homes) {
    if (!home_list.empty()) home_list += ", ";
    home_list += "{\"path\": " + Quoted(h.path) + ", \"uid\": " + std::to_string(h.uid) + "}";
  }
  std::string status = filevault_status == "null" ? "null" : Quoted(filevault_status);
  return "{\"accord_device\": 1, \"name\": \"test-mac\", \"os_version\": \"14.5\",\n"
         " \"mdm\": {\"enrolled\": " +
         enrolled + ", \"recovery_key_escrow_payload\": " + escrow_payload +
         ", \"bootstrap_token\": {\"supported\": false, \"escrowed\": false}},\n"
         " \"users\": [\n" +
         users + "\n ],\n \"homes\": [" + home_list +
         "],\n"
         " \"filevault\": {\"status\": " +
         status +
         ", \"deferred_user\": null, \"personal_recovery_key\": true, "
         "\"recovery_key_escrowed\": true, \"institutional_recovery_key\": false}}\n";
}

std::string HarmsSnapshot(const HarmsMac& m) {
  return R"({"accord_device": 1, "name": ")" + m.name + R"(", "os_version": "14.5",
 "mdm": {"enrolled": true, "recovery_key_escrow_payload": true,
         "bootstrap_token": {"supported": false, "escrowed": false}},
 "users": [
  {"name": "root", "uid": 0, "gid": 0, "full_name": "System Administrator", "shell": "/bin/sh",
   "home": "/var/root", "hidden": true, "admin": true, "secure_token": false,
   "filevault_password_in_sync": null, "keychain_in_sync": null},
  {"name": "daemon", "uid": 1, "gid": 1, "full_name": "System Services", "shell": "/usr/bin/false",
   "home": "/var/root", "hidden": true, "admin": false, "secure_token": false,
   "filevault_password_in_sync": null, "keychain_in_sync": null},
  {"name": "firstaccount", "uid": 501, "gid": 20, "full_name": "First Account", "shell": "/bin/zsh",
   "home": "/Users/firstaccount", "hidden": false, "admin": true, "secure_token": true,
   "filevault_password_in_sync": true, "keychain_in_sync": true})" +
         m.extra + R"(],
 "homes": [{"path": "/Users/firstaccount", "uid": 501})" +
         m.homes + R"(],
 "filevault": {"status": )" +
         m.filevault + R"(, "deferred_user": null, "personal_recovery_key": )" + m.personal +
         R"(,
   "recovery_key_escrowed": true, "institutional_recovery_key": false}})";
}

std::string PersonJson(const std::string& name, const std::string& uid, const std::string& home,
                       bool token) {
  return ",\n  {\"name\": " + Quoted(name) + ", \"uid\": " + uid +
         ", \"gid\": 20, \"full_name\": " + Quoted(name) +
         ", \"shell\": \"/bin/zsh\", \"home\": " + home +
         ", \"hidden\": false, \"admin\": false, \"secure_token\": " + (token ? "true" : "false") +
         ", \"filevault_password_in_sync\": true, \"keychain_in_sync\": true}";
}

std::string TrialMac(bool token_known) {
  Account olduser{"olduser", 501, false, true};
  olduser.unknown = {"filevault_password_in_sync"};
  if (!token_known) olduser.unknown.push_back("secure_token");
  Account itadmin{"itadmin", 502, true, false};
  return WithoutRecoveryKey(Snapshot({olduser, itadmin}));
}

std::string WithoutRecoveryKey(std::string s) {
  auto replace = [&](const std::string& from, const std::string& to) {
    s.replace(s.find(from), from.size(), to);
  };
  replace("\"personal_recovery_key\": true", "\"personal_recovery_key\": false");
  replace("\"recovery_key_escrowed\": true", "\"recovery_key_escrowed\": false");
  return s;
}

}  // namespace accord::test
