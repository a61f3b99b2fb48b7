// SPDX-License-Identifier: Apache-2.0
// Reading an inventory folder, one reader per kind of source.
#include "inventory/inventory.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>

#include "core/names.h"
#include "core/text_file.h"
#include "macos/capture.h"
#include "macos/macos_provider.h"
#include "macos/parse_tools.h"
#include "model/snapshot_codec.h"
#include "osquery/osquery_device.h"
#include "osquery/osquery_results.h"

namespace accord {
namespace {

namespace fs = std::filesystem;

// osqueryd rotates its result log at 25 MiB by default (--logger_rotate_size);
// exports of a whole fleet are larger. Far beyond either is not a log.
constexpr std::size_t kMaxInventoryFileBytes = std::size_t{1} << 30;

class Reader {
 public:
  explicit Reader(InventoryMode mode) : mode_(mode) {}

  Inventory Run(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      inventory_.errors.push_back({Severity::kError,
                                   dir,
                                   {},
                                   "",
                                   "not a folder: --inventory takes the folder of the fleet's "
                                   "data (osquery results, snapshots, capture bundles)"});
      return std::move(inventory_);
    }
    Walk(dir, 0);
    Osquery();
    inventory_.macs.reserve(macs_.size());
    for (auto& [uuid, mac] : macs_) inventory_.macs.push_back(std::move(mac));
    std::sort(inventory_.macs.begin(), inventory_.macs.end(),
              [](const InventoryMac& a, const InventoryMac& b) {
                return std::tie(Label(a.identity), a.identity.hardware_uuid) <
                       std::tie(Label(b.identity), b.identity.hardware_uuid);
              });
    for (std::size_t i = 0; i < inventory_.macs.size(); ++i) inventory_.macs[i].index = i;
    inventory_.ignored = osquery_.ignored;
    Diagnostics& errors = inventory_.errors;
    errors.insert(errors.end(), osquery_.errors.begin(), osquery_.errors.end());
    SortByPosition(errors);
    return std::move(inventory_);
  }

 private:
  // Sorted, so that the order of result lines across files is the same on
  // every machine; nested folders are read too (one per day, per team…).
  void Walk(const fs::path& dir, int depth) {
    std::vector<fs::path> entries;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    for (const fs::path& p : entries) {
      std::string name = p.filename().string();
      if (name.empty() || name[0] == '.') continue;
      if (fs::is_directory(p, ec)) {
        if (fs::exists(p / "commands.txt", ec)) {
          Bundle(p);
        } else if (depth < 8) {
          Walk(p, depth + 1);
        }
        continue;
      }
      std::string ext = p.extension().string();
      if (ext == ".json") {
        Json(p);
      } else if (ext == ".log" || ext == ".jsonl" || ext == ".ndjson") {
        Log(p);
      }
    }
  }

  // A result log is read a line at a time, never held whole (a fleet's is
  // hundreds of megabytes); one pretty-printed result, whose first line is
  // not a whole object, is read whole.
  void Log(const fs::path& p) {
    if (PrettyPrinted(p)) {
      if (auto text = Read(p)) ReadResultLog(*text, p.string(), osquery_);
      return;
    }
    Status read =
        ForEachLine(p.string(), kMaxInventoryFileBytes, ResultLineReader(p.string(), osquery_));
    if (!read.ok()) FailFile(p.string(), read.errors().front(), osquery_);
  }

  // (Decided from the first 64 KiB: a first line longer than that is a
  // result line, not a pretty-printed document's "{".)
  static bool PrettyPrinted(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::string head(1 << 16, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    std::size_t from = head.find_first_not_of(" \t\r\n");
    if (from == std::string::npos) return false;
    std::size_t end = head.find('\n', from);
    if (end == std::string::npos) return false;
    std::string_view first(head.data() + from, end - from);
    while (!first.empty() && (first.back() == ' ' || first.back() == '\r')) first.remove_suffix(1);
    return first.front() == '{' && first.back() != '}';
  }

  std::optional<std::string> Read(const fs::path& p) {
    Result<std::string> text = ReadTextFile(p.string(), kMaxInventoryFileBytes);
    if (!text.ok()) {
      Diagnostics e = text.errors();
      inventory_.errors.insert(inventory_.errors.end(), e.begin(), e.end());
      return std::nullopt;
    }
    return std::move(text).value();
  }

  void Json(const fs::path& p) {
    std::optional<std::string> text = Read(p);
    if (!text) return;
    std::string head = text->substr(0, 4096);
    if (head.find("\"accord_device\"") != std::string::npos) {
      Snapshot(p, *text);
    } else if (head.find("\"query_id\"") != std::string::npos &&
               text->find("\"results\"") != std::string::npos) {
      ReadFleetReport(*text, p.string(), p.stem().string(), osquery_);
    } else {
      ReadResultLog(*text, p.string(), osquery_);
    }
  }

  // A snapshot or bundle names its Mac by its file or folder name.
  InventoryMac* Named(const fs::path& p, const std::string& what) {
    std::string uuid = ToUpper(p.stem().string());
    if (!IsHardwareUuid(uuid)) {
      inventory_.errors.push_back({Severity::kError,
                                   p.string(),
                                   {},
                                   "",
                                   what + " is not named by its Mac's hardware UUID (e.g. " +
                                       "4740D59F-699E-5B29-960B-979AAF9BBEEB" +
                                       (what == "a snapshot" ? ".json" : "") +
                                       "); Accord keys Macs by hardware UUID, not host name"});
      return nullptr;
    }
    return Add(uuid, p.string());
  }

  InventoryMac* Add(const std::string& uuid, const std::string& source) {
    auto [it, fresh] = macs_.try_emplace(uuid);
    InventoryMac& mac = it->second;
    mac.identity.hardware_uuid = uuid;
    if (!fresh) {
      mac.errors.push_back({Severity::kError,
                            source,
                            {},
                            "",
                            "a second source for Mac " + uuid + " (the first is " + mac.source +
                                "); keep one per Mac"});
      mac.device.reset();
      return nullptr;
    }
    mac.source = source;
    return &mac;
  }

  // A snapshot or bundle is filed under its Mac's hardware UUID: the Mac
  // it shows must be that one (where it says), and is known to be it.
  static bool NamedAs(DeviceState& device, InventoryMac& mac, const std::string& source) {
    const std::string& uuid = mac.identity.hardware_uuid;
    if (device.hardware_uuid && ToUpper(*device.hardware_uuid) != uuid) {
      mac.errors.push_back({Severity::kError,
                            source,
                            {},
                            "hardware_uuid",
                            "it is filed under " + uuid + " but shows the Mac " +
                                Printable(*device.hardware_uuid) +
                                "; name each file by its own Mac's hardware UUID"});
      return false;
    }
    device.hardware_uuid = uuid;
    return true;
  }

  void Snapshot(const fs::path& p, const std::string& text) {
    InventoryMac* mac = Named(p, "a snapshot");
    if (!mac) return;
    mac->source = "snapshot " + p.string();
    Result<DeviceState> state = ParseSnapshot(text, p.string());
    if (!state.ok()) {
      mac->errors = state.errors();
      return;
    }
    DeviceState device = std::move(state).value();
    if (!NamedAs(device, *mac, p.string())) return;
    mac->identity.name = device.name;
    mac->identity.serial = device.serial;
    mac->device = std::make_shared<const DeviceState>(std::move(device));
  }

  void Bundle(const fs::path& p) {
    InventoryMac* mac = Named(p, "a capture bundle");
    if (!mac) return;
    mac->source = "capture " + p.string();
    ReplayRunner runner(p.string());
    Result<DeviceState> observed = MacosProvider(runner, "captured bundle " + p.string()).Observe();
    if (!observed.ok()) {
      mac->errors = observed.errors();
      return;
    }
    DeviceState device = std::move(observed).value();
    if (!NamedAs(device, *mac, p.string())) return;
    mac->identity.name = device.name;
    mac->identity.serial = device.serial;
    mac->device = std::make_shared<const DeviceState>(std::move(device));
  }

  // fleetd's filevault_status is `fdesetup status`, read by the macOS
  // provider's own parser: it shows a deferral and progress, which
  // disk_encryption cannot. Text it does not recognise leaves
  // disk_encryption's answer, and says so.
  static void FileVaultFirst(MacFromOsquery& found) {
    std::vector<std::string> unknown = std::move(found.filevault_unknown);
    if (found.fdesetup_status) {
      FdeStatus s = ParseFdesetupStatus(*found.fdesetup_status);
      if (s.status) {
        FileVaultState& fv = found.device.filevault;
        fv.status = s.status;
        if (s.deferred_user) fv.deferred_user = s.deferred_user;
        unknown.clear();
      } else {
        unknown.push_back("FileVault's status: fleetd's filevault_status says " +
                          Printable(*found.fdesetup_status) + ", which is not fdesetup's");
      }
    }
    found.unknown.insert(found.unknown.begin(), unknown.begin(), unknown.end());
  }

  // A Mac's device state from its rows.
  static void FromRows(const HostRows& rows, InventoryMac& mac) {
    Result<MacFromOsquery> mapped = DeviceFromOsquery(rows);
    if (!mapped.ok()) {
      mac.errors = mapped.errors();
      return;
    }
    MacFromOsquery found = std::move(mapped).value();
    FileVaultFirst(found);
    mac.device = std::make_shared<const DeviceState>(std::move(found.device));
    mac.unknown = std::move(found.unknown);
    mac.fixes = std::move(found.fixes);
    mac.last_apply = std::move(found.last_apply);
  }

  // Each Mac's rows move into its InventoryMac, which makes its device
  // state from them now (kWhole, and the rows go) or when planned (kLazy).
  void Osquery() {
    for (auto& [uuid, host] : osquery_.hosts) {
      InventoryMac* mac = Add(uuid, "osquery results " + Join(host.files, ", "));
      if (!mac) continue;
      mac->identity = IdentityFromOsquery(host);
      if (auto errors = osquery_.host_errors.find(uuid); errors != osquery_.host_errors.end()) {
        mac->errors = errors->second;
        host.tables.Clear();
        continue;
      }
      host.tables.Shrink();
      auto rows = std::make_shared<const HostRows>(std::move(host));
      mac->complete = [rows](InventoryMac& m) { FromRows(*rows, m); };
      if (mode_ == InventoryMode::kWhole) Complete(*mac);
    }
    // A Mac whose only line was truncated is still a Mac that failed.
    for (const auto& [uuid, errors] : osquery_.host_errors) {
      if (osquery_.hosts.count(uuid)) continue;
      if (InventoryMac* mac = Add(uuid, "osquery results")) mac->errors = errors;
    }
  }

  InventoryMode mode_;
  Inventory inventory_;
  OsqueryData osquery_;
  std::map<std::string, InventoryMac> macs_;
};

}  // namespace

Inventory ReadInventory(const std::string& dir, InventoryMode mode) {
  return Reader(mode).Run(dir);
}

Result<const InventoryMac*> FindMac(const Inventory& inventory, const std::string& id,
                                    const std::string& dir) {
  const std::string uuid = ToUpper(id);
  std::vector<const InventoryMac*> found;
  for (const InventoryMac& m : inventory.macs) {
    if (uuid == m.identity.hardware_uuid || m.identity.name == id) found.push_back(&m);
  }
  if (found.size() == 1) return found.front();
  return Because(found.empty() ? "no Mac in " + dir + " is " + Printable(id)
                               : Printable(id) + " names " + std::to_string(found.size()) +
                                     " Macs; give the hardware UUID");
}

}  // namespace accord
