// SPDX-License-Identifier: Apache-2.0
// The baseline file's structure: its entries, each with a reason.
#include "load/baseline_loader.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "core/names.h"
#include "core/text_file.h"
#include "load/yaml_reader.h"
#include "model/rules.h"

namespace accord {
namespace {

constexpr std::array<std::string_view, 2> kTopKeys = {"accord_baseline", "accept"};
constexpr std::array<std::string_view, 4> kEntryKeys = {"mac", "rule", "step", "reason"};

class BaselineParser {
 public:
  explicit BaselineParser(const std::string& file) : r_(file, nullptr) { out_.file = file; }

  Result<Baseline> Run(const std::string& text) {
    ParsedYaml yaml = ParseYaml(text, out_.file, "a baseline file");
    if (!yaml.errors.empty()) return yaml.errors;
    Top(yaml.root);
    Diagnostics errors = r_.TakeSortedErrors();
    if (!errors.empty()) return errors;
    return std::move(out_);
  }

 private:
  void Top(const YamlNode& root) {
    if (!root.IsMap()) {
      r_.Error(root, "",
               "a baseline is a mapping starting with 'accord_baseline: 1', got " + KindOf(root));
      return;
    }
    bool has_version = false;
    for (const YamlEntry& e : r_.Entries(root, "", kTopKeys)) {
      if (e.key == "accord_baseline") {
        has_version = true;
        r_.Format(e, kBaselineFormat, "baseline");
      } else if (!e.value->IsSequence()) {
        r_.TypeError(e, "a list of accepted gaps ({mac, rule, reason})");
      } else {
        for (std::size_t i = 0; i < e.value->items.size(); ++i) {
          Entry(e.value->items[i], "accept[" + std::to_string(i) + "]");
        }
      }
    }
    if (!has_version) r_.Error(root, "", "missing 'accord_baseline: 1' (the baseline's format)");
  }

  void Entry(const YamlNode& node, const std::string& path) {
    if (!node.IsMap()) {
      r_.Error(node, path, "expected {mac, rule, reason}, got " + KindOf(node));
      return;
    }
    Acceptance a;
    a.at = node.pos;
    for (const YamlEntry& f : r_.Entries(node, path, kEntryKeys)) {
      std::string value = r_.String(f).value_or("");
      if (f.key == "mac") a.mac = value;
      if (f.key == "step") a.step = value;
      if (f.key == "reason") a.reason = value;
      if (f.key == "rule") {
        a.rule = value;
        const bool known = std::any_of(std::begin(kAllRules), std::end(kAllRules),
                                       [&](Rule r) { return value == RuleId(r); });
        if (!known) r_.ErrorAtValue(f, "no rule " + Printable(value));
      }
    }
    for (auto [key, value] :
         {std::pair("mac", &a.mac), std::pair("rule", &a.rule), std::pair("reason", &a.reason)}) {
      if (value->empty()) {
        r_.Error(node, path,
                 std::string("an accepted gap needs '") + key +
                     "' (a reason is what a reviewer approved; a Mac and a rule say where)");
      }
    }
    out_.accept.push_back(std::move(a));
  }

  Baseline out_;
  YamlReader r_;
};

}  // namespace

Result<Baseline> ParseBaseline(const std::string& text, const std::string& file) {
  return BaselineParser(file).Run(text);
}

bool LooksLikeBaseline(const std::string& text) {
  return text.rfind("accord_baseline:", 0) == 0 ||
         text.find("\naccord_baseline:") != std::string::npos;
}

Result<Baseline> LoadBaseline(const std::string& path) {
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.errors();
  return ParseBaseline(text.value(), path);
}

}  // namespace accord
