// SPDX-License-Identifier: Apache-2.0
// The Bootstrap Token's eras by macOS version (macos_release.h names the
// sources).
#include "model/macos_release.h"

#include <charconv>

namespace accord {

std::optional<std::array<int, 3>> ParseMacosVersion(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::array<int, 3> v{0, 0, 0};
  const char* p = text.data();
  const char* end = p + text.size();
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto [next, ec] = std::from_chars(p, end, v[i]);
    if (ec != std::errc() || v[i] < 0) return std::nullopt;
    if (next == end) return v;
    if (*next != '.' || next + 1 == end) return std::nullopt;
    p = next + 1;
  }
  return std::nullopt;  // a fourth number
}

Known<BootstrapEra> EraOf(const Known<std::string>& os_version) {
  if (!os_version) return std::nullopt;
  std::optional<std::array<int, 3>> v = ParseMacosVersion(*os_version);
  if (!v) return std::nullopt;
  // macOS 11 and later print 10.16 to software built for 10.15
  // (SYSTEM_VERSION_COMPAT), so 10.16 is 11.
  if ((*v)[0] == 10 && (*v)[1] == 16) return BootstrapEra::kGrantsAnyone;
  if (*v < std::array<int, 3>{10, 15, 0}) return BootstrapEra::kNone;
  if (*v < std::array<int, 3>{10, 15, 4}) return BootstrapEra::kAdminEscrows;
  if (*v < std::array<int, 3>{11, 0, 0}) return BootstrapEra::kHolderEscrows;
  return BootstrapEra::kGrantsAnyone;
}

const char* VersionsOf(BootstrapEra era) {
  switch (era) {
    case BootstrapEra::kNone: return "before 10.15";
    case BootstrapEra::kAdminEscrows: return "10.15 to 10.15.3";
    case BootstrapEra::kHolderEscrows: return "10.15.4 to 10.15.7";
    case BootstrapEra::kGrantsAnyone: return "11 and later";
  }
  return "";
}

Known<bool> BootstrapGrantsLocalAccounts(const Known<std::string>& os_version) {
  Known<BootstrapEra> era = EraOf(os_version);
  if (!era) return std::nullopt;
  return *era == BootstrapEra::kGrantsAnyone;
}

}  // namespace accord
