// SourceMap: where each key and value of a desired-state file stands, keyed
// by its path ("users.alice.uid"), so that checks made after loading can still
// name file:line:column without knowing about YAML.
#pragma once

#include <map>
#include <string>

#include "core/diagnostic.h"

namespace accord {

class SourceMap {
 public:
  void Add(const std::string& path, SourcePos key, SourcePos value);

  // Position of the key at `path`, or of its nearest recorded ancestor.
  SourcePos Key(const std::string& path) const;
  // Position of the value at `path`, or of its nearest recorded ancestor.
  SourcePos Value(const std::string& path) const;

  bool operator==(const SourceMap&) const = default;

 private:
  struct Entry {
    SourcePos key;
    SourcePos value;
    bool operator==(const Entry&) const = default;
  };
  const Entry* Find(const std::string& path) const;

  std::map<std::string, Entry> entries_;
};

}  // namespace accord
