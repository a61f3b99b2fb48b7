// Lookup of source positions by key path, falling back to ancestors.
#include "model/source_map.h"

namespace accord {

void SourceMap::Add(const std::string& path, SourcePos key, SourcePos value) {
  entries_.insert_or_assign(path, Entry{key, value});
}

const SourceMap::Entry* SourceMap::Find(const std::string& path) const {
  std::string p = path;
  while (true) {
    if (auto it = entries_.find(p); it != entries_.end()) return &it->second;
    auto dot = p.rfind('.');
    if (dot == std::string::npos) return nullptr;
    p.resize(dot);
  }
}

SourcePos SourceMap::Key(const std::string& path) const {
  const Entry* e = Find(path);
  return e ? e->key : SourcePos{1, 1};
}

SourcePos SourceMap::Value(const std::string& path) const {
  const Entry* e = Find(path);
  return e ? e->value : SourcePos{1, 1};
}

}  // namespace accord
