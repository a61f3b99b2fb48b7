// SPDX-License-Identifier: Apache-2.0
// Every observation fixture through its parser, with what it must yield;
// and a check that no shared fixture goes unclassified.
#include <filesystem>
#include <set>
#include <string>

#include "macos/parse_dscl.h"
#include "macos/parse_tools.h"
#include "macos/plist.h"
#include "support/catch.h"
#include "support/fixtures.h"
#include "support/test_support.h"

namespace accord {
namespace {

using test::Fixture;
using Strings = std::vector<std::string>;
// The corpus of outputs others published (tests/providers/macos/corpus,
// each file naming its source on line 1).
using test::Corpus;

// Outputs of mutating commands and usage text: parsed when apply verifies
// its steps (the apply half of the macOS provider), not when observing.
// Outputs of tools Accord does not run (it observes with the -plist forms):
// kept as evidence of the formats, read by nothing.
bool NotRead(const std::string& name) {
  for (const char* prefix :
       {"dscl-list-", "dscl-search-", "dseditgroup-", "dsmemberutil-", "dscacheutil-"}) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  // diskutil's text listings: observation reads -plist only.
  return name.rfind("diskutil-apfs-", 0) == 0 && Fixture(name).find("<plist") == std::string::npos;
}

const std::set<std::string> kApplyFixtures = {
    "createhomedir-1.txt",
    "passwd-keychain-warning-1.txt",
    "sysadminctl-adduser-auth-failed-1.txt",
    "sysadminctl-adduser-home-assigned-1.txt",
    "sysadminctl-adduser-password-error-1.txt",
    "sysadminctl-adduser-password-policy-1.txt",
    "sysadminctl-deleteuser-last-admin-1.txt",
    "sysadminctl-deleteuser-secure-1.txt",
    "sysadminctl-deleteuser-secure-no-fda-1.txt",
    "sysadminctl-not-root-1.txt",
    "sysadminctl-usage-1.txt",
};

std::string Read(const std::string& name) { return Fixture(name); }

// What each observation command's fixtures must yield at least: something.
bool ParsesToSomething(const std::string& name, const std::string& text) {
  auto starts = [&](const char* prefix) { return name.rfind(prefix, 0) == 0; };
  if (starts("dscl-error-")) return ParseDsError(text).has_value();
  if (starts("dscl-plist-")) return !ParseDsclUsersPlist(text).users.empty();
  if (starts("dscl-read-")) return !ParseDsclRecord(text).empty();
  if (starts("sysadminctl-securetokenstatus-")) return !SysadminctlMessages(text).empty();
  if (starts("fdesetup-status-")) return ParseFdesetupStatus(text).status.has_value();
  if (starts("fdesetup-list-")) return !ParseFdesetupList(text).empty();
  if (starts("fdesetup-showdeferralinfo-")) return ParseFdesetupDeferral(text).active;
  if (starts("profiles-status-enrollment-")) return ParseProfilesEnrollment(text).has_value();
  if (starts("profiles-status-bootstraptoken-"))
    return ParseProfilesBootstrap(text).supported.has_value();
  if (starts("profiles-C-")) return ParseProfilesEscrowPayload(text).has_value();
  if (starts("diskutil-apfs-") && text.find("<plist") != std::string::npos) {
    return !ParseCryptoUsersPlist(text).local_user_guids.empty();
  }
  return false;
}

}  // namespace

TEST_CASE("dscl read: one-line lists, continuation lines, embedded plists", "[parse][dscl]") {
  DsRecord admin = ParseDsclRecord(Read("dscl-read-group-admin-1.txt"));
  CHECK(admin["GroupMembership"] == Strings{"root", "itsafeature"});
  CHECK(admin["GroupMembers"] ==
        Strings{"FFFFEEEE-DDDD-CCCC-BBBB-AAAA00000000", "C4713E84-50C7-419E-ABC4-766DFE170F56"});
  CHECK(admin["PrimaryGroupID"] == Strings{"80"});
  CHECK(admin["RecordName"] == Strings{"admin", "BUILTIN\\Administrators"});

  DsRecord group = ParseDsclRecord(Read("dscl-read-group-1.txt"));
  CHECK(group["RealName"] == Strings{"App Server Admins"});
  CHECK(group["GroupMembership"] == Strings{"itsafeature"});

  DsRecord user = ParseDsclRecord(Read("dscl-read-user-1.txt"));
  REQUIRE(user["dsAttrTypeNative:accountPolicyData"].size() == 1);
  CHECK(user["dsAttrTypeNative:accountPolicyData"][0].find("passwordLastSetTime") !=
        std::string::npos);
  CHECK(user["AuthenticationAuthority"].back() == ";SecureToken;");
  CHECK(user["dsAttrTypeNative:_writers_hint"] == Strings{"itsafeature"});

  DsRecord games = ParseDsclRecord(Read("dscl-read-user-3.txt"));
  CHECK(games["NFSHomeDirectory"] == Strings{"/Users/games"});
  CHECK(games["GeneratedUID"] == Strings{"A727EFB1-D6AA-4FE2-8524-0E154890E9A9"});

  CHECK(ParseDsclRecord(Read("dscl-read-attr-groupmembership-1.txt"))["GroupMembership"] ==
        Strings{"user2"});
}

TEST_CASE("dscl -plist user records, with one damaged record kept apart", "[parse][dscl]") {
  DsUsers one = ParseDsclUsersPlist(Read("dscl-plist-read-user-1.txt"));
  REQUIRE(one.users.size() == 1);
  CHECK(one.users[0].name == "nonexistent_user");
  CHECK(one.users[0].uid == 1000);
  CHECK(one.users[0].gid == 22);
  CHECK(one.users[0].home == "/Users/nonexistent_user");

  DsUsers all = ParseDsclUsersPlist(Read("dscl-plist-readall-users-synthetic.txt"));
  CHECK(all.error.empty());
  REQUIRE(all.users.size() == 2);
  CHECK(all.users[0].name == "firstaccount");
  CHECK(all.users[0].secure_token_tag);
  CHECK(all.users[0].hidden == false);
  CHECK(all.users[1].hidden == true);
  CHECK(all.users[1].uid == 491);
  CHECK(all.unreadable == Strings{"damaged"});

  GroupMembers admin = ParseDsclGroupPlist(Read("dscl-plist-read-group-admin-synthetic.txt"));
  CHECK(admin.ok);
  CHECK(admin.names == Strings{"root", "firstaccount"});
  CHECK(admin.guids.size() == 2);
}

TEST_CASE("DS errors", "[parse][dscl]") {
  auto not_found = ParseDsError(Read("dscl-error-record-not-found-1.txt"));
  REQUIRE(not_found);
  CHECK(not_found->code == -14136);
  CHECK(not_found->name == "eDSRecordNotFound");
  auto transient = ParseDsError(Read("dscl-error-not-yet-implemented-1.txt"));
  REQUIRE(transient);
  CHECK(transient->code == -14988);
  CHECK(transient->name == "eNotYetImplemented");  // the one apply retries
  CHECK(ParseDsError(Read("dscl-error-permission-delete-1.txt"))->name == "eDSPermissionError");
  CHECK(ParseDsError(Read("dscl-error-record-already-exists-1.txt"))->code == -14135);
}

TEST_CASE("sysadminctl token status, behind its timestamp prefix", "[parse][sysadminctl]") {
  CHECK(ParseSecureTokenStatus(Read("sysadminctl-securetokenstatus-enabled-1.txt")) == true);
  CHECK(ParseSecureTokenStatus(Read("sysadminctl-securetokenstatus-disabled-1.txt")) == false);
  CHECK_FALSE(
      ParseSecureTokenStatus(Read("sysadminctl-securetokenstatus-unknown-user-1.txt")).has_value());
  CHECK(SysadminctlMessages(Fixture("sysadminctl-securetokenstatus-unknown-user-1.txt")) ==
        Strings{"Unknown user nosuchuser"});
}

TEST_CASE("fdesetup status, list, personal key, deferral", "[parse][fdesetup]") {
  FdeStatus on = ParseFdesetupStatus(Read("fdesetup-status-on-1.txt"));
  CHECK(on.status == FileVaultStatus::kOn);
  CHECK(ParseFdesetupStatus(Read("fdesetup-status-off-synthetic.txt")).status ==
        FileVaultStatus::kOff);
  CHECK(ParseFdesetupStatus(Read("fdesetup-status-encrypting-synthetic.txt")).status ==
        FileVaultStatus::kEncrypting);
  CHECK(ParseFdesetupStatus(Read("fdesetup-status-decrypting-synthetic.txt")).status ==
        FileVaultStatus::kDecrypting);
  // Deferred: the corpus's real lines (with and without the user) are
  // read in the corpus test below.
  CHECK_FALSE(ParseFdesetupStatus("garbage").status.has_value());

  std::vector<FdeUser> extended = ParseFdesetupList(Read("fdesetup-list-extended-1.txt"));
  REQUIRE(extended.size() == 4);
  CHECK(extended[0].name == "frederick.abeloos");
  CHECK(extended[0].type == "OS User");
  CHECK(extended[1].type == "Personal Recovery Record");
  CHECK(extended[3].type == "Bootstrap Token");
  // 10.13, as published (corpus): name,GUID per line; the personal
  // recovery record as "(null)", a name no account has.
  std::vector<FdeUser> plain = ParseFdesetupList(Corpus("fdesetup/fdesetup-list-1.txt"));
  REQUIRE(plain.size() == 2);
  CHECK(plain[1].name == "toadmin");
  CHECK(plain[1].guid == "D30AC4BD-9DF1-4A32-BFA7-58CC11C9AC46");
  std::vector<FdeUser> with_record = ParseFdesetupList(Corpus("fdesetup/fdesetup-list-2.txt"));
  REQUIRE(with_record.size() == 3);
  CHECK(with_record[0].name == "(null)");

  CHECK(ParseTrueFalse(Corpus("fdesetup/fdesetup-haspersonalrecoverykey-true-1.txt")) == true);
  FdeDeferral deferral = ParseFdesetupDeferral(Read("fdesetup-showdeferralinfo-1.txt"));
  CHECK(deferral.active);
  CHECK(deferral.users.empty());
}

TEST_CASE("profiles: enrollment and the Bootstrap Token", "[parse][profiles]") {
  CHECK(ParseProfilesEnrollment(Read("profiles-status-enrollment-1.txt")) == true);
  CHECK(ParseProfilesEnrollment(Read("profiles-status-enrollment-no-synthetic.txt")) == false);
  BootstrapStatus no =
      ParseProfilesBootstrap(Read("profiles-status-bootstraptoken-escrowed-no-1.txt"));
  CHECK(no.supported == true);
  CHECK(no.escrowed == false);
  for (const char* name : {"profiles-status-bootstraptoken-unsupported-1.txt",
                           "profiles-status-bootstraptoken-unsupported-2.txt"}) {
    BootstrapStatus b = ParseProfilesBootstrap(Read(name));
    CHECK(b.supported == false);
    CHECK(b.escrowed == false);
  }
  BootstrapStatus yes =
      ParseProfilesBootstrap(Read("profiles-status-bootstraptoken-escrowed-yes-synthetic.txt"));
  CHECK(yes.escrowed == true);
}

TEST_CASE("profiles -C: the recovery-key escrow payload, installed, absent or unknown",
          "[parse][profiles]") {
  CHECK(ParseProfilesEscrowPayload(Read("profiles-C-escrow-synthetic.txt")) == true);
  // Enrolled (the MDM profile is there), and no escrow payload: false.
  CHECK(ParseProfilesEscrowPayload(Read("profiles-C-no-escrow-synthetic.txt")) == false);
  const std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n";
  // No system-scoped profile at all.
  CHECK(ParseProfilesEscrowPayload(head + "<dict/>\n</plist>\n") == false);
  // Not a listing: unknown, never "absent".
  CHECK_FALSE(ParseProfilesEscrowPayload("").has_value());
  CHECK_FALSE(ParseProfilesEscrowPayload("profiles: this command requires root\n").has_value());
  std::string cut = Read("profiles-C-escrow-synthetic.txt");
  CHECK_FALSE(ParseProfilesEscrowPayload(cut.substr(0, cut.find("FDERecoveryKeyEscrow"))));
  // A payload whose type cannot be read could be the escrow payload.
  CHECK_FALSE(ParseProfilesEscrowPayload(
                  head +
                  "<dict><key>_computerlevel</key><array><dict><key>ProfileItems</key><array>"
                  "<dict><key>PayloadUUID</key><string>X</string></dict></array></dict></array>"
                  "</dict></plist>\n")
                  .has_value());
}

TEST_CASE("diskutil apfs crypto users, complete or not, with volume owners", "[parse][diskutil]") {
  CryptoUsers truncated = ParseCryptoUsersPlist(Read("diskutil-apfs-listusers-plist-1.txt"));
  CHECK_FALSE(truncated.complete);  // the stored sample is cut off
  CHECK(truncated.local_user_guids.size() == 3);
  CryptoUsers full =
      ParseCryptoUsersPlist(Read("diskutil-apfs-listcryptousers-plist-synthetic.txt"));
  CHECK(full.complete);
  CHECK(full.local_user_guids == Strings{"C4713E84-50C7-419E-ABC4-766DFE170F56"});
  CHECK_FALSE(full.owners_known);  // no VolumeOwner key: ownership unknown
  // Apple silicon says who owns the volume.
  CryptoUsers owners =
      ParseCryptoUsersPlist(Read("diskutil-apfs-listcryptousers-plist-volumeowner-found.txt"));
  CHECK(owners.complete);
  CHECK(owners.owners_known);
  CHECK(owners.volume_owner_guids == Strings{"3C7DB8EE-5EA4-4C18-A7E4-25C6C0F94667"});
}

TEST_CASE("sw_vers and the listing of /Users", "[parse]") {
  CHECK(ParseSwVers(Corpus("accounts/sw-vers-productversion-sonoma-1.txt")) == "14.2.1");
  CHECK(ParseSwVers(Corpus("accounts/sw-vers-productversion-tahoe-1.txt")) == "26.5.2");
  CHECK(ParseSwVers(Corpus("accounts/sw-vers-productversion-bigsur-1.txt")).has_value());
  CHECK_FALSE(ParseSwVers("ProductName: macOS").has_value());
  // An owner printed unsigned is the negative UID it encodes (NormalizeUid).
  CHECK(ParseUsersListing("drwxr-xr-x   2 4294967294  4294967294  64 Oct 12 09:14 ghost\n",
                          "/Users") == std::vector<ObservedHome>{{"/Users/ghost", -2}});
  std::vector<ObservedHome> homes = ParseUsersListing(Read("ls-ln-users-synthetic.txt"), "/Users");
  CHECK(homes == std::vector<ObservedHome>{
                     {"/Users/Shared", 0}, {"/Users/firstaccount", 501}, {"/Users/olduser", 503}});
}

TEST_CASE("the copied fixtures match ../shared/fixtures wherever it is present", "[parse]") {
  if (!std::filesystem::exists(test::SharedFixturePath(""))) {
    WARN("no ../shared/fixtures beside this checkout: nothing to compare");
    return;
  }
  std::set<std::string> shared;
  for (const auto& e : std::filesystem::directory_iterator(test::SharedFixturePath(""))) {
    shared.insert(e.path().filename().string());
  }
  std::vector<std::string> copies = test::MacosFixtures();
  CHECK(std::set<std::string>(copies.begin(), copies.end()) == shared);
  for (const std::string& name : copies) {
    INFO(name);
    CHECK(test::ReadFile(test::FixturePath(name)) == test::ReadFile(test::SharedFixturePath(name)));
  }
}

TEST_CASE("every shared observation fixture parses, the rest are apply-side", "[parse]") {
  std::size_t observation = 0;
  for (const std::string& name : test::MacosFixtures()) {
    INFO(name);
    if (kApplyFixtures.count(name) || NotRead(name)) continue;
    ++observation;
    CHECK(ParsesToSomething(name, Fixture(name)));
  }
  CHECK(observation >= 20);
}

TEST_CASE("ioreg's platform expert gives the hardware UUID and serial, on real outputs",
          "[parse][ioreg]") {
  PlatformIdentity apple_silicon =
      ParseIoregPlatform(Read("ioreg-platform-expert-applesilicon-found.txt"));
  CHECK(apple_silicon.hardware_uuid == "81895B8D-9EF9-4EBB-B5DE-B00069CF53F0");
  CHECK(apple_silicon.serial == "HDWLIF2LM7");
  // The grep'd line of an Intel Mac, with ioreg's own 6-space indent.
  PlatformIdentity intel =
      ParseIoregPlatform(Read("ioreg-platform-expert-uuid-line-intel-found.txt"));
  CHECK(intel.hardware_uuid == "E646F33F-0C8D-xxxx-yyyy-8BB62B8C33CD");
  CHECK_FALSE(intel.serial);
  // What is missing, empty, printed twice or not a string is unknown.
  CHECK_FALSE(ParseIoregPlatform("").hardware_uuid);
  CHECK_FALSE(ParseIoregPlatform("      \"IOPlatformUUID\" = \"\"\n").hardware_uuid);
  CHECK_FALSE(ParseIoregPlatform("      \"IOPlatformUUID\" = <\"A\">\n").hardware_uuid);
  CHECK_FALSE(ParseIoregPlatform("  \"IOPlatformUUID\" = \"A\"\n  \"IOPlatformUUID\" = \"B\"\n")
                  .hardware_uuid);
  CHECK(ParseIoregPlatform("\t\t  \"IOPlatformSerialNumber\" = \"C02XG0FDH7JY\"\r\n").serial ==
        "C02XG0FDH7JY");
}

TEST_CASE(
    "fdesetup status as real Macs print it: the master keychain line is no key, a "
    "deferral is deferred with or without its user",
    "[parse][fdesetup][corpus]") {
  // 10.15.6, whose hasinstitutionalrecoverykey said false; 10.12; 2014.
  for (const char* name : {"fdesetup/fdesetup-status-on-masterkeychain-1.txt",
                           "fdesetup/fdesetup-status-on-masterkeychain-2.txt",
                           "fdesetup/fdesetup-status-on-masterkeychain-3.txt"}) {
    INFO(name);
    FdeStatus s = ParseFdesetupStatus(Corpus(name));
    CHECK(s.status == FileVaultStatus::kOn);
  }
  CHECK(ParseTrueFalse(Corpus("fdesetup/fdesetup-hasinstitutionalrecoverykey-false-1.txt")) ==
        false);
  // macOS 13.2.1: the deferral line without "for user".
  FdeStatus lone = ParseFdesetupStatus(Corpus("fdesetup/fdesetup-status-deferred-no-user-1.txt"));
  CHECK(lone.status == FileVaultStatus::kDeferred);
  CHECK_FALSE(lone.deferred_user);
  // Beside "FileVault is Off" (in either order), a deferral is deferred.
  CHECK(ParseFdesetupStatus("FileVault is Off.\nDeferred enablement appears to be active.\n")
            .status == FileVaultStatus::kDeferred);
  CHECK(ParseFdesetupStatus("Deferred enablement appears to be active.\nFileVault is Off.\n")
            .status == FileVaultStatus::kDeferred);
  FdeStatus restart =
      ParseFdesetupStatus(Corpus("fdesetup/fdesetup-status-deferred-user-restart-1.txt"));
  CHECK(restart.status == FileVaultStatus::kDeferred);
  CHECK(restart.deferred_user == "wes");
}

// A record read by `dscl . read`, as `dscl -plist . -readall` prints the
// same attributes: a standard one keyed with its "dsAttrTypeStandard:"
// prefix (the -plist sample of the fixtures, dscl-plist-read-user-1.txt),
// each value a <string>.
std::string AsReadallPlist(const DsRecord& record) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<array>\n<dict>\n";
  for (const auto& [name, values] : record) {
    xml += "<key>" +
           EscapeXml(name.rfind("dsAttrType", 0) == 0 ? name : "dsAttrTypeStandard:" + name) +
           "</key>\n<array>\n";
    for (const std::string& v : values) xml += "<string>" + EscapeXml(v) + "</string>\n";
    xml += "</array>\n";
  }
  return xml + "</dict>\n</array>\n</plist>\n";
}

TEST_CASE("a real hidden account's record reads hidden: true", "[parse][dscl][corpus]") {
  // dscl . read of a hidden account on a real Mac (NixOS/nix#11075).
  DsRecord real = ParseDsclRecord(Corpus("accounts/dscl-read-user-hidden-nixbld-1.txt"));
  CHECK(real["dsAttrTypeNative:IsHidden"] == Strings{"1"});
  CHECK(real.count("dsAttrTypeStandard:IsHidden") == 0);
  CHECK(real.count("IsHidden") == 0);
  DsUsers users = ParseDsclUsersPlist(AsReadallPlist(real));
  CHECK(users.error.empty());
  REQUIRE(users.users.size() == 1);
  CHECK(users.users[0].name == "_nixbld1");
  CHECK(users.users[0].uid == 401);
  CHECK(users.users[0].hidden == true);
  // The other real records carry no IsHidden: visible.
  DsUsers visible =
      ParseDsclUsersPlist(AsReadallPlist(ParseDsclRecord(Read("dscl-read-user-1.txt"))));
  REQUIRE(visible.users.size() == 1);
  CHECK(visible.users[0].hidden == false);
}

TEST_CASE("every file of the corpus names its public source on line 1 and is listed", "[corpus]") {
  int files = 0;
  for (const char* dir : {"tests/providers/macos/corpus", "tests/providers/osquery/corpus"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(test::SourcePath(dir))) {
      if (!e.is_regular_file() || e.path().filename() == "SOURCES.md") continue;
      INFO(e.path().string());
      const std::string text = test::ReadFile(e.path().string());
      CHECK(text.rfind("# source: ", 0) == 0);
      const std::string sources = test::ReadFile((e.path().parent_path() / "SOURCES.md").string());
      CHECK(sources.find(e.path().filename().string()) != std::string::npos);
      ++files;
    }
  }
  CHECK(files >= 40);
}

}  // namespace accord
