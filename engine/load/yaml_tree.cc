// SPDX-License-Identifier: Apache-2.0
// YAML text → YamlNode, with every syntax error pinned to line:column.
#include "load/yaml_tree.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <sstream>

namespace accord {
namespace {

SourcePos PosOf(const YAML::Mark& mark) {
  if (mark.is_null()) return {1, 1};
  return {mark.line + 1, mark.column + 1};
}

// Tabs are not indentation in YAML, and yaml-cpp's messages about them are
// confusing: name each one first.
bool CheckTabs(const std::string& text, const std::string& file, Diagnostics& errors) {
  if (text.find('\t') == std::string::npos) return false;  // most files: no tab at all
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

// Builds YamlNode straight from yaml-cpp's parser events: one pass over the
// text, no yaml-cpp tree and no copy of one. An alias repeats the node its
// anchor names, so a small file can stand for an exponential tree ("billion
// laughs"): the build stops at `budget` nodes.
class Builder : public YAML::EventHandler {
 public:
  explicit Builder(std::size_t budget) : budget_(budget) {}
  bool exhausted() const { return exhausted_; }
  std::optional<YAML::Mark> start;  // of the document
  YamlNode Take() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark& m) override { start = m; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override {
    YamlNode n;
    n.pos = PosOf(m);
    Done(std::move(n), anchor, 1);
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) return;  // yaml-cpp rejects unknown aliases itself
    Done(YamlNode(it->second.node), 0, it->second.size);
  }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YamlNode n;
    n.kind = YamlNode::Kind::kScalar;
    n.pos = PosOf(m);
    n.scalar = value;
    // An untagged plain scalar has the non-specific tag "?"; a quoted one "!".
    n.plain = tag != "!";
    Done(std::move(n), anchor, 1);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(YamlNode::Kind::kSequence, m, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(YamlNode::Kind::kMap, m, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    YamlNode node;
    YAML::anchor_t anchor = 0;
    std::size_t size = 1;         // nodes in it so far, itself included
    std::optional<YamlNode> key;  // a map's key, while its value is built
  };
  struct Anchored {
    YamlNode node;
    std::size_t size = 1;
  };

  void Open(YamlNode::Kind kind, const YAML::Mark& m, YAML::anchor_t anchor) {
    Frame o;
    o.node.kind = kind;
    o.node.pos = PosOf(m);
    o.anchor = anchor;
    stack_.push_back(std::move(o));
  }
  void Close() {
    if (stack_.empty()) return;
    Frame o = std::move(stack_.back());
    stack_.pop_back();
    Done(std::move(o.node), o.anchor, o.size);
  }

  // A whole node of `size` nodes: into its parent, or the root.
  void Done(YamlNode n, YAML::anchor_t anchor, std::size_t size) {
    if (exhausted_ || size > budget_) {
      exhausted_ = true;
      return;
    }
    budget_ -= size;
    if (anchor != 0) anchors_[anchor] = {n, size};
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& parent = stack_.back();
    parent.size += size;
    if (parent.node.kind == YamlNode::Kind::kSequence) {
      parent.node.items.push_back(std::move(n));
    } else if (!parent.key) {
      parent.key = std::move(n);
    } else {
      parent.node.entries.push_back({std::move(*parent.key), std::move(n)});
      parent.key.reset();
    }
  }

  std::size_t budget_;
  bool exhausted_ = false;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  YamlNode root_;
};

// Counts a later document's start, and nothing else.
class Skipper : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> start;
  std::optional<YAML::Mark> first_node;
  void OnDocumentStart(const YAML::Mark& m) override { start = m; }
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

struct Later {
  std::optional<YAML::Mark> second;  // where the second document's first node is
  std::optional<YAML::Mark> stuck;   // where the parser stopped making progress
};

// After the first document: whether another follows, and whether the
// parser is stuck (a document starting where the one before it did). At
// most two more are walked, and only their starts are kept.
std::optional<Later> LaterDocuments(YAML::Parser& parser, std::optional<YAML::Mark> previous) {
  Later out;
  for (int walked = 0; walked < 2; ++walked) {
    Skipper next;
    if (!parser.HandleNextDocument(next)) break;
    int at = next.start ? next.start->pos : -1;
    if (previous && at <= previous->pos) {
      out.stuck = next.start;
      return out;
    }
    if (walked == 0) out.second = next.first_node ? next.first_node : next.start;
    previous = next.start;
  }
  if (!out.second) return std::nullopt;
  return out;
}

}  // namespace

ParsedYaml ParseYaml(const std::string& text, const std::string& file, const std::string& what) {
  ParsedYaml out;
  auto error = [&](SourcePos pos, std::string message) {
    out.errors.push_back({Severity::kError, file, pos, "", std::move(message)});
  };
  if (CheckTabs(text, file, out.errors)) return out;
  try {
    // yaml-cpp 0.7 (Debian 12's) loops forever in LoadAll on some inputs
    // (", "): its parser starts document after document at the same place
    // (yaml-cpp issues #1040 and #499, fixed for LoadAll by PR #1319 in
    // later releases). So the parser is asked for one document at a time,
    // at most twice: a second one that starts where the first did makes no
    // progress, and one that starts later is a second document.
    std::istringstream in(text);
    YAML::Parser parser(in);
    // Every node but a key's null value takes at least one character.
    Builder builder(2 * text.size() + 16);
    if (parser.HandleNextDocument(builder)) {
      if (builder.exhausted()) {
        error(SourcePos{1, 1},
              "aliases expand this document far beyond its size; write " + what + " without them");
      } else if (std::optional<Later> later = LaterDocuments(parser, builder.start)) {
        if (later->stuck) {
          error(PosOf(*later->stuck),
                "YAML syntax error: the parser makes no progress here (stray ',' or similar)");
        } else {
          error(PosOf(*later->second), "more than one YAML document; " + what + " is one document");
        }
      } else {
        out.root = builder.Take();
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
