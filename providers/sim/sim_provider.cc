// SPDX-License-Identifier: Apache-2.0
// The simulated Mac reads its state from a snapshot file.
#include "sim/sim_provider.h"

#include "core/text_file.h"
#include "model/snapshot_codec.h"

namespace accord {

Result<DeviceState> SimProvider::Observe() {
  Result<std::string> text = ReadTextFile(path_);
  if (!text.ok()) return text.errors();
  return ParseSnapshot(text.value(), path_);
}

}  // namespace accord
