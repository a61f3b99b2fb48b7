// SPDX-License-Identifier: Apache-2.0
// SHA-256, from GNU Nettle (Debian's nettle-dev, Homebrew's nettle): the
// fingerprints that say whether a saved plan's inputs changed.
#pragma once

#include <string>
#include <string_view>

namespace accord {

// The SHA-256 of `bytes`, as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view bytes);

}  // namespace accord
