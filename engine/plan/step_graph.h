// SPDX-License-Identifier: Apache-2.0
// StepGraph: the dependency graph of a plan's steps. This is the only file
// that includes Boost.Graph; the rest of Accord sees step indices, edges
// with reasons, and orders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace accord {

class StepGraph {
 public:
  struct Edge {
    std::size_t before;
    std::size_t after;
    std::string reason;
  };

  // What the scheduler's caller decided about a ready step.
  enum class Decision {
    kRan,   // done: its dependents may now run
    kWait,  // not safe yet: try again once other steps have run
    kStop,  // will never run: its dependents never become ready
  };

  struct Schedule {
    std::vector<std::size_t> ran;        // in the order they ran
    std::vector<std::size_t> stopped;    // decided kStop
    std::vector<std::size_t> waiting;    // still kWait when nothing else could run
    std::vector<std::size_t> unreached;  // behind a stopped or waiting step
  };

  struct Impl;  // the Boost graph, defined in step_graph.cc only

  explicit StepGraph(std::size_t steps);
  ~StepGraph();
  StepGraph(const StepGraph&) = delete;
  StepGraph& operator=(const StepGraph&) = delete;

  // Idempotent: a second edge between the same steps keeps the first reason.
  void AddEdge(std::size_t before, std::size_t after, std::string reason);
  const std::vector<Edge>& edges() const { return edges_; }

  // A cycle as the steps along it (first == last), or nullopt for a DAG.
  std::optional<std::vector<std::size_t>> FindCycle() const;

  // Runs a deterministic topological schedule: among ready steps the one
  // with the smallest key goes first. `decide` is called once per ready
  // step, and again for waiting steps after others ran, until no step makes
  // progress. Requires a DAG.
  Schedule Run(const std::vector<std::uint64_t>& keys,
               const std::function<Decision(std::size_t)>& decide) const;

 private:
  std::unique_ptr<Impl> impl_;
  std::vector<Edge> edges_;
};

}  // namespace accord
