// SPDX-License-Identifier: Apache-2.0
// Walking a JSON Schema (draft-07, as schemas/ writes them) for its keys.
#include "cli/schema_keys.h"

#include <nlohmann/json.hpp>
#include <set>

namespace accord {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kMaxDepth = 12;  // the formats nest five deep; refs cannot loop us

class Walker {
 public:
  explicit Walker(const Json& root) : root_(root) {}

  SchemaDoc Run() {
    doc_.title = Text(root_, "title");
    doc_.description = Text(root_, "description");
    Walk(root_, "", 0);
    return std::move(doc_);
  }

 private:
  static std::string Text(const Json& node, const char* key) {
    auto it = node.find(key);
    return it != node.end() && it->is_string() ? it->get<std::string>() : "";
  }

  // `node` with its "$ref": "#/definitions/NAME" followed.
  const Json& Resolve(const Json& node) const {
    const Json* n = &node;
    for (int i = 0; i < kMaxDepth && n->is_object() && n->contains("$ref"); ++i) {
      std::string ref = Text(*n, "$ref");
      const std::string prefix = "#/definitions/";
      auto defs = root_.find("definitions");
      if (ref.rfind(prefix, 0) != 0 || defs == root_.end()) break;
      auto target = defs->find(ref.substr(prefix.size()));
      if (target == defs->end()) break;
      n = &*target;
    }
    return *n;
  }

  std::string Kind(const Json& raw) const {
    const Json& v = Resolve(raw);
    if (!v.is_object()) return "";
    if (v.contains("const")) return "always " + v["const"].dump();
    if (auto e = v.find("enum"); e != v.end() && e->is_array()) {
      std::string out = "one of:";
      for (const Json& x : *e) out += " " + (x.is_string() ? x.get<std::string>() : x.dump());
      return out;
    }
    std::string out;
    auto add = [&](const std::string& k) {
      if (!k.empty() && out.find(k) == std::string::npos) out += (out.empty() ? "" : " or ") + k;
    };
    if (auto t = v.find("type"); t != v.end()) {
      if (t->is_string()) add(t->get<std::string>());
      if (t->is_array()) {
        for (const Json& x : *t) {
          if (x.is_string()) add(x.get<std::string>());
        }
      }
    }
    for (const char* alts : {"oneOf", "anyOf"}) {
      if (auto a = v.find(alts); a != v.end() && a->is_array()) {
        for (const Json& x : *a) add(Kind(x));
      }
    }
    if (v.contains("properties") && out.empty()) add("object");
    return out;
  }

  void Add(const std::string& path, const Json& raw) {
    if (!seen_.insert(path).second) return;
    std::string description = Text(raw, "description");
    if (description.empty()) description = Text(Resolve(raw), "description");
    doc_.keys.push_back({path, Kind(raw), description});
  }

  void Walk(const Json& raw, const std::string& prefix, int depth) {
    const Json& node = Resolve(raw);
    if (depth > kMaxDepth || !node.is_object()) return;
    for (const char* alts : {"oneOf", "anyOf"}) {
      if (auto a = node.find(alts); a != node.end() && a->is_array()) {
        for (const Json& x : *a) Walk(x, prefix, depth + 1);
      }
    }
    if (auto props = node.find("properties"); props != node.end() && props->is_object()) {
      for (const auto& [key, value] : props->items()) {
        Add(prefix + key, value);
        Walk(value, prefix + key + ".", depth + 1);
      }
    }
    if (auto more = node.find("additionalProperties"); more != node.end() && more->is_object()) {
      Add(prefix + "NAME", *more);
      Walk(*more, prefix + "NAME.", depth + 1);
    }
    if (auto items = node.find("items");
        items != node.end() && items->is_object() && !prefix.empty()) {
      const std::string list = prefix.substr(0, prefix.size() - 1) + "[]";
      Walk(*items, list + ".", depth + 1);
    }
  }

  const Json& root_;
  SchemaDoc doc_;
  std::set<std::string> seen_;
};

}  // namespace

SchemaDoc KeysOf(std::string_view schema_json) {
  Json root = Json::parse(schema_json, nullptr, false);
  if (!root.is_object()) return {};
  return Walker(root).Run();
}

}  // namespace accord
