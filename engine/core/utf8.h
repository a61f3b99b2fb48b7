// SPDX-License-Identifier: Apache-2.0
// UTF-8, strictly: the one decoder behind input validation (text files,
// full names) and terminal escaping.
#pragma once

#include <cstddef>
#include <string_view>

namespace accord {

// The length of the well-formed UTF-8 sequence at text[i] (storing its code
// point in `cp`), or 0 when it is not one: a stray continuation byte, a
// truncated sequence, an overlong form, a surrogate, or beyond U+10FFFF.
std::size_t Utf8Length(std::string_view text, std::size_t i, char32_t& cp);

bool IsValidUtf8(std::string_view text);

}  // namespace accord
