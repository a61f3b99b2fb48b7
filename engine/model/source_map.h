// SPDX-License-Identifier: Apache-2.0
// SourceMap: where each key and value of a desired-state file stands, keyed
// by its path ("users.alice.uid"), so that checks made after loading can still
// name file:line:column without knowing about YAML. A desired state composed
// from layers keeps, for each path, the file of the layer that set it.
#pragma once

#include <map>
#include <string>

#include "core/diagnostic.h"

namespace accord {

class SourceMap {
 public:
  // `file` is empty for the desired state's own file.
  void Add(const std::string& path, SourcePos key, SourcePos value, const std::string& file = "");

  // Position of the key at `path`, or of its nearest recorded ancestor.
  SourcePos Key(const std::string& path) const;
  // Position of the value at `path`, or of its nearest recorded ancestor.
  SourcePos Value(const std::string& path) const;
  // The file that position is in: the layer's, or `own` for the file itself.
  const std::string& File(const std::string& path, const std::string& own) const;
  // Was exactly `path` written (not just an ancestor of it)?
  bool Has(const std::string& path) const { return entries_.count(path) > 0; }
  // "layers/lab.yaml:7" for a path a layer set; empty for the file's own.
  std::string Origin(const std::string& path) const;

  // Copies `path` and everything under it from `other`, as written in `file`.
  void CopyFrom(const SourceMap& other, const std::string& path, const std::string& file);
  // Forgets `path` and everything under it.
  void Remove(const std::string& path);
  // The same paths as if each were written in the file itself: no layer's
  // origin (a composed file's meaning, apart from where each value came from).
  SourceMap AsOwn() const;

  bool operator==(const SourceMap& other) const { return entries_ == other.entries_; }

 private:
  struct Entry {
    SourcePos key;
    SourcePos value;
    std::string file;
    bool operator==(const Entry&) const = default;
  };
  const Entry* Find(const std::string& path) const;
  template <typename F>
  void ForUnder(const std::map<std::string, Entry>& map, const std::string& path, F f) const;

  std::map<std::string, Entry> entries_;
  // How often an entry was set from a layer file (never lowered: 0 means
  // none is, as in a desired state's own file, where Origin is "" without
  // a lookup; it is asked for every change planned).
  std::size_t from_layers_ = 0;
};

}  // namespace accord
