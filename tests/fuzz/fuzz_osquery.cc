// SPDX-License-Identifier: Apache-2.0
// Fuzz target: osquery result logs and Fleet query reports, through ingest
// to the device model and a snapshot's text.
#include "fuzz_input.h"
#include "model/snapshot_codec.h"
#include "osquery/osquery_device.h"
#include "osquery/osquery_results.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text = accord::fuzz::Text(data, size);
  accord::OsqueryData osquery;
  accord::ReadResultLog(text, "fuzz.log", osquery);
  accord::ReadFleetReport(text, "accord_users.json", "accord_users", osquery);
  for (const auto& [uuid, host] : osquery.hosts) {
    accord::Result<accord::MacFromOsquery> mac = accord::DeviceFromOsquery(host);
    if (!mac.ok()) continue;
    if (accord::SerializeSnapshot(mac.value().device).empty()) __builtin_trap();
  }
  return 0;
}
