// SPDX-License-Identifier: Apache-2.0
// The fleet file's structure: layers, peers and selectors.
#include "load/fleet_loader.h"

#include <array>
#include <filesystem>
#include <string_view>

#include "core/names.h"
#include "core/text_file.h"
#include "load/yaml_reader.h"

namespace accord {
namespace {

constexpr std::array<std::string_view, 2> kTopKeys = {"accord_fleet", "layers"};
constexpr std::array<std::string_view, 3> kLayerKeys = {"name", "file", "select"};
constexpr std::array<std::string_view, 1> kPeerKeys = {"peers"};
constexpr std::array<std::string_view, 4> kSelectorKeys = {"names", "serials", "hardware_uuids",
                                                           "labels"};

class FleetParser {
 public:
  explicit FleetParser(const std::string& file) : r_(file, nullptr) { fleet_.file = file; }

  Result<Fleet> Run(const std::string& text) {
    ParsedYaml yaml = ParseYaml(text, fleet_.file, "a fleet file");
    if (!yaml.errors.empty()) return yaml.errors;
    Top(yaml.root);
    Diagnostics errors = r_.TakeSortedErrors();
    if (!errors.empty()) return errors;
    return std::move(fleet_);
  }

 private:
  void Top(const YamlNode& root) {
    if (!root.IsMap()) {
      r_.Error(root, "",
               "a fleet file is a mapping starting with 'accord_fleet: 1', got " + KindOf(root));
      return;
    }
    bool has_version = false;
    bool has_layers = false;
    for (const YamlEntry& e : r_.Entries(root, "", kTopKeys)) {
      if (e.key == "accord_fleet") {
        has_version = true;
        r_.Format(e, kFleetFormat, "fleet");
      } else {
        has_layers = true;
        Layers(e);
      }
    }
    if (!has_version) r_.Error(root, "", "missing 'accord_fleet: 1' (the fleet file's format)");
    if (!has_layers) r_.Error(root, "", "missing 'layers', the desired-state layers in order");
  }

  void Layers(const YamlEntry& e) {
    if (!e.value->IsSequence() || e.value->items.empty()) {
      r_.TypeError(e, "a non-empty list of layers");
      return;
    }
    for (std::size_t i = 0; i < e.value->items.size(); ++i) {
      const YamlNode& item = e.value->items[i];
      std::string path = "layers[" + std::to_string(i) + "]";
      bool is_peers =
          item.IsMap() && !item.entries.empty() && item.entries.front().key.Scalar() == "peers";
      if (!is_peers) {
        Layer(item, path, i);
        continue;
      }
      for (const YamlEntry& p : r_.Entries(item, path, kPeerKeys)) {
        if (!p.value->IsSequence() || p.value->items.size() < 2) {
          r_.TypeError(p, "a list of two or more layers that share this position");
          continue;
        }
        for (std::size_t j = 0; j < p.value->items.size(); ++j) {
          Layer(p.value->items[j], p.path + "[" + std::to_string(j) + "]", i);
        }
      }
    }
  }

  void Layer(const YamlNode& node, const std::string& path, std::size_t position) {
    if (!node.IsMap()) {
      r_.Error(
          node, path,
          "expected a layer ({file: ..., select: ...}) or {peers: [...]}, got " + KindOf(node));
      return;
    }
    FleetLayer layer;
    layer.position = position;
    layer.declared = node.pos;
    bool has_file = false;
    bool has_select = false;
    for (const YamlEntry& f : r_.Entries(node, path, kLayerKeys)) {
      if (f.key == "name") {
        layer.name = r_.String(f).value_or("");
      } else if (f.key == "file") {
        if (auto file = r_.String(f)) {
          has_file = true;
          layer.file = Resolve(*file);
        }
      } else {
        has_select = Select(f, layer.select);
      }
    }
    if (!has_file) r_.Error(node, path, "a layer needs 'file', a desired-state file (format 1)");
    if (!has_select) {
      r_.Error(node, path,
               "a layer needs 'select': all, or {names, serials, hardware_uuids, labels}");
    }
    if (layer.name.empty()) layer.name = std::filesystem::path(layer.file).stem().string();
    for (const FleetLayer& other : fleet_.layers) {
      if (other.name == layer.name) {
        r_.Error(node, path,
                 "a second layer named " + Printable(layer.name) + " (the first is at line " +
                     std::to_string(other.declared.line) + "); give each layer its own name");
      }
    }
    fleet_.layers.push_back(std::move(layer));
  }

  bool Select(const YamlEntry& e, Selector& select) {
    if (e.value->IsScalar()) {
      if (e.value->Scalar() == "all") {
        select.all = true;
        return true;
      }
      r_.ErrorAtValue(e,
                      "a selector is 'all' or a mapping of names, serials, hardware_uuids, "
                      "labels; got " +
                          Printable(e.value->Scalar()));
      return true;
    }
    if (!r_.ExpectMap(e)) return true;
    std::vector<YamlEntry> keys = r_.Entries(*e.value, e.path, kSelectorKeys);
    if (keys.empty() && e.value->entries.empty()) {
      r_.ErrorAtValue(e, "an empty selector chooses no Mac; write 'all' or name some");
    }
    for (const YamlEntry& k : keys) {
      std::optional<std::vector<std::string>> values = r_.Strings(k);
      if (!values) continue;
      if (values->empty()) r_.ErrorAtValue(k, "an empty list matches no Mac");
      if (k.key == "names") select.names = *values;
      if (k.key == "serials") select.serials = *values;
      if (k.key == "hardware_uuids") select.hardware_uuids = *values;
      if (k.key == "labels") select.labels = *values;
    }
    return true;
  }

  std::string Resolve(const std::string& file) const {
    std::filesystem::path p(file);
    if (p.is_absolute()) return file;
    return (std::filesystem::path(fleet_.file).parent_path() / p).lexically_normal().string();
  }

  Fleet fleet_;
  YamlReader r_;
};

}  // namespace

Result<Fleet> ParseFleet(const std::string& text, const std::string& file) {
  return FleetParser(file).Run(text);
}

bool LooksLikeFleetFile(const std::string& text) {
  return text.rfind("accord_fleet:", 0) == 0 || text.find("\naccord_fleet:") != std::string::npos;
}

Result<Fleet> LoadFleetFile(const std::string& path) {
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.errors();
  return ParseFleet(text.value(), path);
}

}  // namespace accord
