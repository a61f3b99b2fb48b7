// SPDX-License-Identifier: Apache-2.0
// osquery's result formats → the rows of Accord's queries, per Mac. Reads
// osqueryd's filesystem-logger lines (snapshot, event "added"/"removed",
// and batch "diffResults") and Fleet's query-report JSON, with the quirks
// real senders have: numbers as strings or numbers, "added": "" for an
// empty list, hostIdentifier vs hostname. Sources: osquery's docs on
// logging ("Results logs": snapshot, differential and batched formats) and
// Fleet's REST API docs (GET /api/v1/fleet/queries/:id/report), both
// sampled in ../shared/fixtures/osquery/.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostic.h"

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

// What one Mac's data says, by query: "users", "admins", … (the query's
// name with any pack path and "accord_" prefix taken off).
struct HostRows {
  std::shared_ptr<const TextPool> texts;  // what its rows' ids stand for
  std::string hardware_uuid;
  std::string seen_as;  // hostIdentifier or host name, for messages
  QueryTables tables;
  std::vector<std::string> labels;
  std::vector<std::string> files;  // where its rows came from
};

struct OsqueryData {
  std::shared_ptr<TextPool> texts = std::make_shared<TextPool>();
  std::map<std::string, HostRows> hosts;  // by hardware UUID, upper case
  // Errors that stop one Mac (its data is incomplete), by hardware UUID.
  std::map<std::string, Diagnostics> host_errors;
  // Errors no Mac can be named for (a line without any identity).
  Diagnostics errors;
  // Queries whose results were skipped: not Accord's ("processes", …).
  std::set<std::string> ignored;
};

// Result-log lines (one JSON object per line), or one pretty-printed result.
void ReadResultLog(const std::string& text, const std::string& file, OsqueryData& into);
// The same for a result log read a line at a time by the caller (so that a
// fleet's log of hundreds of megabytes is never held whole): call the
// returned reader with each line and its number, in order.
std::function<void(std::string_view line, int number)> ResultLineReader(const std::string& file,
                                                                        OsqueryData& into);
// A file that stopped being readable part-way (`why`): every Mac it had
// rows for is incomplete, and is not planned.
void FailFile(const std::string& file, const Diagnostic& why, OsqueryData& into);

// Fleet's query report ({"query_id", "results": [{host_name, columns}]}):
// `query` is the query's name (the report does not carry it: the file's).
void ReadFleetReport(const std::string& text, const std::string& file, const std::string& query,
                     OsqueryData& into);

// Does `text` look like a hardware UUID (8-4-4-4-12 hex digits)?
bool IsHardwareUuid(const std::string& text);

}  // namespace accord
