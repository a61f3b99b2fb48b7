// SPDX-License-Identifier: Apache-2.0
// Parallel fleet planning with a composition cache.
#include "fleet/fleet_plan.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "core/names.h"
#include "core/sha256.h"
#include "plan/planner.h"

namespace accord {
namespace {

struct Composition {
  std::shared_ptr<const DesiredState> desired;
  Diagnostics errors;
};

void PlanOne(MacPlan& out, const Composition& composed) {
  // A Mac whose facts are made when needed is made here, planned, and
  // dropped with this copy.
  std::optional<InventoryMac> made;
  if (out.mac->complete) Complete(made.emplace(*out.mac));
  const InventoryMac& mac = made ? *made : *out.mac;
  out.unknown = mac.unknown;
  out.last_apply = mac.last_apply;
  if (!mac.device) {
    out.errors = mac.errors;
    return;
  }
  if (!composed.desired) {
    out.errors = composed.errors;
    out.config_error = true;
    return;
  }
  out.desired = composed.desired;
  Result<Plan> plan = MakePlan(*composed.desired, *mac.device);
  if (!plan.ok()) {
    out.errors = plan.errors();
    return;
  }
  out.plan = std::make_unique<Plan>(std::move(plan).value());
  for (Change& c : out.plan->changes) InSourceWords(c.remedy, mac);
  out.plan->device_source = mac.source;
  out.plan->desired_file +=
      " (layers: " + (out.layers.empty() ? std::string("none") : Join(out.layers, ", ")) + ")";
}

}  // namespace

FleetPlan PlanFleet(const FleetLayers& layers, const std::vector<InventoryMac>& macs,
                    unsigned threads, const std::function<void(std::size_t, std::size_t)>& progress,
                    const std::function<void(MacPlan&)>& planned) {
  FleetPlan out;
  out.macs.resize(macs.size());
  // Choosing layers is cheap; composing once per distinct choice keeps a
  // fleet of 10,000 Macs and a handful of layer stacks fast.
  std::map<std::vector<std::size_t>, Composition> cache;
  std::vector<const Composition*> composition(macs.size(), nullptr);
  Composition unchosen;
  for (std::size_t i = 0; i < macs.size(); ++i) {
    MacPlan& m = out.macs[i];
    m.mac = &macs[i];
    if (!macs[i].device && !macs[i].complete) continue;
    Result<std::vector<std::size_t>> chosen = ChooseLayers(layers.fleet, macs[i].identity);
    if (!chosen.ok()) {
      m.errors = chosen.errors();
      m.config_error = true;
      continue;
    }
    m.layers = LayerNames(layers.fleet, chosen.value());
    auto [it, fresh] = cache.try_emplace(chosen.value());
    if (fresh) {
      Result<DesiredState> composed = Compose(layers, chosen.value());
      if (composed.ok()) {
        it->second.desired = std::make_shared<const DesiredState>(std::move(composed).value());
      } else {
        it->second.errors = composed.errors();
        out.compose_errors.insert(out.compose_errors.end(), it->second.errors.begin(),
                                  it->second.errors.end());
      }
    }
    composition[i] = &it->second;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::mutex mutex;
  std::condition_variable finished;
  auto work = [&] {
    for (std::size_t i = next++; i < macs.size(); i = next++) {
      MacPlan& m = out.macs[i];
      if (m.errors.empty()) PlanOne(m, composition[i] ? *composition[i] : unchosen);
      if (planned) planned(m);
      if (++done == macs.size()) {
        std::lock_guard<std::mutex> lock(mutex);
        finished.notify_all();
      }
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < std::max(1u, threads); ++t) workers.emplace_back(work);
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (done < macs.size()) {
      if (progress) progress(done, macs.size());
      finished.wait_for(lock, std::chrono::milliseconds(100));
    }
  }
  for (std::thread& w : workers) w.join();
  if (progress) progress(macs.size(), macs.size());
  SortByPosition(out.compose_errors);
  return out;
}

std::string IgnoredLine(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  constexpr std::size_t kShown = 5;
  std::string out = "Ignored the results of " + std::to_string(names.size()) +
                    (names.size() == 1 ? " query" : " queries") + " that " +
                    (names.size() == 1 ? "is" : "are") + " not Accord's: ";
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > kShown) out += " and " + std::to_string(names.size() - kShown) + " more";
  return out + ".";
}

bool InShard(const std::string& hardware_uuid, const Shard& shard) {
  if (shard.count <= 1) return true;
  const std::string digest = Sha256Hex(ToUpper(hardware_uuid));
  const std::uint64_t number = std::stoull(digest.substr(0, 16), nullptr, 16);
  return number % shard.count == shard.index - 1;
}

Result<Shard> ParseShard(const std::string& text) {
  const std::string usage = "--shard is K/N, shard K of N (1 <= K <= N <= 1000), not ";
  std::size_t slash = text.find('/');
  auto number = [](const std::string& digits) -> std::optional<unsigned> {
    if (digits.empty() || digits.size() > 4 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    return static_cast<unsigned>(std::stoul(digits));
  };
  if (slash == std::string::npos) return Because(usage + Printable(text));
  std::optional<unsigned> k = number(text.substr(0, slash));
  std::optional<unsigned> n = number(text.substr(slash + 1));
  if (!k || !n || *k < 1 || *k > *n || *n > 1000) return Because(usage + Printable(text));
  return Shard{*k, *n};
}

}  // namespace accord
