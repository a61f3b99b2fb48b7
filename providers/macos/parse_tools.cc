// SPDX-License-Identifier: Apache-2.0
// Parsers for fdesetup, profiles, diskutil, sysadminctl, sw_vers and ls.
#include "macos/parse_tools.h"

#include <charconv>
#include <regex>
#include <sstream>

#include "macos/plist.h"
#include "macos/text_lines.h"

namespace accord {
namespace {

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// The value after "label: " on the line holding `label`, as YES/NO.
Known<bool> YesNoAfter(const std::string& text, const std::string& label) {
  for (const std::string& line : Lines(text)) {
    std::size_t at = line.find(label);
    if (at == std::string::npos) continue;
    std::string value = Trim(line.substr(at + label.size()));
    if (value.rfind("YES", 0) == 0 || value.rfind("Yes", 0) == 0) return true;
    if (value.rfind("NO", 0) == 0 || value.rfind("No", 0) == 0) return false;
  }
  return std::nullopt;
}

bool IsGuid(const std::string& s) {
  static const std::regex kGuid(
      "^[0-9A-FX]{8}-[0-9A-FX]{4}-[0-9A-FX]{4}-[0-9A-FX]{4}-[0-9A-FX]{12}$", std::regex::icase);
  return std::regex_match(s, kGuid);
}

}  // namespace

std::vector<std::string> SysadminctlMessages(const std::string& stderr_text) {
  static const std::regex kPrefix(
      R"(^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+ sysadminctl\[\d+:[0-9a-fx]+\] )");
  std::vector<std::string> out;
  for (const std::string& line : Lines(stderr_text)) {
    std::smatch m;
    if (std::regex_search(line, m, kPrefix)) {
      out.push_back(m.suffix());
    } else if (!Trim(line).empty()) {
      out.push_back(line);
    }
  }
  return out;
}

Known<bool> ParseSecureTokenStatus(const std::string& stderr_text) {
  for (const std::string& m : SysadminctlMessages(stderr_text)) {
    if (m.rfind("Secure token is ENABLED for user", 0) == 0) return true;
    if (m.rfind("Secure token is DISABLED for user", 0) == 0) return false;
  }
  return std::nullopt;
}

FdeStatus ParseFdesetupStatus(const std::string& text) {
  FdeStatus s;
  static const std::regex kDeferredUser("enablement appears to be active for user '([^']+)'");
  bool on = false, off = false, encrypting = false, decrypting = false, deferred = false;
  for (const std::string& line : Lines(text)) {
    on = on || line.rfind("FileVault is On", 0) == 0;
    if (line.rfind("FileVault is Off", 0) == 0) {
      off = true;
      deferred = deferred || Contains(line, "will be enabled");
    }
    encrypting = encrypting || line.rfind("Encryption in progress", 0) == 0;
    decrypting = decrypting || line.rfind("Decryption in progress", 0) == 0;
    if (Contains(line, "Deferred enablement appears to be active")) deferred = true;
    std::smatch m;
    if (std::regex_search(line, m, kDeferredUser)) s.deferred_user = m[1];
  }
  // Progress says more than On, a deferral more than Off, in any order.
  if (decrypting) {
    s.status = FileVaultStatus::kDecrypting;
  } else if (encrypting) {
    s.status = FileVaultStatus::kEncrypting;
  } else if (deferred) {
    s.status = FileVaultStatus::kDeferred;
  } else if (on) {
    s.status = FileVaultStatus::kOn;
  } else if (off) {
    s.status = FileVaultStatus::kOff;
  }
  return s;
}

std::vector<FdeUser> ParseFdesetupList(const std::string& text) {
  std::vector<FdeUser> out;
  for (const std::string& raw : Lines(text)) {
    std::string line = Trim(raw);
    if (line.empty() || line.rfind("ESCROW", 0) == 0) continue;
    if (std::size_t comma = line.find(','); comma != std::string::npos) {
      std::string guid = Trim(line.substr(comma + 1));
      if (IsGuid(guid)) out.push_back({Trim(line.substr(0, comma)), guid, ""});
      continue;
    }
    // -extended: [ESCROW] UUID TYPE [USER]; TYPE may be several words.
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    std::size_t g = 0;
    while (g < words.size() && !IsGuid(words[g])) ++g;
    if (g == words.size()) continue;
    FdeUser u;
    u.guid = words[g];
    std::vector<std::string> rest(words.begin() + static_cast<long>(g) + 1, words.end());
    if (rest.size() >= 3 && rest[0] == "OS" && rest[1] == "User") {
      u.type = "OS User";
      u.name = rest[2];
    } else {
      for (const std::string& w : rest) u.type += (u.type.empty() ? "" : " ") + w;
    }
    out.push_back(u);
  }
  return out;
}

Known<bool> ParseTrueFalse(const std::string& text) {
  std::string t = Trim(text);
  if (t == "true") return true;
  if (t == "false") return false;
  return std::nullopt;
}

FdeDeferral ParseFdesetupDeferral(const std::string& text) {
  FdeDeferral d;
  static const std::regex kDefer(R"(Defer\s*=\s*(\d+)\s*;)");
  std::smatch m;
  if (std::regex_search(text, m, kDefer)) d.active = m[1] != "0";
  std::size_t users = text.find("Usernames");
  if (users != std::string::npos) {
    std::size_t open = text.find('(', users);
    std::size_t close = text.find(')', users);
    if (open != std::string::npos && close != std::string::npos && open < close) {
      std::string inside = text.substr(open + 1, close - open - 1);
      std::istringstream in(inside);
      for (std::string item; std::getline(in, item, ',');) {
        item = Trim(item);
        if (item.size() >= 2 && item.front() == '"') item = item.substr(1, item.size() - 2);
        if (!item.empty()) d.users.push_back(item);
      }
    }
  }
  return d;
}

Known<bool> ParseProfilesEnrollment(const std::string& text) {
  return YesNoAfter(text, "MDM enrollment:");
}

BootstrapStatus ParseProfilesBootstrap(const std::string& text) {
  BootstrapStatus b;
  b.supported = YesNoAfter(text, "Bootstrap Token supported on server:");
  b.escrowed = YesNoAfter(text, "Bootstrap Token escrowed to server:");
  if (b.supported == false) b.escrowed = false;  // nothing to escrow to
  return b;
}

CryptoUsers ParseCryptoUsersPlist(const std::string& xml) {
  CryptoUsers c;
  PlistParse p = ParsePlist(xml);
  c.complete = p.ok();
  const PlistValue* users = p.root.Get("Users");
  if (!users) {
    c.complete = false;
    return c;
  }
  for (const PlistValue& u : users->array) {
    const PlistValue* type = u.Get("APFSCryptoUserType");
    const PlistValue* guid = u.Get("APFSCryptoUserUUID");
    if (!type || !guid) continue;
    // VolumeOwner, a boolean per crypto user (Apple silicon), as in the
    // fixture diskutil-apfs-listcryptousers-plist-volumeowner-found.txt.
    const PlistValue* owner = u.Get("VolumeOwner");
    if (owner && owner->kind == PlistValue::Kind::kBool) c.owners_known = true;
    if (type->text == "LocalOpenDirectory") {
      c.local_user_guids.push_back(guid->text);
      if (owner && owner->kind == PlistValue::Kind::kBool && owner->boolean) {
        c.volume_owner_guids.push_back(guid->text);
      }
    } else {
      c.others.emplace_back(guid->text, type->text);
    }
  }
  return c;
}

Known<std::string> ParseConsoleUser(const std::string& text) {
  std::string t = Trim(text);
  if (t.empty() || t.find_first_of(" \t\n") != std::string::npos) return std::nullopt;
  if (t == "root" || t == "_mbsetupuser") return std::string();
  return t;
}

Known<std::string> ParseSwVers(const std::string& text) {
  std::string t = Trim(text);
  static const std::regex kVersion(R"(^\d+(\.\d+){0,2}$)");
  if (!std::regex_match(t, kVersion)) return std::nullopt;
  return t;
}

PlatformIdentity ParseIoregPlatform(const std::string& text) {
  struct Key {
    std::string_view prefix;
    Known<std::string> PlatformIdentity::*field;
    int seen;
    Known<std::string> value;
  };
  Key keys[] = {{"\"IOPlatformUUID\" = \"", &PlatformIdentity::hardware_uuid, 0, {}},
                {"\"IOPlatformSerialNumber\" = \"", &PlatformIdentity::serial, 0, {}}};
  for (const std::string& raw : Lines(text)) {
    const std::string line = Trim(raw);
    for (Key& k : keys) {
      if (line.compare(0, k.prefix.size(), k.prefix) != 0) continue;
      ++k.seen;
      std::string value = line.substr(k.prefix.size());
      if (value.size() < 2 || value.back() != '"') continue;  // not a string
      value.pop_back();
      if (value.find('"') == std::string::npos) k.value = value;
    }
  }
  PlatformIdentity id;
  for (const Key& k : keys) {
    if (k.seen == 1) id.*k.field = k.value;
  }
  return id;
}

std::vector<ObservedHome> ParseUsersListing(const std::string& text, const std::string& parent) {
  std::vector<ObservedHome> homes;
  for (const std::string& line : Lines(text)) {
    if (line.empty() || line[0] != 'd') continue;  // folders only
    std::istringstream in(line);
    std::string mode, links, uid, gid, size, month, day, time_or_year;
    in >> mode >> links >> uid >> gid >> size >> month >> day >> time_or_year;
    std::string name;
    std::getline(in, name);
    name = Trim(name);
    if (name.empty() || name == "." || name == ".." || name[0] == '.') continue;
    std::int64_t owner = 0;
    auto [p, ec] = std::from_chars(uid.data(), uid.data() + uid.size(), owner);
    Known<std::int64_t> known;
    if (ec == std::errc() && p == uid.data() + uid.size()) known = NormalizeUid(owner);
    homes.push_back({parent + "/" + name, known});
  }
  return homes;
}

// `profiles -C -o stdout-xml` as root: a plist whose "_computerlevel" key
// holds the system-scoped profiles, each with "ProfileItems", each payload
// with its "PayloadType". That shape is read the same way by osquery's
// community profiles extension and by Sal's profiles check-in module
// (salopensource/sal-scripts), both from this same command.
Known<bool> ParseProfilesEscrowPayload(const std::string& xml) {
  PlistParse p = ParsePlist(xml);
  if (!p.ok() || p.root.kind != PlistValue::Kind::kDict) return std::nullopt;
  const PlistValue* computer = p.root.Get("_computerlevel");
  if (!computer) return false;  // a valid listing with no system-scoped profile
  if (computer->kind != PlistValue::Kind::kArray) return std::nullopt;
  bool shape_ok = true;
  for (const PlistValue& profile : computer->array) {
    const PlistValue* items = profile.Get("ProfileItems");
    if (!items || items->kind != PlistValue::Kind::kArray) {
      shape_ok = false;  // a profile whose payloads cannot be read
      continue;
    }
    for (const PlistValue& payload : items->array) {
      const PlistValue* type = payload.Get("PayloadType");
      if (!type || type->kind != PlistValue::Kind::kString) {
        shape_ok = false;
      } else if (type->text == kRecoveryKeyEscrowPayload) {
        return true;
      }
    }
  }
  // Not found: "no" only if every payload could be read.
  return shape_ok ? Known<bool>(false) : std::nullopt;
}

}  // namespace accord
