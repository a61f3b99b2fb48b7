// SPDX-License-Identifier: Apache-2.0
// The settable attributes, each tied to its member of the desired and the
// observed account.
#include "model/settable.h"

#include <algorithm>

namespace accord {
namespace {

// (Known<T> is std::optional<T>: one helper serves both sides.)
template <typename T>
std::optional<AttrValue> Value(const std::optional<T>& v) {
  return v ? std::optional<AttrValue>(*v) : std::nullopt;
}

template <typename T>
bool Assign(Known<T>& to, const AttrValue& value) {
  if (!std::holds_alternative<T>(value)) return false;
  to = std::get<T>(value);
  return true;
}

}  // namespace

bool IsSettable(Attr attr) {
  return std::find(kSettableAttrs.begin(), kSettableAttrs.end(), attr) != kSettableAttrs.end();
}

std::optional<AttrValue> Wanted(const DesiredUser& u, Attr attr) {
  switch (attr) {
    case Attr::kFullName: return Value(u.full_name);
    case Attr::kShell: return Value(u.shell);
    case Attr::kHidden: return Value(u.hidden);
    default: return std::nullopt;
  }
}

AttrValue Seen(const ObservedUser& u, Attr attr) {
  switch (attr) {
    case Attr::kFullName: return Value(u.full_name).value_or(AttrValue());
    case Attr::kShell: return Value(u.shell).value_or(AttrValue());
    case Attr::kHidden: return Value(u.hidden).value_or(AttrValue());
    default: return {};
  }
}

bool SetSeen(ObservedUser& u, Attr attr, const AttrValue& value) {
  switch (attr) {
    case Attr::kFullName: return Assign(u.full_name, value);
    case Attr::kShell: return Assign(u.shell, value);
    case Attr::kHidden: return Assign(u.hidden, value);
    default: return false;
  }
}

}  // namespace accord
