// SPDX-License-Identifier: Apache-2.0
// osquery as it really runs (DOMAIN §5): Accord's queries under any pack
// and delimiter, every other result name reported, and FileVault read from
// the volume that holds the users, not from every disk_encryption row.
#include <algorithm>
#include <regex>

#include "inventory/inventory.h"
#include "osquery/osquery_device.h"
#include "osquery/osquery_results.h"
#include "support/catch.h"
#include "support/test_support.h"

namespace accord {
namespace {

// A Mac's tables as text (ids mean nothing across two ingests' pools).
using TextRow = std::vector<std::pair<std::string, std::string>>;
std::vector<std::pair<std::string, std::vector<TextRow>>> AsText(const QueryTables& tables) {
  std::vector<std::pair<std::string, std::vector<TextRow>>> out;
  for (const auto& [query, rows] : tables.All()) {
    std::vector<TextRow>& text = out.emplace_back(query, std::vector<TextRow>{}).second;
    for (const RowRef row : rows) {
      TextRow& t = text.emplace_back();
      const std::vector<TextPool::Id>& names = row.texts->Columns(row.columns);
      for (std::size_t i = 0; i < names.size(); ++i) {
        t.emplace_back((*row.texts)[names[i]], (*row.texts)[row.values[i]]);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

const std::string kExampleLog = "examples/gitops/inventory/osqueryd.results.log";

// The example's lines with every Accord query logged as `prefix` + query.
OsqueryData ReadAs(const std::string& prefix) {
  static const std::regex accord(R"re("name":"[^"]*accord_([a-z_]+)")re");
  std::string text = std::regex_replace(test::ReadFile(test::SourcePath(kExampleLog)), accord,
                                        "\"name\":\"" + prefix + "$1\"");
  OsqueryData data;
  ReadResultLog(text, "example.log", data);
  return data;
}

// One Mac's rows of disk_encryption, with an account so that it maps.
Result<MacFromOsquery> WithVolumes(const std::string& rows) {
  const std::string head = R"({"name":"pack_accord_accord_)";
  const std::string tail =
      R"(","hostIdentifier":"4740D59F-699E-5B29-960B-979AAF9BBEEB","action":"snapshot","snapshot":)";
  std::string log =
      head + "users" + tail +
      R"([{"username":"ann","uid":"501","gid":"20","description":"Ann","directory":"/Users/ann","shell":"/bin/zsh","uuid":"U-501","is_hidden":"0"}]})" +
      "\n" + head + "disk_encryption" + tail + rows + "}\n";
  OsqueryData data;
  ReadResultLog(log, "volumes.log", data);
  REQUIRE(data.hosts.size() == 1);
  return DeviceFromOsquery(data.hosts.begin()->second);
}

std::string Row(const std::string& name, const std::string& status, const std::string& user) {
  return R"({"name":")" + name + R"(","encrypted":")" + (status == "on" ? "1" : "0") +
         R"(","encryption_status":")" + (status == "on" ? "encrypted" : "not encrypted") +
         R"(","filevault_status":")" + status + R"(","uid":"","user_uuid":")" + user + R"("})";
}

}  // namespace

TEST_CASE("Accord's queries are read whatever the pack and its delimiter", "[osquery]") {
  // Stock osqueryd (--pack_delimiter _), Fleet's "/", a renamed pack, no pack.
  OsqueryData stock = ReadAs("pack_accord_accord_");
  REQUIRE(stock.hosts.size() == 4);
  for (const std::string prefix :
       {"pack/accord/accord_", "pack_it-macs_accord_", "accord_", "pack/Global/accord_"}) {
    INFO(prefix);
    OsqueryData other = ReadAs(prefix);
    REQUIRE(other.hosts.size() == stock.hosts.size());
    for (const auto& [uuid, host] : stock.hosts) {
      INFO(uuid);
      CHECK(AsText(other.hosts.at(uuid).tables) == AsText(host.tables));
    }
    CHECK(other.ignored == stock.ignored);
  }
  // The example's one foreign result is named, not dropped silently.
  CHECK(stock.ignored == std::set<std::string>{"pack_it-macs_osquery_info"});
}

TEST_CASE("a query is Accord's only by its own name, after a delimiter", "[osquery]") {
  OsqueryData data;
  ReadResultLog(
      R"({"name":"pack_it_users","hostIdentifier":"4740D59F-699E-5B29-960B-979AAF9BBEEB","snapshot":[]})"
      "\n"
      R"({"name":"pack_it_notaccord_users","hostIdentifier":"4740D59F-699E-5B29-960B-979AAF9BBEEB","snapshot":[]})"
      "\n"
      R"({"name":"pack/Global/users","hostIdentifier":"4740D59F-699E-5B29-960B-979AAF9BBEEB","snapshot":[]})"
      "\n",
      "names.log", data);
  // "users" after "_" may be anyone's query; after "/" it is Fleet's form.
  CHECK(data.ignored == std::set<std::string>{"pack_it_notaccord_users", "pack_it_users"});
  REQUIRE(data.hosts.size() == 1);
  CHECK(data.hosts.begin()->second.tables.Find("users") != nullptr);
}

TEST_CASE("FileVault is the users' volume's row, whatever Preboot and VM say", "[osquery]") {
  const std::string preboot = Row("/dev/disk3s2", "off", "");
  const std::string vm = Row("/dev/disk3s6", "off", "");
  Result<MacFromOsquery> on =
      WithVolumes("[" + preboot + "," + Row("/dev/disk3s5", "on", "U-501") + "," + vm + "]");
  REQUIRE(on.ok());
  CHECK(on.value().device.filevault.status == FileVaultStatus::kOn);

  Result<MacFromOsquery> off =
      WithVolumes("[" + Row("/dev/disk3s5", "off", "U-501") + "," + vm + "]");
  REQUIRE(off.ok());
  CHECK(off.value().device.filevault.status == FileVaultStatus::kOff);
  // A deferral or encryption in progress cannot show: said so.
  bool said = false;
  for (const std::string& u : off.value().filevault_unknown) {
    said = said || u.find("whether a FileVault enablement is deferred") == 0;
  }
  CHECK(said);

  // Only volumes without users' crypto users: cannot tell.
  Result<MacFromOsquery> none = WithVolumes("[" + preboot + "," + vm + "]");
  REQUIRE(none.ok());
  CHECK_FALSE(none.value().device.filevault.status.has_value());
}

TEST_CASE("fleetd's filevault_status is read first: it shows a deferral", "[osquery]") {
  // disk_encryption says off: a deferred enablement is off until the logout.
  const std::string host =
      R"("hostIdentifier":"4740D59F-699E-5B29-960B-979AAF9BBEEB","action":"snapshot","snapshot":)";
  auto line = [&](const std::string& query, const std::string& rows) {
    return "{\"name\":\"pack_accord_accord_" + query + "\"," + host + rows + "}\n";
  };
  const std::string users =
      R"([{"username":"ann","uid":"501","gid":"20","description":"Ann","directory":"/Users/ann","shell":"/bin/zsh","uuid":"U-501","is_hidden":"0"}])";
  std::string dir = test::TempDir("filevault-status");
  auto ingest = [&](const std::string& status) {
    test::WriteFile(dir + "/osqueryd.results.log",
                    line("users", users) +
                        line("disk_encryption", "[" + Row("/dev/disk3s5", "off", "U-501") + "]") +
                        line("filevault_status", R"([{"status":")" + status + R"("}])"));
    Inventory inventory = ReadInventory(dir);
    REQUIRE(inventory.macs.size() == 1);
    REQUIRE(inventory.macs.front().device);
    return inventory.macs.front();
  };
  InventoryMac deferred =
      ingest(R"(FileVault is Off.\nDeferred enablement appears to be active for user 'ann'.)");
  CHECK(deferred.device->filevault.status == FileVaultStatus::kDeferred);
  CHECK(deferred.device->filevault.deferred_user == std::string("ann"));
  for (const std::string& u : deferred.unknown) {
    CHECK(u.rfind("FileVault's status", 0) == std::string::npos);
    CHECK(u.rfind("whether a FileVault enablement", 0) == std::string::npos);
  }
  // Text that is not fdesetup's leaves disk_encryption's answer, said so.
  InventoryMac odd = ingest("maybe");
  CHECK(odd.device->filevault.status == FileVaultStatus::kOff);
  bool said = false;
  for (const std::string& u : odd.unknown)
    said = said || u.find("which is not fdesetup's") != std::string::npos;
  CHECK(said);
}

}  // namespace accord
