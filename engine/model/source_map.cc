// SPDX-License-Identifier: Apache-2.0
// Lookup of source positions by key path, falling back to ancestors.
#include "model/source_map.h"

#include <vector>

namespace accord {

void SourceMap::Add(const std::string& path, SourcePos key, SourcePos value,
                    const std::string& file) {
  from_layers_ += !file.empty();
  entries_.insert_or_assign(path, Entry{key, value, file});
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

const std::string& SourceMap::File(const std::string& path, const std::string& own) const {
  const Entry* e = Find(path);
  return e && !e->file.empty() ? e->file : own;
}

std::string SourceMap::Origin(const std::string& path) const {
  if (from_layers_ == 0) return "";
  auto it = entries_.find(path);
  if (it == entries_.end() || it->second.file.empty()) return "";
  return it->second.file + ":" + std::to_string(it->second.key.line);
}

// `path` itself and the paths below it ("users.al" is not under "users.a").
template <typename F>
void SourceMap::ForUnder(const std::map<std::string, Entry>& map, const std::string& path,
                         F f) const {
  for (auto it = map.lower_bound(path); it != map.end(); ++it) {
    const std::string& p = it->first;
    if (p.compare(0, path.size(), path) != 0) break;
    if (p.size() == path.size() || p[path.size()] == '.' || p[path.size()] == '[') f(*it);
  }
}

void SourceMap::CopyFrom(const SourceMap& other, const std::string& path, const std::string& file) {
  ForUnder(other.entries_, path, [&](const auto& kv) {
    from_layers_ += !file.empty();
    entries_.insert_or_assign(kv.first, Entry{kv.second.key, kv.second.value, file});
  });
}

void SourceMap::Remove(const std::string& path) {
  std::vector<std::string> gone;
  ForUnder(entries_, path, [&](const auto& kv) { gone.push_back(kv.first); });
  for (const std::string& p : gone) entries_.erase(p);
}

SourceMap SourceMap::AsOwn() const {
  SourceMap own = *this;
  for (auto& [path, entry] : own.entries_) entry.file.clear();
  own.from_layers_ = 0;
  return own;
}

}  // namespace accord
