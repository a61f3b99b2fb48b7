// SPDX-License-Identifier: Apache-2.0
// The macOS provider's observation.
#include "macos/macos_provider.h"

#include "macos/observe.h"

namespace accord {

Result<DeviceState> MacosProvider::Observe() {
  Result<MacObservation> seen = ObserveMacExplained(runner_);
  if (!seen.ok()) return seen.errors();
  not_understood_ = std::move(seen.value().not_understood);
  return std::move(seen.value().state);
}

}  // namespace accord
