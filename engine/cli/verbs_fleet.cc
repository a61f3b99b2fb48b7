// SPDX-License-Identifier: Apache-2.0
// The fleet verbs: plan --fleet (every Mac of an inventory, in parallel,
// summarised as a table, Markdown or JUnit) and compose (one Mac's layers
// as the format-1 file to ship to it).
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/pipeline.h"
#include "cli/verbs.h"
#include "core/atomic_file.h"
#include "core/names.h"
#include "fleet/fleet_plan.h"
#include "inventory/inventory.h"
#include "load/baseline_loader.h"
#include "load/fleet_loader.h"
#include "render/desired_yaml.h"
#include "render/fleet_render.h"
#include "render/json_render.h"
#include "render/review_json.h"
#include "render/text_render.h"

namespace accord {
namespace {

struct Loaded {
  FleetLayers layers;
  Inventory inventory;
  // Reported already: in the layers (a configuration error), in the
  // inventory's files (its Macs' data).
  bool layer_errors = false;
  bool inventory_errors = false;
};

// The fleet file must load; a broken layer or source is reported once and
// stops only the Macs it concerns.
std::optional<Loaded> Load(const std::string& fleet, const std::string& inventory, Io& io) {
  Result<Fleet> parsed = LoadFleetFile(fleet);
  if (!parsed.ok()) {
    Report(parsed.errors(), io.err);
    return std::nullopt;
  }
  // Lazily: each Mac of osquery results is made when planned, then dropped.
  Loaded out{ReadLayers(std::move(parsed).value()), ReadInventory(inventory, InventoryMode::kLazy),
             false, false};
  for (const Result<DesiredState>& layer : out.layers.layers) {
    if (!layer.ok()) {
      Report(layer.errors(), io.err);
      out.layer_errors = true;
    }
  }
  if (!out.inventory.errors.empty()) {
    Report(out.inventory.errors, io.err);
    out.inventory_errors = true;
  }
  ReportIgnored(out.inventory, io.err);
  return out;
}

std::vector<std::string> Header(const std::string& fleet, const MacIdentity& mac,
                                const std::vector<std::string>& layers) {
  return {"Composed by accord compose from " + fleet + " for " + Label(mac) + " (hardware UUID " +
              mac.hardware_uuid + ").",
          "Layers, in order: " + (layers.empty() ? std::string("none") : Join(layers, ", ")) + ".",
          "Each value's comment names the layer file and line that set it."};
}

// A per-Mac file's name: the Mac's name (where known, in characters any
// file system and shell take) before its hardware UUID, so that a person
// can tell which Mac it is and a script can find it by UUID.
std::string FileStem(const MacIdentity& mac) {
  if (!mac.name) return mac.hardware_uuid;
  std::string name;
  for (char c : *mac.name) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
    name += plain ? c : '-';
  }
  return name.substr(0, 64) + "." + mac.hardware_uuid;
}

class ProgressBar {
 public:
  ProgressBar(std::ostream& err, bool show) : err_(err), show_(show) {}
  void operator()(std::size_t done, std::size_t total) {
    if (!show_ || total == 0) return;
    constexpr std::size_t kWidth = 30;
    std::size_t filled = done * kWidth / total;
    err_ << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] " << done
         << "/" << total << " Macs planned" << std::flush;
    if (done == total) err_ << "\r" << std::string(kWidth + 40, ' ') << "\r" << std::flush;
  }

 private:
  std::ostream& err_;
  bool show_;
};

bool WriteOutDir(const std::string& dir, const FleetPlan& plan, const std::string& fleet, Io& io) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    io.err << "accord: error: cannot create " << dir << ": " << ec.message() << "\n";
    return false;
  }
  // Macs that share their layers share their composed file: rendered
  // once (without a device:), each with its own header and device: line.
  std::map<const DesiredState*, std::string> bodies;
  for (const MacPlan& m : plan.macs) {
    if (m.plan && !bodies.count(m.desired.get())) {
      DesiredState unbound = *m.desired;
      unbound.device.reset();
      unbound.source.Remove("device");
      std::string body = RenderDesiredYaml(unbound, {});
      bodies.emplace(m.desired.get(), body.substr(body.find('\n') + 1));  // after "accord: 1"
    }
  }
  // Rendered and written on every core; durable once, at the end: two
  // fsyncs per file made 2,000 Macs take seconds where the plan takes a
  // fraction of one.
  std::atomic<std::size_t> next{0};
  std::mutex failed;
  std::optional<Status> failure;
  auto work = [&] {
    for (std::size_t i = next++; i < plan.macs.size(); i = next++) {
      const MacPlan& m = plan.macs[i];
      if (!m.plan) continue;
      const MacIdentity& id = m.mac->identity;
      const std::string base = (std::filesystem::path(dir) / FileStem(id)).string();
      const std::string head =
          RenderDesiredYaml(BoundTo(DesiredState{}, id), Header(fleet, id, m.layers));
      for (auto [path, text] :
           {std::pair(base + ".plan.json", RenderPlanJson(*m.plan)),
            std::pair(base + ".review.json",
                      RenderReviewJson(ReviewOf(*m.plan, id.hardware_uuid, fleet))),
            std::pair(base + ".desired.yaml", head + bodies.at(m.desired.get()))}) {
        if (Status written = WriteFileUnflushed(path, text); !written.ok()) {
          std::lock_guard<std::mutex> lock(failed);
          if (!failure) failure = written;
          return;
        }
      }
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < std::max(1u, std::thread::hardware_concurrency()); ++t) {
    workers.emplace_back(work);
  }
  for (std::thread& w : workers) w.join();
  if (failure) {
    Failed(*failure, io.err);
    return false;
  }
  FlushWrites(dir);
  return true;
}

// The one Mac `id` (hardware UUID or name) names, or an error said.
const InventoryMac* FindMac(const Inventory& inventory, const std::string& id,
                            const std::string& dir, Io& io) {
  Result<const InventoryMac*> found = accord::FindMac(inventory, id, dir);
  if (!found.ok()) {
    Failed(found.errors(), io.err);
    return nullptr;
  }
  return found.value();
}

// plan --fleet --mac: one Mac's whole plan, each change with the layer
// that asked for it.
int OneMac(const FleetPlanRequest& opt, const Display& display, const Loaded& loaded, Io& io) {
  const InventoryMac* mac = FindMac(loaded.inventory, opt.mac, opt.inventory, io);
  if (!mac) return kExitError;
  std::vector<InventoryMac> one = {*mac};
  FleetPlan plan = PlanFleet(loaded.layers, one, 1, nullptr);
  const MacPlan& m = plan.macs.front();
  if (!m.plan) {
    return Failed(m.errors, io.err);
  }
  Report(m.desired->warnings, io.err);
  io.out << RenderPlanText(*m.plan, StyleOf(display, io));
  return PlanExitCode(Summarize(*m.plan), display.detailed_exitcode);
}

// The baseline, applied: its entries that accepted nothing are warned of.
Status Accept(const std::string& file, FleetReport& report, Io& io) {
  if (file.empty()) return OkStatus();
  Result<Baseline> baseline = LoadBaseline(file);
  if (!baseline.ok()) return baseline.errors();
  ReportWarnings(ApplyBaseline(baseline.value(), report), io.err);
  return OkStatus();
}

}  // namespace

int FleetPlanVerb(const FleetPlanRequest& opt, const Display& display, Io& io) {
  std::optional<Loaded> loaded = Load(opt.fleet, opt.inventory, io);
  if (!loaded) return kExitError;
  if (!opt.mac.empty()) return OneMac(opt, display, *loaded, io);
  ProgressBar bar(io.err, io.err_is_terminal && !opt.quiet);
  std::vector<InventoryMac> shard;
  if (opt.shard.count > 1) {
    for (const InventoryMac& m : loaded->inventory.macs) {
      if (InShard(m.identity.hardware_uuid, opt.shard)) shard.push_back(m);
    }
  }
  // Without --out-dir, each Mac's report is made as it is planned and its
  // plan dropped: a fleet's plans are never all held.
  // The Macs of one source say the same "cannot tell" texts: held once.
  std::function<void(MacPlan&)> planned;
  std::mutex shared;
  SharedTexts last_unknown;
  if (opt.out_dir.empty()) {
    planned = [&](MacPlan& m) {
      m.report = std::make_unique<MacReport>(ReportRowOf(m));
      m.plan.reset();
      std::vector<std::string>().swap(m.unknown);  // (the report has them)
      std::lock_guard<std::mutex> lock(shared);
      m.report->unknown.ShareWith(last_unknown);
      last_unknown = m.report->unknown;
    };
  }
  FleetPlan plan =
      PlanFleet(loaded->layers, opt.shard.count > 1 ? shard : loaded->inventory.macs,
                std::max(1u, std::thread::hardware_concurrency()), std::ref(bar), planned);
  plan.ignored_results.assign(loaded->inventory.ignored.begin(), loaded->inventory.ignored.end());
  // Each error once: a layer's own were reported as it loaded.
  for (const Diagnostic& d : plan.compose_errors) {
    bool reported = false;
    for (const Result<DesiredState>& layer : loaded->layers.layers) {
      if (!layer.ok()) {
        const Diagnostics& own = layer.errors();
        reported = reported || std::find(own.begin(), own.end(), d) != own.end();
      }
    }
    if (!reported) Report({d}, io.err);
  }
  for (const MacPlan& m : plan.macs) {
    if (m.plan || m.errors.empty()) continue;
    bool composing = std::find(plan.compose_errors.begin(), plan.compose_errors.end(),
                               m.errors.front()) != plan.compose_errors.end();
    if (!composing) Report(m.errors, io.err);
  }
  FleetReport report = ReportOf(plan, opt.fleet);
  if (opt.shard.count > 1) report.shard = ShardOf{opt.shard.index, opt.shard.count};
  if (Status accepted = Accept(opt.baseline, report, io); !accepted.ok()) {
    return Failed(accepted, io.err, "; nothing was written");
  }
  io.out << RenderFleetReport(report, opt.format);
  // Over budget: the report is shown for review, nothing is written to ship.
  if (opt.max_deletions) {
    if (Status within = DeletionBudget(report, *opt.max_deletions); !within.ok()) {
      return Failed(within, io.err, opt.out_dir.empty() ? "" : "; nothing was written");
    }
  }
  if (!opt.out_dir.empty() && !WriteOutDir(opt.out_dir, plan, opt.fleet, io)) return kExitError;
  // No Mac at all to plan from the inventory is not one Mac's bad data.
  const bool nothing = loaded->inventory.macs.empty() && loaded->inventory_errors;
  return FleetExitCode(report, opt.gate, loaded->layer_errors || nothing, loaded->inventory_errors,
                       display.detailed_exitcode);
}

std::string RenderFleetReport(const FleetReport& report, FleetFormat format) {
  switch (format) {
    case FleetFormat::kMarkdown: return RenderFleetMarkdown(report);
    case FleetFormat::kJunit: return RenderFleetJunit(report);
    case FleetFormat::kText: return RenderFleetTable(report);
    case FleetFormat::kJson: return RenderFleetJson(report);
  }
  return "";
}

int ReportVerb(const ReportOptions& opt, Io& io) {
  if (opt.files.size() > 1 && !opt.merge) {
    io.err << "accord: error: several reports are merged only with --merge (the shards of one "
              "fleet's plan)\n";
    return kExitError;
  }
  Result<FleetFormat> format = ParseFleetFormat(opt.format);
  if (!format.ok()) return Failed(format.errors(), io.err);
  FleetGate gate;
  if (!opt.fail_on.empty()) {
    Result<FleetGate> parsed = ParseFailOn(opt.fail_on);
    if (!parsed.ok()) return Failed(parsed.errors(), io.err);
    gate = parsed.value();
  }
  std::vector<FleetReport> shards;
  Diagnostics errors;
  for (const std::string& file : opt.files) {
    Result<std::string> text = ReadInput(file, io, kMaxReportBytes);
    Result<FleetReport> read = text.ok()
                                   ? ReadFleetJson(text.value(), file == "-" ? kStdinName : file)
                                   : Result<FleetReport>(text.errors());
    if (!read.ok()) {
      errors.insert(errors.end(), read.errors().begin(), read.errors().end());
    } else {
      shards.push_back(std::move(read).value());
    }
  }
  if (!errors.empty()) return Failed(errors, io.err);
  Result<FleetReport> merged = MergeFleetReports(std::move(shards));
  if (!merged.ok()) return Failed(merged.errors(), io.err);
  FleetReport report = std::move(merged).value();
  if (Status accepted = Accept(opt.baseline, report, io); !accepted.ok()) {
    return Failed(accepted, io.err);
  }
  io.out << RenderFleetReport(report, format.value());
  if (opt.max_deletions) {
    if (Status within = DeletionBudget(report, *opt.max_deletions); !within.ok()) {
      return Failed(within, io.err);
    }
  }
  return FleetExitCode(report, gate, false, false, false);
}

int ComposeVerb(const ComposeOptions& opt, Io& io) {
  std::optional<Loaded> loaded = Load(opt.fleet, opt.inventory, io);
  if (!loaded) return kExitError;
  const InventoryMac* found = FindMac(loaded->inventory, opt.mac, opt.inventory, io);
  if (!found) return kExitError;
  const InventoryMac& mac = *found;
  Result<std::vector<std::size_t>> chosen = ChooseLayers(loaded->layers.fleet, mac.identity);
  Result<DesiredState> composed =
      chosen.ok() ? Compose(loaded->layers, chosen.value()) : Result<DesiredState>(chosen.errors());
  if (!composed.ok()) {
    return Failed(composed.errors(), io.err);
  }
  Report(composed.value().warnings, io.err);
  io.out << RenderDesiredYaml(
      BoundTo(std::move(composed).value(), mac.identity),
      Header(opt.fleet, mac.identity, LayerNames(loaded->layers.fleet, chosen.value())));
  return kExitOk;
}

}  // namespace accord
