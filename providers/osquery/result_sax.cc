// SPDX-License-Identifier: Apache-2.0
// The result reader as a SAX handler over nlohmann/json's parser.
#include "osquery/result_sax.h"

#include <nlohmann/json.hpp>

#include "core/json_input.h"

namespace accord {
namespace {

using Json = nlohmann::json;

// What a container is, for the values inside it.
enum class Role { kTop, kDecorations, kRow, kSnapshot, kDiff, kDiffList, kIgnore };

struct Frame {
  Role role;
  std::string key;                          // the last key read (objects)
  std::vector<OsqueryRow>* list = nullptr;  // kSnapshot, kDiffList: where rows go
  OsqueryRow* row = nullptr;                // kRow
};

class Handler : public nlohmann::json_sax<Json> {
 public:
  Handler(ParsedResults& out, TextPool& texts) : out_(out), texts_(texts) { frames_.reserve(8); }

  bool null() override { return Scalar(""); }
  bool boolean(bool v) override { return Scalar(v ? "1" : "0"); }
  bool number_integer(number_integer_t v) override { return Scalar(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Scalar(std::to_string(v)); }
  bool number_float(number_float_t, const string_t& text) override { return Scalar(text); }
  bool string(string_t& v) override { return Scalar(std::move(v)); }
  bool binary(binary_t&) override { return Scalar(""); }

  bool key(string_t& k) override {
    Frame& f = frames_.back();
    f.key = std::move(k);
    if (f.role == Role::kTop && frames_.size() == 1 && f.key == "node_key") out_.node_key = true;
    if (f.role == Role::kTop && f.key == "name") current_.has_name = true;
    return true;
  }

  bool start_object(std::size_t) override {
    if (frames_.size() >= kMaxJsonDepth) return TooDeep();
    if (frames_.empty()) {
      current_ = OsqueryResult{};
      frames_.push_back({Role::kTop, "", nullptr, nullptr});
      return true;
    }
    Frame& parent = frames_.back();
    Frame f{Role::kIgnore, "", nullptr, nullptr};
    if (parent.role == Role::kTop && parent.key == "decorations") {
      f.role = Role::kDecorations;
    } else if (parent.role == Role::kTop && parent.key == "columns") {
      current_.has_columns = true;
      current_.columns = OsqueryRow{&texts_, 0, {}};
      names_.clear();
      f = {Role::kRow, "", nullptr, &current_.columns};
    } else if (parent.role == Role::kTop && parent.key == "diffResults") {
      current_.has_diff = true;
      f.role = Role::kDiff;
    } else if (parent.role == Role::kSnapshot || parent.role == Role::kDiffList) {
      parent.list->push_back(OsqueryRow{&texts_, 0, {}});
      names_.clear();
      f = {Role::kRow, "", nullptr, &parent.list->back()};
    }
    frames_.push_back(std::move(f));
    return true;
  }

  // Rows are kept until the whole fleet is read: each holds exactly its
  // cells, each list exactly its rows.
  bool end_object() override {
    bool top = frames_.back().role == Role::kTop;
    if (frames_.back().role == Role::kRow) {
      OsqueryRow& row = *frames_.back().row;
      row.columns = texts_.InternColumns(names_);
      row.values.shrink_to_fit();
      names_.clear();
    }
    frames_.pop_back();
    if (top) out_.result = std::move(current_);
    return true;
  }

  bool start_array(std::size_t) override {
    if (frames_.size() >= kMaxJsonDepth) return TooDeep();
    if (frames_.empty()) {
      out_.top_is_array = true;
      frames_.push_back({Role::kIgnore, "", nullptr, nullptr});
      return true;
    }
    Frame& parent = frames_.back();
    Frame f{Role::kIgnore, "", nullptr, nullptr};
    if (parent.role == Role::kTop && parent.key == "snapshot") {
      current_.has_snapshot = true;
      current_.snapshot.clear();
      f = {Role::kSnapshot, "", &current_.snapshot, nullptr};
    } else if (parent.role == Role::kDiff && (parent.key == "added" || parent.key == "removed")) {
      f = {Role::kDiffList, "", parent.key == "added" ? &current_.added : &current_.removed,
           nullptr};
    }
    frames_.push_back(std::move(f));
    return true;
  }

  bool end_array() override {
    if (frames_.back().list) frames_.back().list->shrink_to_fit();
    frames_.pop_back();
    return true;
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    out_.failure = ParsedResults::Failure{position, e.what()};
    return false;
  }

 private:
  bool Scalar(std::string value) {
    if (frames_.empty()) {
      out_.not_object = true;
      return true;
    }
    Frame& f = frames_.back();
    switch (f.role) {
      case Role::kTop:
        if (f.key == "name") current_.name = std::move(value);
        if (f.key == "hostIdentifier") current_.host_identifier = std::move(value);
        if (f.key == "hostname") current_.hostname = std::move(value);
        if (f.key == "action") current_.action = std::move(value);
        if (f.key == "snapshot") current_.has_snapshot = true;  // an empty one, as ""
        break;
      case Role::kDecorations:
        if (f.key == "host_uuid") current_.host_uuid = std::move(value);
        if (f.key == "labels") current_.labels = std::move(value);
        break;
      case Role::kRow:
        names_.push_back(texts_.Intern(f.key));
        f.row->values.push_back(texts_.Intern(value));
        break;
      default: break;  // "added": "" and everything Accord does not read
    }
    return true;
  }

  bool TooDeep() {
    out_.failure = ParsedResults::Failure{
        0, "JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
    return false;
  }

  ParsedResults& out_;
  TextPool& texts_;
  std::vector<TextPool::Id> names_;  // the columns of the row being read
  std::vector<Frame> frames_;
  OsqueryResult current_;
};

}  // namespace

ParsedResults ParseResults(std::string_view text, TextPool& texts) {
  ParsedResults out;
  Handler handler(out, texts);
  Json::sax_parse(text.begin(), text.end(), &handler);
  return out;
}

}  // namespace accord
