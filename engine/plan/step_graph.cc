// SPDX-License-Identifier: Apache-2.0
// Step graph on Boost.Graph: edges, cycle detection, deterministic schedule.
#include "plan/step_graph.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <queue>
#include <set>

namespace accord {

struct StepGraph::Impl {
  using Graph = boost::adjacency_list<boost::setS, boost::vecS, boost::directedS>;
  using Vertex = Graph::vertex_descriptor;
  explicit Impl(std::size_t n) : graph(n) {}
  Graph graph;
};

namespace {

// Records the first back edge a depth-first search meets, and the tree
// path that leads to it, which together form a cycle.
class CycleFinder : public boost::default_dfs_visitor {
 public:
  using Graph = StepGraph::Impl::Graph;
  using Vertex = StepGraph::Impl::Vertex;
  CycleFinder(std::vector<Vertex>& parent, std::optional<std::vector<std::size_t>>& cycle)
      : parent_(parent), cycle_(cycle) {}

  void tree_edge(Graph::edge_descriptor e, const Graph& g) {
    parent_[boost::target(e, g)] = boost::source(e, g);
  }
  void back_edge(Graph::edge_descriptor e, const Graph& g) {
    if (cycle_) return;
    Vertex from = boost::source(e, g);
    Vertex to = boost::target(e, g);
    std::vector<std::size_t> path = {to};
    for (Vertex v = from; v != to; v = parent_[v]) path.push_back(v);
    path.push_back(to);
    // path runs backwards along the cycle: reverse it to read forwards.
    cycle_ = std::vector<std::size_t>(path.rbegin(), path.rend());
  }

 private:
  std::vector<Vertex>& parent_;
  std::optional<std::vector<std::size_t>>& cycle_;
};

}  // namespace

StepGraph::StepGraph(std::size_t steps) : impl_(std::make_unique<Impl>(steps)) {}
StepGraph::~StepGraph() = default;

void StepGraph::AddEdge(std::size_t before, std::size_t after, std::string reason) {
  if (before == after) return;
  if (boost::add_edge(before, after, impl_->graph).second) {
    edges_.push_back({before, after, std::move(reason)});
  }
}

std::optional<std::vector<std::size_t>> StepGraph::FindCycle() const {
  const auto& g = impl_->graph;
  std::vector<Impl::Vertex> parent(boost::num_vertices(g));
  std::optional<std::vector<std::size_t>> cycle;
  CycleFinder finder(parent, cycle);
  std::vector<boost::default_color_type> colors(boost::num_vertices(g));
  boost::depth_first_search(g, boost::visitor(finder).color_map(boost::make_iterator_property_map(
                                   colors.begin(), boost::get(boost::vertex_index, g))));
  return cycle;
}

StepGraph::Schedule StepGraph::Run(const std::vector<std::uint64_t>& keys,
                                   const std::function<Decision(std::size_t)>& decide) const {
  const auto& g = impl_->graph;
  const std::size_t n = boost::num_vertices(g);
  std::vector<std::size_t> indegree(n, 0);
  for (auto [e, end] = boost::edges(g); e != end; ++e) ++indegree[boost::target(*e, g)];

  auto later = [&](std::size_t a, std::size_t b) { return keys[a] > keys[b]; };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> ready(later);
  for (std::size_t v = 0; v < n; ++v) {
    if (indegree[v] == 0) ready.push(v);
  }
  Schedule out;
  std::vector<std::size_t> waiting;
  bool progress = true;
  while (progress) {
    progress = false;
    while (!ready.empty()) {
      std::size_t v = ready.top();
      ready.pop();
      switch (decide(v)) {
        case Decision::kRan:
          out.ran.push_back(v);
          progress = true;
          for (auto [a, end] = boost::adjacent_vertices(v, g); a != end; ++a) {
            if (--indegree[*a] == 0) ready.push(*a);
          }
          break;
        case Decision::kWait: waiting.push_back(v); break;
        case Decision::kStop: out.stopped.push_back(v); break;
      }
    }
    // Steps that were unsafe may be safe now that others ran: once more.
    if (progress) {
      for (std::size_t v : waiting) ready.push(v);
      waiting.clear();
    }
  }
  out.waiting = std::move(waiting);
  std::vector<bool> decided(n, false);
  for (const auto* list : {&out.ran, &out.stopped, &out.waiting}) {
    for (std::size_t v : *list) decided[v] = true;
  }
  for (std::size_t v = 0; v < n; ++v) {
    if (!decided[v]) out.unreached.push_back(v);
  }
  return out;
}

}  // namespace accord
