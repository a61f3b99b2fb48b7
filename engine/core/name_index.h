// SPDX-License-Identifier: Apache-2.0
// NameIndex: constant-time lookup of accounts by short name over a vector
// the index does not own, so that stages stay linear in the number of
// accounts (a plan for thousands must not be quadratic).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace accord {

template <typename T>
class NameIndex {
 public:
  explicit NameIndex(const std::vector<T>& items) {
    by_name_.reserve(items.size());
    for (const T& item : items) by_name_.emplace(item.name, &item);
  }
  // The first item named `name`, or nullptr.
  const T* Find(const std::string& name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string, const T*> by_name_;
};

}  // namespace accord
