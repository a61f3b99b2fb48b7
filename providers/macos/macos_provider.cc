// SPDX-License-Identifier: Apache-2.0
// The macOS provider's observation.
#include "macos/macos_provider.h"

#include "macos/observe.h"

namespace accord {

Result<DeviceState> MacosProvider::Observe() { return ObserveMac(runner_); }

}  // namespace accord
