// SPDX-License-Identifier: Apache-2.0
// YAML text → YamlNode, with every syntax error pinned to line:column.
#include "load/yaml_tree.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>

namespace accord {
namespace {

// yaml-cpp 0.7 (Debian 12's) loops forever in LoadAll on some inputs (", "):
// its parser starts document after document at the same place (yaml-cpp
// issues #1040 and #499, fixed for LoadAll by PR #1319 in later releases).
// So documents are first walked through YAML::Parser with this handler,
// which notes where each starts and where its first node is; a document
// that starts where the previous one did makes no progress, and the walk
// stops there with an error.
class DocumentMarks : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> start;       // of the document being walked
  std::optional<YAML::Mark> first_node;  // its first node, for messages

  void OnDocumentStart(const YAML::Mark& m) override {
    start = m;
    first_node.reset();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { Node(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { Node(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Node(m);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Node(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Node(m);
  }
  void OnMapEnd() override {}

 private:
  void Node(const YAML::Mark& m) {
    if (!first_node) first_node = m;
  }
};

struct Documents {
  int count = 0;                     // 0, 1 or 2 (two or more)
  std::optional<YAML::Mark> second;  // where the second one starts
  std::optional<YAML::Mark> stuck;   // where the parser stopped making progress
};

// At most three documents are walked: enough to know whether there is more
// than one, and whether the parser is stuck. Throws YAML::Exception on
// syntax errors, as loading would.
Documents WalkDocuments(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentMarks marks;
  Documents out;
  std::optional<int> previous;
  for (int walked = 0; walked < 3 && parser.HandleNextDocument(marks); ++walked) {
    int at = marks.start ? marks.start->pos : -1;
    if (previous && at <= *previous) {
      out.stuck = marks.start;
      return out;
    }
    previous = at;
    out.count = std::min(out.count + 1, 2);
    if (walked == 1) out.second = marks.first_node ? marks.first_node : marks.start;
  }
  return out;
}

SourcePos PosOf(const YAML::Mark& mark) {
  if (mark.is_null()) return {1, 1};
  return {mark.line + 1, mark.column + 1};
}

// Tabs are not indentation in YAML, and yaml-cpp's messages about them are
// confusing: name each one first.
bool CheckTabs(const std::string& text, const std::string& file, Diagnostics& errors) {
  bool found = false;
  int line = 1;
  int column = 1;
  bool at_line_start = true;
  for (char c : text) {
    if (c == '\n') {
      ++line;
      column = 1;
      at_line_start = true;
      continue;
    }
    if (at_line_start && c == '\t') {
      errors.push_back({Severity::kError, file, SourcePos{line, column}, "",
                        "tab character in indentation; YAML indents with spaces only"});
      found = true;
      at_line_start = false;
    } else if (c != ' ') {
      at_line_start = false;
    }
    ++column;
  }
  return found;
}

// Copies yaml-cpp's tree into YamlNode. Aliases share nodes in yaml-cpp, so
// a small file can stand for an exponential tree ("billion laughs"): the
// copy stops at `budget` nodes.
class Converter {
 public:
  explicit Converter(std::size_t budget) : budget_(budget) {}
  bool exhausted() const { return exhausted_; }

  YamlNode Convert(const YAML::Node& n) {
    YamlNode out;
    if (exhausted_ || budget_ == 0) {
      exhausted_ = true;
      return out;
    }
    --budget_;
    out.pos = PosOf(n.Mark());
    if (n.IsScalar()) {
      out.kind = YamlNode::Kind::kScalar;
      out.scalar = n.Scalar();
      out.plain = n.Tag() != "!";
    } else if (n.IsSequence()) {
      out.kind = YamlNode::Kind::kSequence;
      out.items.reserve(n.size());
      for (const auto& item : n) out.items.push_back(Convert(item));
    } else if (n.IsMap()) {
      out.kind = YamlNode::Kind::kMap;
      out.entries.reserve(n.size());
      // yaml-cpp iterators hand out temporaries: copy the (cheap, shared) nodes.
      for (const auto& pair : n) {
        const YAML::Node k = pair.first;
        const YAML::Node v = pair.second;
        YamlNode key = Convert(k);
        out.entries.push_back({std::move(key), Convert(v)});
      }
    }
    return out;
  }

 private:
  std::size_t budget_;
  bool exhausted_ = false;
};

}  // namespace

ParsedYaml ParseYaml(const std::string& text, const std::string& file, const std::string& what) {
  ParsedYaml out;
  auto error = [&](SourcePos pos, std::string message) {
    out.errors.push_back({Severity::kError, file, pos, "", std::move(message)});
  };
  if (CheckTabs(text, file, out.errors)) return out;
  try {
    Documents documents = WalkDocuments(text);
    if (documents.stuck) {
      error(PosOf(*documents.stuck),
            "YAML syntax error: the parser makes no progress here (stray ',' or similar)");
    } else if (documents.count > 1) {
      error(PosOf(*documents.second), "more than one YAML document; " + what + " is one document");
    } else if (documents.count == 1) {
      // Every node but a key's null value takes at least one character.
      Converter converter(2 * text.size() + 16);
      out.root = converter.Convert(YAML::Load(text));
      if (converter.exhausted()) {
        out.root = YamlNode{};
        error(SourcePos{1, 1},
              "aliases expand this document far beyond its size; write " + what + " without them");
      }
    }
  } catch (const YAML::DeepRecursion& e) {
    error(PosOf(e.mark), "nesting is too deep for " + what);
  } catch (const YAML::Exception& e) {
    error(PosOf(e.mark), "YAML syntax error: " + e.msg);
  }
  return out;
}

std::size_t ParseYamlOnlyForBenchmark(const std::string& text) {
  try {
    return YAML::Load(text).IsNull() ? 0 : 1;
  } catch (const YAML::Exception&) {
    return 0;
  }
}

}  // namespace accord
