// SPDX-License-Identifier: Apache-2.0
// Import: the desired state under which a Mac, as observed, has nothing to
// change (`accord import`, as Terraform's -generate-config-out). Every value
// is one the Mac showed; what it could not show becomes a comment, never a
// value; passwords are never read, so each has a comment where it would go.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/desired_state.h"
#include "model/device_state.h"

namespace accord {

struct ImportedState {
  DesiredState state;
  // Comment lines for the file, keyed by the block they belong in
  // ("users.alice", "authority", "filevault"): written inside the block, or
  // where it would stand when the block is absent.
  std::map<std::string, std::vector<std::string>> comments;
};

// The person accounts (not root, not _role accounts, not UIDs below 500),
// UID ranges that fit them, an authority among the certain SecureToken
// admins, and FileVault with its recovery key.
ImportedState ImportDesired(const DeviceState& mac);

}  // namespace accord
