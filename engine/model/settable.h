// SPDX-License-Identifier: Apache-2.0
// The attributes of an existing account that one kSetAttribute step
// changes in place: the one list that the diff, the device model and the
// macOS provider (its compiler and its verification) walk, so a new
// attribute is added here once.
#pragma once

#include <array>
#include <optional>

#include "model/desired_state.h"
#include "model/device_state.h"
#include "model/plan.h"

namespace accord {

inline constexpr std::array<Attr, 3> kSettableAttrs = {Attr::kFullName, Attr::kShell,
                                                       Attr::kHidden};

bool IsSettable(Attr attr);

// What the desired state asks for `attr`; nullopt when it does not manage it.
std::optional<AttrValue> Wanted(const DesiredUser& u, Attr attr);

// What the Mac shows for `attr`: std::monostate when unknown.
AttrValue Seen(const ObservedUser& u, Attr attr);

// Sets `attr` on the device model's account; false when `value` is not of
// the attribute's type (nothing is changed then).
bool SetSeen(ObservedUser& u, Attr attr, const AttrValue& value);

}  // namespace accord
