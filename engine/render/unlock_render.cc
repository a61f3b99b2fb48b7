// SPDX-License-Identifier: Apache-2.0
// Text and JSON rendering of unlock reports.
#include "render/unlock_render.h"

#include <nlohmann/json.hpp>

#include "core/terminal_text.h"
#include "core/version.h"

namespace accord {
namespace {

// Names come from the Mac: escaped for the terminal.
std::string Line(const UnlockPath& p) {
  return EscapeForTerminal(p.who.empty() ? p.how : p.who + ": " + p.how);
}

}  // namespace

std::string RenderUnlockText(const UnlockReport& r, const std::string& device_name) {
  const std::string mac = EscapeForTerminal(device_name);
  std::string out = r.filevault == "unknown"
                        ? "Cannot tell whether FileVault on " + mac + " is on.\n"
                        : "FileVault on " + mac + " is " + r.filevault + ".\n";
  switch (r.verdict) {
    case UnlockVerdict::kNotNeeded:
      return out + "After a reboot now, no FileVault unlock is needed.\n";
    case UnlockVerdict::kUnlockable:
      out += "After a reboot now, the disk can be unlocked by:\n";
      break;
    case UnlockVerdict::kLockedOut: out += "After a reboot now: nobody: locked out.\n"; break;
    case UnlockVerdict::kUnknown:
      out +=
          "After a reboot now: cannot tell whether anyone could unlock the disk: there is no "
          "certain way in, and some of the state could not be observed.\n";
      break;
  }
  for (const UnlockPath& p : r.paths) out += "  + " + Line(p) + "\n";
  if (!r.doubtful.empty()) {
    out += "Doubtful:\n";
    for (const UnlockPath& p : r.doubtful) out += "  ? " + Line(p) + "\n";
  }
  if (r.verdict == UnlockVerdict::kLockedOut || r.verdict == UnlockVerdict::kUnknown) {
    out +=
        "Do not reboot. Grant a SecureToken to an admin whose password is known, or escrow a "
        "recovery key, first.\n";
  }
  return out;
}

std::string RenderUnlockJson(const UnlockReport& r, const std::string& device_name) {
  using Json = nlohmann::ordered_json;
  auto list = [](const std::vector<UnlockPath>& paths) {
    Json out = Json::array();
    for (const UnlockPath& p : paths) {
      out.push_back({{"who", p.who.empty() ? Json(nullptr) : Json(p.who)}, {"how", p.how}});
    }
    return out;
  };
  Json doc = {{"version", AccordVersion()}, {"device", device_name},
              {"filevault", r.filevault},   {"verdict", ToString(r.verdict)},
              {"paths", list(r.paths)},     {"doubtful", list(r.doubtful)}};
  // Names observed on a Mac may not be valid UTF-8: replaced, never thrown on.
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace accord
