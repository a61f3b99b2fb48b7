// SPDX-License-Identifier: Apache-2.0
// A YAML document as plain values with positions. yaml_tree.cc is the only
// file that includes yaml-cpp: its exceptions, its parser's quirks and its
// node types end there, and every reader of YAML (desired state, fleet
// files) works on YamlNode.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostic.h"

namespace accord {

struct YamlNode {
  struct Entry;  // a key and its value, below
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  std::string scalar;  // kScalar
  // An untagged plain scalar (`501`, `true`): quoted and `!`-tagged ones are
  // text whatever they look like.
  bool plain = false;
  SourcePos pos{1, 1};
  std::vector<YamlNode> items;  // kSequence
  std::vector<Entry> entries;   // kMap: file order, duplicates kept

  const std::string& Scalar() const { return scalar; }
  bool IsNull() const { return kind == Kind::kNull; }
  bool IsScalar() const { return kind == Kind::kScalar; }
  bool IsSequence() const { return kind == Kind::kSequence; }
  bool IsMap() const { return kind == Kind::kMap; }
};

// (std::pair cannot hold the type it is a member of; a vector can.)
struct YamlNode::Entry {
  YamlNode key;
  YamlNode value;
};

struct ParsedYaml {
  YamlNode root;       // a null node for an empty file
  Diagnostics errors;  // tabs in indentation, syntax, several documents, depth
};

// One YAML document. `what` names it in messages ("a desired state"). Never
// throws; a document whose aliases expand it beyond a multiple of its size
// is refused rather than expanded.
ParsedYaml ParseYaml(const std::string& text, const std::string& file, const std::string& what);

// yaml-cpp's own parse of `text` and nothing else, so benchmarks can set the
// loader's cost beside the library's. Returns the number of documents.
std::size_t ParseYamlOnlyForBenchmark(const std::string& text);

}  // namespace accord
