// SPDX-License-Identifier: Apache-2.0
// Strict JSON reading: nlohmann/json with Accord's limits and messages.
#include "core/json_reader.h"

#include <algorithm>
#include <set>
#include <vector>

#include "core/json_input.h"
#include "core/names.h"

namespace accord {
namespace {

// Frames of the JSON being parsed, to name the path of a duplicate key.
class DuplicateKeyFinder {
 public:
  bool OnEvent(Json::parse_event_t event, const Json& parsed) {
    using E = Json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start: frames_.push_back({event == E::array_start, 0, "", {}}); break;
      case E::key: {
        Frame& f = frames_.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second && first_.empty()) {
          first_ = Path() + ": duplicate key " + Printable(f.key);
        }
        break;
      }
      case E::object_end:
      case E::array_end:
        frames_.pop_back();
        ElementDone();
        break;
      case E::value: ElementDone(); break;
    }
    return true;
  }
  const std::string& first_duplicate() const { return first_; }

 private:
  struct Frame {
    bool array;
    std::size_t index;
    std::string key;
    std::set<std::string> keys;
  };
  void ElementDone() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }
  std::string Path() const {
    std::string p;
    for (const Frame& f : frames_) {
      if (f.array) {
        p += "[" + std::to_string(f.index) + "]";
      } else if (&f != &frames_.back()) {
        p += (p.empty() ? "" : ".") + f.key;
      }
    }
    return p.empty() ? "(top level)" : p;
  }
  std::vector<Frame> frames_;
  std::string first_;
};

// The members the parsed objects hold; the depth is bounded by kMaxJsonDepth.
std::size_t HeldMembers(const Json& j) {
  std::size_t members = j.is_object() ? j.size() : 0;
  if (j.is_structured()) {
    for (const Json& child : j) members += HeldMembers(child);
  }
  return members;
}

}  // namespace

// nlohmann keeps the last of two equal keys. A parse that tracks every key
// costs a third of a large snapshot's reading, so the common case only
// counts: fewer members held than spelled means a key repeated, and only
// then is the text parsed again to name where.
Result<Json> ParseStrictJson(const std::string& text, const std::string& file) {
  const JsonScan scan = ScanJson(text);
  if (scan.too_deep_at) return Diagnostics{JsonTooDeepError(*scan.too_deep_at, text, file)};
  Json root;
  try {
    root = Json::parse(text);
    if (HeldMembers(root) != scan.members) {
      DuplicateKeyFinder duplicates;
      Json again = Json::parse(text, [&](int, Json::parse_event_t event, Json& parsed) {
        return duplicates.OnEvent(event, parsed);
      });
      const std::string& first = duplicates.first_duplicate();
      return SingleError(file, {}, "", first.empty() ? "(top level): a key is repeated" : first);
    }
  } catch (const Json::parse_error& e) {
    return Diagnostics{JsonParseError(e.what(), e.byte, text, file)};
  } catch (const Json::exception& e) {  // a number out of range
    return Diagnostics{JsonParseError(e.what(), std::nullopt, text, file)};
  }
  return root;
}

std::string KindOf(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a number with a fraction";
    default: return "an unsupported value";
  }
}

void JsonFields::Error(const std::string& path, std::string message) {
  errors_.push_back({Severity::kError, file_, {}, path, std::move(message)});
}

bool JsonFields::Object(const Json& j, const std::string& path, Keys allowed) {
  if (!j.is_object()) {
    Error(path, "expected an object, got " + KindOf(j));
    return false;
  }
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      Error(Join(path, key), "unknown field " + Printable(key) + DidYouMean(key, allowed));
    }
  }
  return true;
}

std::optional<std::string> JsonFields::String(const Json& parent, const std::string& path,
                                              const char* key) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    Error(Join(path, key), "expected a string or null, got " + KindOf(*it));
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<bool> JsonFields::Bool(const Json& parent, const std::string& path, const char* key) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) {
    Error(Join(path, key), "expected true, false or null, got " + KindOf(*it));
    return std::nullopt;
  }
  return it->get<bool>();
}

std::optional<std::int64_t> JsonFields::Integer(const Json& parent, const std::string& path,
                                                const char* key, std::int64_t lo, std::int64_t hi,
                                                const char* what) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) {
    Error(Join(path, key), "expected an integer or null, got " + KindOf(*it));
    return std::nullopt;
  }
  bool in_range =
      it->is_number_unsigned()
          ? it->get<std::uint64_t>() <= static_cast<std::uint64_t>(std::max<std::int64_t>(hi, 0))
          : it->get<std::int64_t>() >= lo && it->get<std::int64_t>() <= hi;
  if (!in_range) {
    Error(Join(path, key), std::string("out of range for ") + what);
    return std::nullopt;
  }
  return it->get<std::int64_t>();
}

const Json* JsonFields::Array(const Json& parent, const std::string& path, const char* key) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return nullptr;
  if (!it->is_array()) {
    Error(Join(path, key), "expected an array, got " + KindOf(*it));
    return nullptr;
  }
  return &*it;
}

}  // namespace accord
