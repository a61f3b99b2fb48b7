// SPDX-License-Identifier: Apache-2.0
// One Mac's osquery rows → its identity and a DeviceState (snapshot
// contract v1). What the rows do not show stays unknown, never guessed:
// without a SecureToken table every token is unknown; recovery-key escrow,
// MDM enrollment, the console user and the password sync flags are never
// in osquery's data. Tables and columns: osquery's schema (system_info,
// os_version, users, user_groups, groups, disk_encryption, file), Fleet's
// apfs_crypto_users (fleetd, schema/tables/apfs_crypto_users.yml) and the
// Mac Admins extension's filevault_users (`fdesetup list`).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "model/device_state.h"
#include "model/fleet.h"
#include "osquery/osquery_results.h"

namespace accord {

struct MacFromOsquery {
  DeviceState device;                // named as IdentityFromOsquery names the Mac
  std::vector<std::string> unknown;  // what the data does not say, and why
  // How to make each unknown known here, in place of the Mac's own tools
  // (InventoryMac::fixes): the table, and the extension that provides it.
  std::vector<std::pair<std::string, std::string>> fixes;
  // fleetd's filevault_status rows, where the Mac has them: `fdesetup
  // status` as fleetd reports it, for the macOS provider's parser to read
  // (providers/inventory); it is read before disk_encryption, and what
  // disk_encryption could not show (`filevault_unknown`) is unknown only
  // when it is not there.
  Known<std::string> fdesetup_status;
  std::vector<std::string> filevault_unknown;
  // The device script's summary of the last apply (accord_last_apply: key
  // and value rows of osquery's plist table), where the Mac has one.
  std::optional<LastApply> last_apply;
};

// Who the Mac is (system_info), whatever else its rows hold.
MacIdentity IdentityFromOsquery(const HostRows& host);

// The Mac's observed state. Errors when the Mac cannot be planned at all (no users rows: its
// accounts are unknown, and a plan would create what may exist).
Result<MacFromOsquery> DeviceFromOsquery(const HostRows& host);

}  // namespace accord
