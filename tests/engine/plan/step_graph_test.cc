// SPDX-License-Identifier: Apache-2.0
// The step graph: deterministic schedules, waiting steps, cycles.
#include "plan/step_graph.h"

#include "support/catch.h"

namespace accord {

TEST_CASE("ready steps run in key order, after their dependencies", "[graph]") {
  StepGraph g(4);
  g.AddEdge(2, 0, "two first");
  std::vector<std::uint64_t> keys = {10, 20, 30, 40};
  StepGraph::Schedule s = g.Run(keys, [](std::size_t) { return StepGraph::Decision::kRan; });
  CHECK(s.ran == std::vector<std::size_t>{1, 2, 0, 3});
}

TEST_CASE("a waiting step is retried after others ran, a stopped one blocks its dependents",
          "[graph]") {
  StepGraph g(4);
  g.AddEdge(2, 3, "needs two");
  std::vector<std::uint64_t> keys = {10, 20, 30, 40};
  bool b_ran = false;
  StepGraph::Schedule s = g.Run(keys, [&](std::size_t i) {
    if (i == 0 && !b_ran) return StepGraph::Decision::kWait;  // safe only after b
    if (i == 1) b_ran = true;
    if (i == 2) return StepGraph::Decision::kStop;
    return StepGraph::Decision::kRan;
  });
  CHECK(s.ran == std::vector<std::size_t>{1, 0});
  CHECK(s.stopped == std::vector<std::size_t>{2});
  CHECK(s.unreached == std::vector<std::size_t>{3});
  CHECK(s.waiting.empty());
}

TEST_CASE("a step that never becomes safe is left waiting", "[graph]") {
  StepGraph g(2);
  StepGraph::Schedule s = g.Run({10, 20}, [](std::size_t i) {
    return i == 0 ? StepGraph::Decision::kWait : StepGraph::Decision::kRan;
  });
  CHECK(s.ran == std::vector<std::size_t>{1});
  CHECK(s.waiting == std::vector<std::size_t>{0});
}

TEST_CASE("a cycle is found and named along its edges", "[graph]") {
  StepGraph g(3);
  g.AddEdge(0, 1, "");
  g.AddEdge(1, 2, "");
  CHECK_FALSE(g.FindCycle().has_value());
  g.AddEdge(2, 0, "");
  auto cycle = g.FindCycle();
  REQUIRE(cycle.has_value());
  CHECK(*cycle == std::vector<std::size_t>{0, 1, 2, 0});
}

TEST_CASE("edges keep their first reason and ignore self-loops", "[graph]") {
  StepGraph g(2);
  g.AddEdge(0, 1, "first");
  g.AddEdge(0, 1, "second");
  g.AddEdge(1, 1, "self");
  REQUIRE(g.edges().size() == 1);
  CHECK(g.edges()[0].reason == "first");
}

}  // namespace accord
