// SPDX-License-Identifier: Apache-2.0
// Mapping Accord's osquery rows onto the device model.
#include "osquery/osquery_device.h"

#include <charconv>
#include <set>
#include <string_view>

#include "core/names.h"
#include "safety/change_rules.h"
#include "safety/contributions.h"

namespace accord {
namespace {

// Where fleetd's apfs_crypto_users comes from: fleetdm/fleet pull request
// #50763 ("New fleetd table apfs_crypto_users", merged 2026-08-07); no
// release number is given there, so the fix names the change.
constexpr const char* kCryptoUsersSource =
    "fleetd's apfs_crypto_users table (in fleetd releases after fleetdm/fleet#50763, merged "
    "2026-08-07)";
constexpr const char* kOnTheMac =
    "plan on the Mac itself (`sudo accord plan`), or from a bundle `accord capture` saved there "
    "(`--replay`)";

using Rows = RowList;

Known<std::string> Text(const RowRef& row, const char* name) {
  std::optional<std::string_view> v = row.Value(name);
  if (!v || v->empty()) return std::nullopt;
  return std::string(*v);
}

Known<std::int64_t> Integer(const RowRef& row, const char* name) {
  std::optional<std::string_view> v = row.Value(name);
  if (!v || v->empty()) return std::nullopt;
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size()) return std::nullopt;
  return out;
}

Known<bool> Flag(const RowRef& row, const char* name) {
  std::optional<std::string_view> v = row.Value(name);
  if (!v) return std::nullopt;
  if (*v == "1") return true;
  if (*v == "0") return false;
  return std::nullopt;
}

class Mapper {
 public:
  explicit Mapper(const HostRows& host) : host_(host) {}

  Result<MacFromOsquery> Run() {
    // osquery's system_info: uuid (gethostuuid, the IOPlatformUUID) keys the
    // Mac, hardware_serial is IOPlatformSerialNumber (specs/system_info.table).
    const MacIdentity id = IdentityFromOsquery(host_);
    out_.device.name = id.name;
    out_.device.serial = id.serial;
    if (!id.hardware_uuid.empty()) out_.device.hardware_uuid = id.hardware_uuid;
    if (const Rows* rows = Table("system_info"); rows && !rows->empty()) {
      out_.device.os_version = Text(rows->front(), "os_version");
    } else {
      out_.unknown.push_back("name, serial and macOS version: no system_info rows");
    }
    const Rows* users = Table("users");
    if (!users || users->empty()) {
      return SingleError(host_.files.empty() ? "" : host_.files.front(), {}, "",
                         "Mac " + host_.hardware_uuid + Seen() +
                             " has no rows of Accord's users query: its accounts are unknown, so "
                             "it is not planned");
    }
    out_.device.users.reserve(users->size());  // exactly: a fleet holds every Mac's
    for (const RowRef row : *users) User(row);
    Admins();
    Tokens();
    DiskEncryption();
    FileVaultStatusTable();
    Homes();
    EscrowPayload();
    LastApplied();
    out_.unknown.push_back(
        "whether the current recovery key is escrowed, MDM enrollment, the console user and "
        "whether passwords are in step with FileVault and the keychain: osquery's data does not "
        "show them");
    out_.fixes.push_back(
        {kFixUnobserved, std::string("osquery's data does not show it here: ") + kOnTheMac});
    return std::move(out_);
  }

 private:
  const Rows* Table(const char* name) const { return host_.tables.Find(name); }

  std::string Seen() const {
    return host_.seen_as.empty() ? "" : " (" + Printable(host_.seen_as) + ")";
  }

  void User(const RowRef& row) {
    Known<std::string> name = Text(row, "username");
    if (!name) return;
    ObservedUser u;
    u.name = *name;
    // osquery reports uids unsigned: nobody's -2 is 4294967294 (DOMAIN §5).
    u.uid = NormalizeUid(Integer(row, "uid"));
    u.gid = NormalizeUid(Integer(row, "gid"));
    u.full_name = Text(row, "description");
    u.home = Text(row, "directory");
    u.shell = Text(row, "shell");
    u.guid = Text(row, "uuid");
    u.hidden = Flag(row, "is_hidden");
    out_.device.users.push_back(std::move(u));
  }

  // The recovery-key escrow payload writes its managed preferences, which
  // osquery's managed_policies table reads with the payload type as its
  // domain (DOMAIN §1, §5). Accord's query counts them in one row, so that
  // "none" is a row saying 0 and a Mac that did not run it has no row.
  void EscrowPayload() {
    const Rows* rows = Table("recovery_key_escrow");
    Known<std::int64_t> count =
        rows && rows->size() == 1 ? Integer(rows->front(), "escrow_payloads") : std::nullopt;
    if (!count) {
      out_.unknown.push_back(
          "whether a recovery-key escrow payload is installed: no accord_recovery_key_escrow row "
          "(osquery's managed_policies)");
      return;
    }
    out_.device.mdm.recovery_key_escrow_payload = *count > 0;
  }

  // osquery's plist table gives one row per top-level key (key, value):
  // the summary device/apply-accord.sh writes with defaults(1).
  void LastApplied() {
    const Rows* rows = Table("last_apply");
    if (!rows || rows->empty()) return;
    LastApply last;
    for (const RowRef row : *rows) {
      const Known<std::string> key = Text(row, "key");
      if (!key) continue;
      if (*key == "exit_status") last.exit_status = Integer(row, "value");
      if (*key == "result") last.result = Text(row, "value").value_or("");
      if (*key == "time") last.time = Text(row, "value").value_or("");
      if (*key == "desired_fingerprint") {
        last.desired_fingerprint = Text(row, "value").value_or("");
      }
    }
    out_.last_apply = std::move(last);
  }

  // Membership of the admin group is complete when the query ran.
  void Admins() {
    const Rows* rows = Table("admins");
    if (!rows) {
      out_.unknown.push_back("who is an admin: no admins rows");
      out_.fixes.push_back(
          {kHowAdminsAreRead,
           "this Mac's osquery data has no rows of Accord's accord_admins query (core osquery's "
           "users, user_groups and groups): check that the query runs there, then plan again"});
      return;
    }
    std::set<std::string> admins;
    for (const RowRef row : *rows) {
      if (auto n = Text(row, "username")) admins.insert(*n);
    }
    for (ObservedUser& u : out_.device.users) u.admin = admins.count(u.name) > 0;
  }

  void Tokens() {
    if (const Rows* rows = Table("apfs_crypto_users")) {
      CryptoUsers(*rows);
    } else if (const Rows* listed = Table("filevault_users")) {
      // `fdesetup list` names who can unlock; not being named proves
      // nothing about a token, so only "true" is taken from it.
      std::set<std::string> names;
      for (const RowRef row : *listed) {
        if (auto n = Text(row, "username")) names.insert(*n);
        if (auto g = Text(row, "uuid")) names.insert(ToUpper(*g));
      }
      for (ObservedUser& u : out_.device.users) {
        if (names.count(u.name) || (u.guid && names.count(ToUpper(*u.guid)))) u.secure_token = true;
      }
      out_.unknown.push_back(
          "SecureTokens of accounts filevault_users does not list: fdesetup list names only who "
          "can unlock");
      out_.fixes.push_back(
          {kHowTokensAreRead,
           std::string("this Mac's osquery data has only the Mac Admins extension's "
                       "filevault_users, which names who can unlock, not who holds a token: run ") +
               kCryptoUsersSource + " with Accord's accord_apfs_crypto_users query, or " +
               kOnTheMac});
    } else {
      out_.unknown.push_back(
          "every SecureToken: neither apfs_crypto_users (fleetd) nor filevault_users (Mac Admins "
          "extension) rows");
      out_.fixes.push_back(
          {kHowTokensAreRead,
           std::string("this Mac's osquery data has no SecureToken table: run ") +
               kCryptoUsersSource +
               " with Accord's accord_apfs_crypto_users query (core osquery has no such table), "
               "or " +
               kOnTheMac});
    }
  }

  // diskutil apfs listCryptoUsers, one row per crypto user and volume: the
  // LocalOpenDirectory rows are every token holder of that volume.
  void CryptoUsers(const Rows& rows) {
    std::set<std::string> volumes;
    for (const RowRef row : rows) {
      if (auto v = Text(row, "device_identifier")) volumes.insert(*v);
    }
    if (volumes.size() > 1) {
      out_.unknown.push_back("every SecureToken: apfs_crypto_users lists " +
                             std::to_string(volumes.size()) +
                             " volumes and does not say which is the startup volume");
      out_.fixes.push_back(
          {kHowTokensAreRead, std::string("apfs_crypto_users lists several volumes for this Mac "
                                          "and does not say which one it starts from: ") +
                                  kOnTheMac});
      return;
    }
    std::map<std::string, Known<bool>> holders;  // GUID → volume owner
    for (const RowRef row : rows) {
      Known<std::string> type = Text(row, "type");
      Known<std::string> guid = Text(row, "crypto_user_uuid");
      if (type == "PersonalRecovery") out_.device.filevault.personal_recovery_key = true;
      if (type == "LocalOpenDirectory" && guid) holders[ToUpper(*guid)] = Flag(row, "volume_owner");
    }
    for (ObservedUser& u : out_.device.users) {
      if (!u.guid) continue;  // unknown: cannot be matched
      auto it = holders.find(ToUpper(*u.guid));
      u.secure_token = it != holders.end();
      u.volume_owner = it != holders.end() ? it->second : Known<bool>(false);
    }
  }

  // osquery's disk_encryption on macOS (osquery/tables/system/darwin/
  // disk_encryption.mm) has a row per block device and mounted APFS volume:
  // Preboot, Recovery, VM and Update report their own status. The Mac's
  // FileVault is the volume that holds the users' crypto users, the rows
  // with user_uuid set, as Fleet's own query selects (server/service/
  // osquery_utils: "disk_encryption WHERE user_uuid IS NOT "" AND
  // filevault_status = 'on'"). Its filevault_status is on, off or unknown;
  // encryption_status only encrypted, not encrypted or undefined, so a
  // deferred enablement (off until the logout) and encryption in progress
  // cannot be seen: they stay unknown, said so.
  // fleetd's filevault_status: one row whose status is `fdesetup status`'s
  // text (Fleet's docs test it as status = 'FileVault is On.').
  void FileVaultStatusTable() {
    const Rows* rows = Table("filevault_status");
    if (!rows || rows->empty()) return;
    std::string text;
    for (const RowRef row : *rows) {
      if (auto s = Text(row, "status")) text += *s + "\n";
    }
    if (!text.empty()) out_.fdesetup_status = text;
  }

  void DiskEncryption() {
    const Rows* rows = Table("disk_encryption");
    if (!rows) {
      out_.filevault_unknown.push_back("FileVault's status: no disk_encryption rows");
      return;
    }
    std::set<std::string> status;
    bool user_volume = false;
    for (const RowRef row : *rows) {
      if (!Text(row, "user_uuid")) continue;
      user_volume = true;
      if (auto s = Text(row, "filevault_status"); s && *s != "unknown") status.insert(*s);
    }
    if (!user_volume) {
      out_.filevault_unknown.push_back(
          "FileVault's status: no disk_encryption row of the volume that holds the users "
          "(user_uuid set)");
      return;
    }
    if (status.size() != 1 || (*status.begin() != "on" && *status.begin() != "off")) {
      out_.filevault_unknown.push_back(
          "FileVault's status: the users' volume's disk_encryption rows disagree or say unknown");
      return;
    }
    out_.device.filevault.status =
        *status.begin() == "on" ? FileVaultStatus::kOn : FileVaultStatus::kOff;
    out_.filevault_unknown.push_back(
        "whether a FileVault enablement is deferred or encryption is in progress: osquery's "
        "disk_encryption shows only on or off");
  }

  // Without the folders under /Users, a kept home's UID is unknown: one
  // home of unknown owner makes the planner choose no new UID.
  void Homes() {
    const Rows* rows = Table("homes");
    if (!rows) {
      out_.device.homes.push_back({"/Users/*", std::nullopt});
      out_.unknown.push_back("the folders under /Users and their owners: no homes rows");
      return;
    }
    for (const RowRef row : *rows) {
      if (auto path = Text(row, "path")) {
        while (path->size() > 1 && path->back() == '/') path->pop_back();
        out_.device.homes.push_back({*path, NormalizeUid(Integer(row, "uid"))});
      }
    }
  }

  const HostRows& host_;
  MacFromOsquery out_;
};

}  // namespace

MacIdentity IdentityFromOsquery(const HostRows& host) {
  MacIdentity id;
  id.hardware_uuid = host.hardware_uuid;
  id.labels = host.labels;
  const RowList* rows = host.tables.Find("system_info");
  if (!rows || rows->empty()) return id;
  const RowRef row = rows->front();
  id.name = Text(row, "computer_name");
  if (!id.name) id.name = Text(row, "hostname");
  id.serial = Text(row, "hardware_serial");
  return id;
}

Result<MacFromOsquery> DeviceFromOsquery(const HostRows& host) { return Mapper(host).Run(); }

}  // namespace accord
