// SPDX-License-Identifier: Apache-2.0
// The simulated Mac: a device snapshot file standing in for a real Mac, so
// plans can be made anywhere (CI, before enrollment, from a captured Mac).
#pragma once

#include <string>

#include "provider.h"

namespace accord {

class SimProvider : public DeviceProvider {
 public:
  explicit SimProvider(std::string snapshot_path) : path_(std::move(snapshot_path)) {}

  Result<DeviceState> Observe() override;
  std::string Describe() const override { return "snapshot " + path_; }

 private:
  std::string path_;
};

}  // namespace accord
