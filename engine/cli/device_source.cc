// SPDX-License-Identifier: Apache-2.0
// Choosing and running the provider for a verb.
#include "cli/device_source.h"

#include "core/clock.h"
#include "inventory/inventory.h"
#include "macos/capture.h"
#include "macos/macos_provider.h"
#include "sim/sim_provider.h"
#include "state/state_store.h"

namespace accord {
namespace {

Result<Observed> ObserveWith(DeviceProvider& provider) {
  Result<DeviceState> state = provider.Observe();
  if (!state.ok()) return state.errors();
  Observed o;
  o.state = std::move(state).value();
  o.description = provider.Describe();
  o.warnings = provider.NotUnderstood();
  return o;
}

// One Mac of an inventory, as ingested: what its data does not show is
// said as a warning ("cannot tell …"), never guessed.
Result<Observed> FromInventory(const DeviceSource& source) {
  if (source.mac.empty()) {
    return Because("--inventory DIR needs --mac MAC here: the Mac's hardware UUID or name");
  }
  Inventory inventory = ReadInventory(source.inventory);
  Result<const InventoryMac*> found = FindMac(inventory, source.mac, source.inventory);
  if (!found.ok()) return found.errors();
  const InventoryMac& m = *found.value();
  if (!m.device) {
    if (!m.errors.empty()) return m.errors;
    return Because("no device state for " + Label(m.identity) + " in " + source.inventory);
  }
  Observed o;
  o.state = *m.device;
  o.description = Label(m.identity) + " of inventory " + source.inventory + " (" + m.source + ")";
  for (const std::string& u : m.unknown) o.warnings.push_back("cannot tell " + u);
  return o;
}

}  // namespace

Result<Observed> ObserveFrom(const DeviceSource& source, ThisMac* mac) {
  const int given = !source.snapshot.empty() + !source.replay.empty() + !source.inventory.empty();
  if (given > 1) {
    return Because("give one of --device SNAPSHOT, --replay DIR or --inventory DIR --mac MAC");
  }
  if (!source.mac.empty() && source.inventory.empty()) {
    return Because("--mac MAC needs --inventory DIR, the fleet's data");
  }
  if (!source.inventory.empty()) return FromInventory(source);
  if (!source.snapshot.empty()) {
    SimProvider provider(source.snapshot);
    return ObserveWith(provider);
  }
  if (!source.replay.empty()) {
    ReplayRunner runner(source.replay);
    MacosProvider provider(runner, "captured bundle " + source.replay);
    return ObserveWith(provider);
  }
  if (!mac) {
    return SingleError("", {}, "",
                       "--device SNAPSHOT or --replay DIR is needed: this is not a Mac");
  }
  MacosProvider provider(mac->runner, "this Mac");
  Result<Observed> observed = ObserveWith(provider);
  if (!observed.ok()) return observed;
  Observed o = std::move(observed).value();
  LoadedState loaded = LoadLocalState(mac->state_dir);
  if (loaded.warning) o.warnings.push_back(*loaded.warning);
  Merged merged = MergeLocalState(o.state, loaded.state);
  o.record = std::move(loaded.state);
  o.state = std::move(merged.state);
  o.kept = std::move(merged.kept);
  o.notes = std::move(merged.notes);
  // A deferral still pending is not done: said with its age, on every run.
  const FileVaultState& fv = o.state.filevault;
  if (fv.status == FileVaultStatus::kDeferred && fv.deferred_since) {
    std::optional<long> days = DaysBetween(*fv.deferred_since, mac->now());
    o.warnings.push_back("FileVault enablement deferred to " + fv.deferred_user.value_or("?") +
                         "'s logout is still pending" +
                         (days ? " after " + std::to_string(*days) + (*days == 1 ? " day" : " days")
                               : std::string()) +
                         " (since " + *fv.deferred_since + "): it completes only when " +
                         fv.deferred_user.value_or("that user") + " logs out at the Mac");
  }
  return o;
}

}  // namespace accord
