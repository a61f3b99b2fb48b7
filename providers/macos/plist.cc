// SPDX-License-Identifier: Apache-2.0
// XML plist parsing: a small recursive-descent reader over the tags plists
// use, with entity decoding and a depth limit.
#include "macos/plist.h"

#include <cstdlib>

namespace accord {
namespace {

constexpr int kMaxDepth = 64;

class Reader {
 public:
  explicit Reader(const std::string& s) : s_(s) {}

  PlistParse Run() {
    PlistParse out;
    SkipProlog();
    std::string tag;
    if (!NextTag(tag) || tag != "plist") {
      Fail("expected <plist>");
    } else if (!Value(out.root, 0)) {
      Fail("the plist has no value");
    }
    out.error = error_;
    return out;
  }

 private:
  void Fail(const std::string& why) {
    if (error_.empty()) error_ = why + " at byte " + std::to_string(pos_);
  }

  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }

  void SkipProlog() {
    while (true) {
      SkipSpace();
      if (s_.compare(pos_, 2, "<?") == 0) {
        pos_ = Find("?>", 2);
      } else if (s_.compare(pos_, 4, "<!--") == 0) {
        pos_ = Find("-->", 3);
      } else if (s_.compare(pos_, 2, "<!") == 0) {
        pos_ = Find(">", 1);
      } else {
        return;
      }
    }
  }

  std::size_t Find(const char* end, std::size_t len) {
    std::size_t at = s_.find(end, pos_);
    return at == std::string::npos ? s_.size() : at + len;
  }

  // Reads the next tag name ("dict", "/dict", "true/"); false at the end.
  bool NextTag(std::string& tag) {
    SkipProlog();
    if (pos_ >= s_.size() || s_[pos_] != '<') return false;
    std::size_t close = s_.find('>', pos_);
    if (close == std::string::npos) {
      pos_ = s_.size();
      return false;
    }
    tag = s_.substr(pos_ + 1, close - pos_ - 1);
    if (std::size_t space = tag.find(' '); space != std::string::npos) {
      bool self_closing = !tag.empty() && tag.back() == '/';
      tag = tag.substr(0, space) + (self_closing ? "/" : "");
    }
    pos_ = close + 1;
    return true;
  }

  // Text up to </name>, entities decoded; false if the closing tag is missing.
  bool Text(const std::string& name, std::string& out) {
    std::string closing = "</" + name + ">";
    std::size_t end = s_.find(closing, pos_);
    if (end == std::string::npos) {
      pos_ = s_.size();
      Fail("unterminated <" + name + ">");
      return false;
    }
    out = Decode(s_.substr(pos_, end - pos_));
    pos_ = end + closing.size();
    return true;
  }

  static std::string Decode(const std::string& raw) {
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      std::size_t semi = raw.find(';', i);
      std::string name = semi == std::string::npos ? "" : raw.substr(i + 1, semi - i - 1);
      if (name == "lt")
        out += '<';
      else if (name == "gt")
        out += '>';
      else if (name == "amp")
        out += '&';
      else if (name == "quot")
        out += '"';
      else if (name == "apos")
        out += '\'';
      else if (name.size() > 1 && name[0] == '#') {
        long code = name[1] == 'x' ? std::strtol(name.c_str() + 2, nullptr, 16)
                                   : std::strtol(name.c_str() + 1, nullptr, 10);
        if (code > 0 && code < 0x80)
          out += static_cast<char>(code);
        else
          out += '?';  // non-ASCII references do not occur in these tools' output
      } else {
        out += raw[i];
        continue;
      }
      i = semi;
    }
    return out;
  }

  bool Value(PlistValue& v, int depth) {
    if (depth > kMaxDepth) {
      Fail("nesting too deep");
      return false;
    }
    std::string tag;
    if (!NextTag(tag)) return false;
    using K = PlistValue::Kind;
    if (tag == "dict/") {
      v.kind = K::kDict;
      return true;
    }
    if (tag == "array/") {
      v.kind = K::kArray;
      return true;
    }
    if (tag == "string/") {
      v.kind = K::kString;
      return true;
    }
    if (tag == "true/" || tag == "false/") {
      v.kind = K::kBool;
      v.boolean = tag == "true/";
      return true;
    }
    if (tag == "dict") return Dict(v, depth);
    if (tag == "array") return Array(v, depth);
    const std::pair<const char*, K> scalars[] = {{"string", K::kString},
                                                 {"integer", K::kInteger},
                                                 {"real", K::kReal},
                                                 {"date", K::kDate},
                                                 {"data", K::kData}};
    for (const auto& [name, kind] : scalars) {
      if (tag == name) {
        v.kind = kind;
        return Text(name, v.text);
      }
    }
    Fail("unexpected <" + tag + ">");
    return false;
  }

  bool Dict(PlistValue& v, int depth) {
    v.kind = PlistValue::Kind::kDict;
    while (true) {
      std::string tag;
      if (!NextTag(tag)) {
        Fail("unterminated <dict>");
        return false;
      }
      if (tag == "/dict") return true;
      std::string key;
      if (tag != "key" || !Text("key", key)) {
        Fail("expected <key> in <dict>");
        return false;
      }
      PlistValue child;
      bool complete = Value(child, depth + 1);
      // A truncated value is kept as far as it went (an array keeps its
      // complete elements); the error marks the whole parse as partial.
      v.dict.push_back({std::move(key), std::move(child)});
      if (!complete) {
        Fail("unterminated value of key " + key);
        return false;
      }
    }
  }

  bool Array(PlistValue& v, int depth) {
    v.kind = PlistValue::Kind::kArray;
    while (true) {
      std::size_t mark = pos_;
      std::string tag;
      if (!NextTag(tag)) {
        Fail("unterminated <array>");
        return false;
      }
      if (tag == "/array") return true;
      pos_ = mark;
      PlistValue child;
      if (!Value(child, depth + 1)) {
        Fail("unterminated <array>");
        return false;  // the complete elements before it are kept
      }
      v.array.push_back(std::move(child));
    }
  }

  const std::string& s_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace

const PlistValue* PlistValue::Get(const std::string& key) const {
  for (const auto& [k, v] : dict) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::vector<std::string> PlistValue::Strings() const {
  std::vector<std::string> out;
  for (const PlistValue& v : array) {
    if (v.kind == Kind::kString) out.push_back(v.text);
  }
  return out;
}

PlistParse ParsePlist(const std::string& xml) { return Reader(xml).Run(); }

std::string EscapeXml(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

}  // namespace accord
