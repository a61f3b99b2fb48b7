// SPDX-License-Identifier: Apache-2.0
// Selectors against a Mac's identity.
#include "model/fleet.h"

#include <fnmatch.h>

#include <algorithm>

#include "core/names.h"

namespace accord {
namespace {

bool AnyEqualIgnoringCase(const std::vector<std::string>& list, const std::string& value) {
  std::string v = ToLower(value);
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& s) { return ToLower(s) == v; });
}

void Add(std::string& out, const char* key, const std::vector<std::string>& values) {
  if (values.empty()) return;
  if (!out.empty()) out += " and ";
  out += key;
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : " ") + values[i];
}

}  // namespace

std::optional<bool> Selects(const Selector& select, const MacIdentity& mac) {
  if (select.all) return true;
  bool cannot_tell = false;
  if (!select.names.empty()) {
    if (!mac.name) {
      cannot_tell = true;
    } else if (std::none_of(select.names.begin(), select.names.end(), [&](const std::string& g) {
                 return fnmatch(g.c_str(), mac.name->c_str(), 0) == 0;
               })) {
      return false;
    }
  }
  if (!select.serials.empty()) {
    if (!mac.serial) {
      cannot_tell = true;
    } else if (!AnyEqualIgnoringCase(select.serials, *mac.serial)) {
      return false;
    }
  }
  if (!select.hardware_uuids.empty() &&
      !AnyEqualIgnoringCase(select.hardware_uuids, mac.hardware_uuid)) {
    return false;
  }
  if (!select.labels.empty() &&
      std::none_of(select.labels.begin(), select.labels.end(), [&](const std::string& l) {
        return std::find(mac.labels.begin(), mac.labels.end(), l) != mac.labels.end();
      })) {
    return false;
  }
  if (cannot_tell) return std::nullopt;
  return true;
}

const std::string& Label(const MacIdentity& mac) {
  return mac.name ? *mac.name : mac.hardware_uuid;
}

std::string Describe(const Selector& select) {
  if (select.all) return "all Macs";
  std::string out;
  Add(out, "names", select.names);
  Add(out, "serials", select.serials);
  Add(out, "hardware UUIDs", select.hardware_uuids);
  Add(out, "labels", select.labels);
  return out;
}

void Complete(InventoryMac& mac) {
  if (!mac.complete) return;
  std::function<void(InventoryMac&)> complete = std::move(mac.complete);
  mac.complete = nullptr;
  complete(mac);
}

void InSourceWords(std::string& fix, const InventoryMac& mac) {
  for (const auto& [said, meant] : mac.fixes) {
    for (std::size_t at = fix.find(said); at != std::string::npos;
         at = fix.find(said, at + meant.size())) {
      fix.replace(at, said.size(), meant);
    }
  }
}

}  // namespace accord
