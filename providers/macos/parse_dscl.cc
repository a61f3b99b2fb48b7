// SPDX-License-Identifier: Apache-2.0
// Directory Service output parsers.
#include "macos/parse_dscl.h"

#include <charconv>
#include <sstream>

#include "macos/plist.h"
#include "macos/text_lines.h"

namespace accord {
namespace {

// "Key: values" or "Key:" with the values on the lines that follow. A key
// has no spaces and starts with a letter ("dsAttrTypeNative:_writers_hint").
bool AttributeLine(const std::string& line, std::string& key, std::string& rest) {
  if (line.empty() || !std::isalpha(static_cast<unsigned char>(line[0]))) return false;
  std::size_t sep = line.find(": ");
  if (sep == std::string::npos) {
    if (line.back() != ':' || line.find(' ') != std::string::npos) return false;
    key = line.substr(0, line.size() - 1);
    rest.clear();
    return true;
  }
  key = line.substr(0, sep);
  if (key.find(' ') != std::string::npos) return false;
  rest = line.substr(sep + 2);
  return true;
}

using Values = std::optional<std::vector<std::string>>;

Known<std::int64_t> Integer(const Values& values) {
  if (!values || values->size() != 1) return std::nullopt;
  const std::string& s = values->front();
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

Known<std::string> Single(const Values& values) {
  if (!values || values->size() != 1) return std::nullopt;
  return values->front();
}

// Reads one user record; nullopt if it lacks what every account has.
std::optional<DsUser> UserFrom(const PlistValue& record) {
  auto attr = [&](const char* name) -> Values {
    const PlistValue* v = record.Get(std::string("dsAttrTypeStandard:") + name);
    if (!v) return std::nullopt;
    return v->Strings();
  };
  DsUser u;
  Values names = attr("RecordName");
  if (!names || names->empty()) return std::nullopt;
  u.name = names->front();
  u.uid = NormalizeUid(Integer(attr("UniqueID")));  // nobody: -2
  u.gid = NormalizeUid(Integer(attr("PrimaryGroupID")));
  u.real_name = Single(attr("RealName"));
  u.shell = Single(attr("UserShell"));
  u.home = Single(attr("NFSHomeDirectory"));
  u.guid = Single(attr("GeneratedUID"));
  // IsHidden is a native attribute (dsAttrTypeNative:IsHidden, as real
  // records, Chef's mac_user and osquery's users.is_hidden have it); the
  // standard spelling, which no real record carries, is read too, and the
  // two disagreeing is unknown. Absent, the account is shown.
  struct Flag {
    bool present = false;
    Known<bool> value;  // unknown where it holds other than one value
  };
  auto flag = [&](const PlistValue* v) {
    Flag f;
    if (!v) return f;
    f.present = true;
    std::vector<std::string> values = v->Strings();
    if (values.size() == 1) f.value = values.front() == "1" || values.front() == "YES";
    return f;
  };
  const Flag native = flag(record.Get("dsAttrTypeNative:IsHidden"));
  const Flag standard = flag(record.Get("dsAttrTypeStandard:IsHidden"));
  if (native.present && standard.present) {
    u.hidden = native.value == standard.value ? native.value : Known<bool>();
  } else if (native.present || standard.present) {
    u.hidden = native.present ? native.value : standard.value;
  } else {
    u.hidden = false;
  }
  if (Values aa = attr("AuthenticationAuthority")) {
    for (const std::string& a : *aa)
      u.secure_token_tag |= a.find(";SecureToken;") != std::string::npos;
  }
  // accountPolicyData is a plist inside one string value; its
  // passwordLastSetTime changes whenever the password is set (as in the
  // `dscl . read` fixture dscl-read-user-1.txt). Kept as printed: it is
  // compared, never computed with.
  if (const PlistValue* policy = record.Get("dsAttrTypeNative:accountPolicyData")) {
    std::vector<std::string> text = policy->Strings();
    if (text.size() == 1) {
      PlistParse inner = ParsePlist(text.front());
      const PlistValue* set = inner.ok() ? inner.root.Get("passwordLastSetTime") : nullptr;
      if (set && (set->kind == PlistValue::Kind::kReal || set->kind == PlistValue::Kind::kInteger))
        u.password_last_set = set->text;
    }
  }
  if (!u.uid) return std::nullopt;  // a user record without a number is damaged
  return u;
}

}  // namespace

DsRecord ParseDsclRecord(const std::string& text) {
  DsRecord record;
  std::string key;
  std::string rest;
  std::string current;
  for (const std::string& line : Lines(text)) {
    if (AttributeLine(line, key, rest)) {
      current = key;
      std::vector<std::string>& values = record[current];
      for (std::string& w : Words(rest)) values.push_back(std::move(w));
    } else if (!current.empty()) {
      std::vector<std::string>& values = record[current];
      std::string value = line.size() > 0 && line[0] == ' ' ? line.substr(1) : line;
      // An embedded plist stays one value, joined back line by line.
      bool in_plist = !values.empty() && values.back().find("<?xml") == 0 &&
                      values.back().find("</plist>") == std::string::npos;
      if (in_plist) {
        values.back() += "\n" + value;
      } else if (!Trim(value).empty()) {
        values.push_back(Trim(value));
      }
    }
  }
  return record;
}

std::optional<DsError> ParseDsError(const std::string& text) {
  std::size_t at = text.find("DS Error: ");
  if (at == std::string::npos) return std::nullopt;
  DsError e;
  const char* begin = text.data() + at + 10;
  auto [p, ec] = std::from_chars(begin, text.data() + text.size(), e.code);
  if (ec != std::errc()) return std::nullopt;
  std::size_t open = text.find('(', at);
  std::size_t close = text.find(')', at);
  if (open != std::string::npos && close != std::string::npos && open < close) {
    e.name = text.substr(open + 1, close - open - 1);
  }
  return e;
}

DsUsers ParseDsclUsersPlist(const std::string& xml) {
  DsUsers out;
  PlistParse p = ParsePlist(xml);
  out.error = p.error;
  std::vector<const PlistValue*> records;
  if (p.root.kind == PlistValue::Kind::kArray) {
    for (const PlistValue& r : p.root.array) records.push_back(&r);
  } else if (p.root.kind == PlistValue::Kind::kDict && !p.root.dict.empty()) {
    records.push_back(&p.root);
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    std::optional<DsUser> u = UserFrom(*records[i]);
    if (u) {
      out.users.push_back(std::move(*u));
    } else {
      const PlistValue* names = records[i]->Get("dsAttrTypeStandard:RecordName");
      std::vector<std::string> n = names ? names->Strings() : std::vector<std::string>{};
      out.unreadable.push_back(n.empty() ? "record " + std::to_string(i) : n.front());
    }
  }
  return out;
}

GroupMembers ParseDsclGroupPlist(const std::string& xml) {
  GroupMembers g;
  PlistParse p = ParsePlist(xml);
  if (!p.ok() || p.root.kind != PlistValue::Kind::kDict) return g;
  if (const PlistValue* v = p.root.Get("dsAttrTypeStandard:GroupMembership"))
    g.names = v->Strings();
  if (const PlistValue* v = p.root.Get("dsAttrTypeStandard:GroupMembers")) g.guids = v->Strings();
  g.ok = true;
  return g;
}

}  // namespace accord
