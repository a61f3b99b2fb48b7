// Choosing and running the provider for a verb.
#include "cli/device_source.h"

#include "macos/capture.h"
#include "macos/macos_provider.h"
#include "macos/posix_runner.h"
#include "sim/sim_provider.h"

namespace accord {

Result<Observed> ObserveFrom(const DeviceSource& source) {
  if (!source.snapshot.empty() && !source.replay.empty()) {
    return SingleError("", {}, "", "give either --device SNAPSHOT or --replay DIR, not both");
  }
  if (!source.snapshot.empty()) {
    SimProvider provider(source.snapshot);
    Result<DeviceState> state = provider.Observe();
    if (!state.ok()) return state.errors();
    return Observed{std::move(state).value(), provider.Describe()};
  }
  if (!source.replay.empty()) {
    ReplayRunner runner(source.replay);
    MacosProvider provider(runner, "captured bundle " + source.replay);
    Result<DeviceState> state = provider.Observe();
    if (!state.ok()) return state.errors();
    return Observed{std::move(state).value(), provider.Describe()};
  }
#ifdef __APPLE__
  PosixRunner runner;
  MacosProvider provider(runner, "this Mac");
  Result<DeviceState> state = provider.Observe();
  if (!state.ok()) return state.errors();
  return Observed{std::move(state).value(), provider.Describe()};
#else
  return SingleError("", {}, "", "--device SNAPSHOT or --replay DIR is needed: this is not a Mac");
#endif
}

}  // namespace accord
