// Choosing and running the provider for a verb.
#include "cli/device_source.h"

#include "core/clock.h"
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
  return o;
}

}  // namespace

Result<Observed> ObserveFrom(const DeviceSource& source, ThisMac* mac) {
  if (!source.snapshot.empty() && !source.replay.empty()) {
    return SingleError("", {}, "", "give either --device SNAPSHOT or --replay DIR, not both");
  }
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
