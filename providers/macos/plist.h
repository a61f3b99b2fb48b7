// SPDX-License-Identifier: Apache-2.0
// A reader for XML property lists, as dscl -plist, diskutil -plist and
// fdesetup print them. Pure; tolerant of truncation: what was complete is
// kept and the error says where the text stopped, so one damaged record
// need not cost the rest.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace accord {

// A dict entry. Declared ahead: a std::pair<std::string, PlistValue> inside
// PlistValue needs PlistValue complete, which clang with libstdc++ 12
// enforces (vectors of an incomplete type are fine since C++17).
struct PlistEntry;

struct PlistValue {
  enum class Kind { kDict, kArray, kString, kInteger, kReal, kBool, kDate, kData };
  Kind kind = Kind::kString;
  std::string text;  // string, integer, real, date, data: as written
  bool boolean = false;
  std::vector<PlistEntry> dict;
  std::vector<PlistValue> array;

  const PlistValue* Get(const std::string& key) const;  // dict lookup
  // The strings of an array of strings (dscl's attribute values).
  std::vector<std::string> Strings() const;
};

struct PlistEntry {
  std::string key;
  PlistValue value;
};

struct PlistParse {
  PlistValue root;
  std::string error;  // empty when the whole text was a valid plist
  bool ok() const { return error.empty(); }
};

PlistParse ParsePlist(const std::string& xml);

// Text made safe inside a plist's <string> or <key>.
std::string EscapeXml(const std::string& text);

}  // namespace accord
