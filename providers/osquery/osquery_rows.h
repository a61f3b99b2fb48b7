// SPDX-License-Identifier: Apache-2.0
// How osquery rows are kept while a fleet is read: every distinct text once
// in a TextPool, rows as ids into it, a query's rows flat in a RowList, a
// Mac's queries in QueryTables. A fleet keeps every Mac's rows until it is
// read whole, so these follow what is distinct about each Mac, not its rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace accord {

// Every distinct text of one ingest, kept once: rows hold 4-byte ids into
// it, so what every Mac repeats (column names, "0", "/usr/bin/false", the
// system accounts' rows) costs a fleet almost nothing, and memory follows
// what is distinct about each Mac rather than its rows.
class TextPool {
 public:
  using Id = std::uint32_t;
  TextPool() { InternColumns({}); }  // 0: a row of no columns
  Id Intern(std::string_view text);
  std::string_view operator[](Id id) const { return views_[id]; }
  // A row's column names, in order, kept once for every row that has them.
  Id InternColumns(const std::vector<Id>& columns);
  const std::vector<Id>& Columns(Id id) const { return column_lists_[id]; }

 private:
  std::string_view Store(std::string_view text);
  void Grow();

  // The texts' bytes, in chunks that never move; a view of each by id; and
  // an open-addressing index of ids (no node per text).
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* next_ = nullptr;
  std::size_t left_ = 0;
  std::vector<std::string_view> views_;
  std::vector<Id> slots_;
  std::vector<std::vector<Id>> column_lists_;
  std::map<std::vector<Id>, Id> column_ids_;
};

// One row: its columns (an id of the pool's column lists: the rows of a
// query share one) and its values, in column order, as ids into the
// ingest's TextPool.
struct OsqueryRow {
  const TextPool* texts = nullptr;
  TextPool::Id columns = 0;
  std::vector<TextPool::Id> values;
  // The value of `column`; none when the row has no such column.
  std::optional<std::string_view> Value(std::string_view column) const;
  struct RowRef Ref() const;
  bool operator==(const OsqueryRow& other) const {
    return columns == other.columns && values == other.values;
  }
};

// A row as kept in a RowList: its column list and a view of its values.
struct RowRef {
  const TextPool* texts = nullptr;
  TextPool::Id columns = 0;
  std::span<const TextPool::Id> values;
  std::optional<std::string_view> Value(std::string_view column) const;
};

// One query's rows for one Mac, kept flat: every row's values in one array
// (a fleet keeps every Mac's rows until it is read whole, so no vector per
// row). Rows are read as RowRefs.
class RowList {
 public:
  class Iterator {
   public:
    Iterator(const RowList* list, std::size_t i) : list_(list), i_(i) {}
    RowRef operator*() const { return (*list_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const Iterator& other) const { return i_ != other.i_; }

   private:
    const RowList* list_;
    std::size_t i_;
  };

  std::size_t size() const { return columns_.size(); }
  bool empty() const { return columns_.empty(); }
  RowRef operator[](std::size_t i) const;
  RowRef front() const { return (*this)[0]; }
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

  void Assign(const std::vector<OsqueryRow>& rows);  // a snapshot: these rows, only
  void Add(const OsqueryRow& row);
  void Remove(const OsqueryRow& row);  // the first equal row, if any
  void Shrink();                       // to exactly its size

 private:
  const TextPool* texts_ = nullptr;
  std::vector<TextPool::Id> columns_;  // per row
  std::vector<std::uint32_t> starts_;  // per row: where its values start
  std::vector<TextPool::Id> values_;
};

// A Mac's rows by query ("users", …): a handful, so a short list, not a map.
class QueryTables {
 public:
  RowList& operator[](std::string_view query);
  const RowList* Find(std::string_view query) const;
  void Clear() { std::vector<std::pair<std::string, RowList>>().swap(tables_); }
  void Shrink();  // every list to exactly its size, once all is read
  const std::vector<std::pair<std::string, RowList>>& All() const { return tables_; }

 private:
  std::vector<std::pair<std::string, RowList>> tables_;
};

}  // namespace accord
