// SPDX-License-Identifier: Apache-2.0
// The text pool, rows and row lists of an osquery ingest.
#include "osquery/osquery_rows.h"

#include <algorithm>
#include <cstring>
#include <functional>

namespace accord {
namespace {

constexpr TextPool::Id kNoText = ~TextPool::Id{0};

}  // namespace

TextPool::Id TextPool::Intern(std::string_view text) {
  if (2 * (views_.size() + 1) > slots_.size()) Grow();
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = std::hash<std::string_view>{}(text)&mask;; at = (at + 1) & mask) {
    if (slots_[at] == kNoText) {
      const Id id = static_cast<Id>(views_.size());
      views_.push_back(Store(text));
      slots_[at] = id;
      return id;
    }
    if (views_[slots_[at]] == text) return slots_[at];
  }
}

std::string_view TextPool::Store(std::string_view text) {
  if (text.size() > left_) {
    const std::size_t size = std::max<std::size_t>(std::size_t{1} << 16, text.size());
    chunks_.push_back(std::make_unique<char[]>(size));
    next_ = chunks_.back().get();
    left_ = size;
  }
  if (text.empty()) return {};
  std::memcpy(next_, text.data(), text.size());
  std::string_view kept(next_, text.size());
  next_ += text.size();
  left_ -= text.size();
  return kept;
}

void TextPool::Grow() {
  std::vector<Id> slots(std::max<std::size_t>(64, 2 * slots_.size()), kNoText);
  const std::size_t mask = slots.size() - 1;
  for (Id id = 0; id < views_.size(); ++id) {
    std::size_t at = std::hash<std::string_view>{}(views_[id]) & mask;
    while (slots[at] != kNoText) at = (at + 1) & mask;
    slots[at] = id;
  }
  slots_ = std::move(slots);
}

TextPool::Id TextPool::InternColumns(const std::vector<Id>& columns) {
  if (auto it = column_ids_.find(columns); it != column_ids_.end()) return it->second;
  const Id id = static_cast<Id>(column_lists_.size());
  column_lists_.push_back(columns);
  column_ids_.emplace(columns, id);
  return id;
}

RowList& QueryTables::operator[](std::string_view query) {
  for (auto& [name, rows] : tables_) {
    if (name == query) return rows;
  }
  return tables_.emplace_back(std::string(query), RowList{}).second;
}

std::optional<std::string_view> RowRef::Value(std::string_view column) const {
  const std::vector<TextPool::Id>& names = texts->Columns(columns);
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if ((*texts)[names[i]] == column) return (*texts)[values[i]];
  }
  return std::nullopt;
}

RowRef RowList::operator[](std::size_t i) const {
  const std::size_t from = starts_[i];
  const std::size_t to = i + 1 < starts_.size() ? starts_[i + 1] : values_.size();
  return {texts_, columns_[i], std::span<const TextPool::Id>(values_.data() + from, to - from)};
}

void RowList::Assign(const std::vector<OsqueryRow>& rows) {
  columns_.clear();
  starts_.clear();
  values_.clear();
  for (const OsqueryRow& row : rows) Add(row);
}

void RowList::Add(const OsqueryRow& row) {
  texts_ = row.texts;
  columns_.push_back(row.columns);
  starts_.push_back(static_cast<std::uint32_t>(values_.size()));
  values_.insert(values_.end(), row.values.begin(), row.values.end());
}

void RowList::Remove(const OsqueryRow& row) {
  for (std::size_t i = 0; i < size(); ++i) {
    RowRef r = (*this)[i];
    if (r.columns != row.columns ||
        !std::equal(r.values.begin(), r.values.end(), row.values.begin(), row.values.end())) {
      continue;
    }
    const std::size_t from = starts_[i];
    const std::size_t count = r.values.size();
    values_.erase(values_.begin() + static_cast<std::ptrdiff_t>(from),
                  values_.begin() + static_cast<std::ptrdiff_t>(from + count));
    columns_.erase(columns_.begin() + static_cast<std::ptrdiff_t>(i));
    starts_.erase(starts_.begin() + static_cast<std::ptrdiff_t>(i));
    for (std::size_t j = i; j < starts_.size(); ++j)
      starts_[j] -= static_cast<std::uint32_t>(count);
    return;
  }
}

void RowList::Shrink() {
  columns_.shrink_to_fit();
  starts_.shrink_to_fit();
  values_.shrink_to_fit();
}

void QueryTables::Shrink() {
  for (auto& [name, rows] : tables_) rows.Shrink();
  tables_.shrink_to_fit();
}

const RowList* QueryTables::Find(std::string_view query) const {
  for (const auto& [name, rows] : tables_) {
    if (name == query) return &rows;
  }
  return nullptr;
}

RowRef OsqueryRow::Ref() const { return {texts, columns, values}; }

std::optional<std::string_view> OsqueryRow::Value(std::string_view column) const {
  return Ref().Value(column);
}

}  // namespace accord
