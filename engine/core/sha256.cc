// SPDX-License-Identifier: Apache-2.0
// SHA-256 through Nettle's sha2.h.
#include "core/sha256.h"

#include <nettle/sha2.h>
#include <nettle/version.h>

#include <cstdint>

namespace accord {

std::string Sha256Hex(std::string_view bytes) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));
  std::uint8_t digest[SHA256_DIGEST_SIZE];
#if NETTLE_VERSION_MAJOR >= 4
  sha256_digest(&ctx, digest);  // Nettle 4's digest functions take no length
#else
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
#endif
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * SHA256_DIGEST_SIZE);
  for (std::uint8_t b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

}  // namespace accord
