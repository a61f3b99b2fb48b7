// SPDX-License-Identifier: Apache-2.0
// Render stage for the reboot oracle: the answer to "may I reboot this Mac
// now?", as text for an admin and as JSON for scripts.
#pragma once

#include <string>

#include "safety/unlock_paths.h"

namespace accord {

std::string RenderUnlockText(const UnlockReport& report, const std::string& device_name);
std::string RenderUnlockJson(const UnlockReport& report, const std::string& device_name);

}  // namespace accord
