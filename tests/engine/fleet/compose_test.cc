// SPDX-License-Identifier: Apache-2.0
// Compose: a property test over generated layer stacks (the composed file
// validates, loads back to the same state, the last layer to set each
// attribute wins, and provenance names that layer), and the errors that
// order cannot resolve: peers that disagree, ranges that overlap across
// layers, a selector that cannot tell.
#include "fleet/compose.h"

#include <random>

#include "load/desired_loader.h"
#include "load/fleet_loader.h"
#include "load/yaml_loader.h"
#include "render/desired_yaml.h"
#include "support/catch.h"

namespace accord {
namespace {

// Layers from text, each at its own position unless `peers` says otherwise.
FleetLayers Layers(const std::vector<std::string>& texts,
                   const std::vector<std::size_t>& positions = {}) {
  FleetLayers out;
  out.fleet.file = "fleet.yaml";
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::string file = "L" + std::to_string(i) + ".yaml";
    FleetLayer layer{"L" + std::to_string(i), file, positions.empty() ? i : positions[i],
                     SourcePos{static_cast<int>(i) + 3, 5}, Selector{true, {}, {}, {}, {}}};
    out.fleet.layers.push_back(layer);
    Result<DesiredState> parsed = [&]() -> Result<DesiredState> {
      ParsedDesiredState p = ParseDesiredStateYaml(texts[i], file);
      if (!p.errors.empty()) return p.errors;
      return std::move(p.state);
    }();
    REQUIRE(parsed.ok());
    out.layers.push_back(std::move(parsed));
  }
  return out;
}

std::vector<std::size_t> All(const FleetLayers& l) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < l.layers.size(); ++i) out.push_back(i);
  return out;
}

std::string Messages(const Diagnostics& d) {
  std::string out;
  for (const Diagnostic& x : d) out += FormatDiagnostic(x) + "\n";
  return out;
}

// What a generated layer says of one user's attribute: its YAML value and
// the line it is on.
struct Said {
  std::string value;
  std::size_t layer;
  int line;
};

}  // namespace

TEST_CASE("composed stacks validate, the last layer wins, and provenance names it",
          "[fleet][property]") {
  const std::vector<std::string> users = {"alice", "bob", "carol"};
  const std::vector<std::pair<std::string, std::vector<std::string>>> attributes = {
      {"full_name", {"\"A\"", "\"B\"", "\"C\""}},
      {"shell", {"/bin/zsh", "/bin/bash"}},
      {"hidden", {"true", "false"}},
      {"role", {"admin", "standard"}},
  };
  std::mt19937 rng(20261128);
  for (int round = 0; round < 300; ++round) {
    INFO("round " << round);
    std::size_t layer_count = 1 + rng() % 5;
    std::vector<std::string> texts;
    // The expected value of each users.<u>.<attr> and of min_token_admins.
    std::map<std::string, Said> expected;
    for (std::size_t l = 0; l < layer_count; ++l) {
      std::string text = "accord: 1\n";
      int line = 1;
      if (rng() % 3 == 0) {
        std::string v = std::to_string(1 + rng() % 3);
        text += "policy:\n  min_token_admins: " + v + "\n";
        line += 2;
        expected["policy.min_token_admins"] = {v, l, line};
      }
      text += "users:\n";
      ++line;
      for (const std::string& u : users) {
        if (rng() % 2) continue;
        text += "  " + u + ":\n";
        ++line;
        auto forget = [&] {
          for (auto it = expected.begin(); it != expected.end();) {
            it = it->first.rfind("users." + u + ".", 0) == 0 ? expected.erase(it) : std::next(it);
          }
        };
        // A layer that names a user an earlier one removed brings it back,
        // with only what it says.
        if (expected.count("users." + u + ".ensure")) forget();
        if (rng() % 7 == 0) {
          text += "    ensure: absent\n";
          ++line;
          forget();
          expected["users." + u + ".ensure"] = {"absent", l, line};
          continue;
        }
        for (const auto& [key, values] : attributes) {
          if (rng() % 2) continue;
          std::string v = values[rng() % values.size()];
          text += "    " + key + ": " + v + "\n";
          ++line;
          expected["users." + u + "." + key] = {v, l, line};
        }
      }
      texts.push_back(text);
    }
    FleetLayers layers = Layers(texts);
    Result<DesiredState> composed = Compose(layers, All(layers));
    INFO(texts.size() << " layers; " << (composed.ok() ? "" : Messages(composed.errors())));
    REQUIRE(composed.ok());
    const DesiredState& d = composed.value();
    for (const auto& [path, said] : expected) {
      INFO(path);
      CHECK(d.source.Origin(path) ==
            "L" + std::to_string(said.layer) + ".yaml:" + std::to_string(said.line));
    }
    for (const DesiredUser& u : d.users) {
      auto at = [&](const std::string& key) {
        return expected.find("users." + u.name + "." + key);
      };
      if (auto e = at("full_name"); e != expected.end()) {
        CHECK("\"" + u.full_name.value_or("?") + "\"" == e->second.value);
      } else {
        CHECK_FALSE(u.full_name);
      }
      if (auto e = at("shell"); e != expected.end()) CHECK(u.shell == e->second.value);
      if (auto e = at("hidden"); e != expected.end()) {
        CHECK(u.hidden == (e->second.value == "true"));
      }
      if (auto e = at("role"); e != expected.end()) {
        CHECK(u.role == (e->second.value == "admin" ? Role::kAdmin : Role::kStandard));
      }
      CHECK((u.ensure == Ensure::kAbsent) == (at("ensure") != expected.end()));
    }
    if (auto e = expected.find("policy.min_token_admins"); e != expected.end()) {
      CHECK(std::to_string(d.policy.min_token_admins) == e->second.value);
    }
    // The file compose prints loads, validates, and is the same state.
    std::string yaml = RenderDesiredYaml(d, {"generated"});
    Result<DesiredState> back = LoadDesiredState(yaml, "composed.yaml");
    INFO(yaml);
    REQUIRE(back.ok());
    CHECK(back.value().users == d.users);
    CHECK(back.value().policy == d.policy);
  }
}

TEST_CASE("peers that set one attribute differently conflict, naming both places",
          "[fleet][errors]") {
  FleetLayers layers = Layers({"accord: 1\nusers:\n  alice:\n    shell: /bin/zsh\n",
                               "accord: 1\nusers:\n  alice:\n    shell: /bin/bash\n"},
                              {0, 0});
  Result<DesiredState> composed = Compose(layers, All(layers));
  REQUIRE_FALSE(composed.ok());
  CHECK(Messages(composed.errors()) ==
        "L1.yaml:4:5: error: users.alice.shell: layers 'L0' and 'L1' share a position and both "
        "choose this Mac, but set users.alice.shell differently (L0.yaml:4 and L1.yaml:4); order "
        "them, or make them agree\n");
  // Agreeing peers, and the same two layers in order, compose.
  CHECK(Compose(Layers({"accord: 1\nusers:\n  alice: {shell: /bin/zsh}\n",
                        "accord: 1\nusers:\n  alice: {shell: /bin/zsh, hidden: true}\n"},
                       {0, 0}),
                {0, 1})
            .ok());
  CHECK(Compose(Layers({"accord: 1\nusers:\n  alice:\n    shell: /bin/zsh\n",
                        "accord: 1\nusers:\n  alice:\n    shell: /bin/bash\n"}),
                {0, 1})
            .value()
            .users.front()
            .shell == "/bin/bash");
}

TEST_CASE("UID ranges of two layers that overlap are an error at both", "[fleet][errors]") {
  FleetLayers layers = Layers({"accord: 1\nuid_ranges:\n  people: {first: 501, last: 700}\n",
                               "accord: 1\nuid_ranges:\n  lab: {first: 650, last: 800}\n"});
  Result<DesiredState> composed = Compose(layers, All(layers));
  REQUIRE_FALSE(composed.ok());
  CHECK(Messages(composed.errors()) ==
        "L1.yaml:3:3: error: uid_ranges.lab: uid range lab (650-800) overlaps range people "
        "(501-700) of another layer, at L0.yaml:3\n");
  // A later layer may redefine a range of the same name: that is an override.
  CHECK(Compose(Layers({"accord: 1\nuid_ranges:\n  people: {first: 501, last: 700}\n",
                        "accord: 1\nuid_ranges:\n  people: {first: 600, last: 800}\n"}),
                {0, 1})
            .ok());
}

TEST_CASE("a rule broken only by the composition is named in the layer that broke it",
          "[fleet][errors]") {
  FleetLayers layers = Layers({"accord: 1\nuid_ranges:\n  people: {first: 501, last: 600}\n",
                               "accord: 1\nusers:\n  alice:\n    uid_range: staff\n"});
  Result<DesiredState> composed = Compose(layers, All(layers));
  REQUIRE_FALSE(composed.ok());
  CHECK(Messages(composed.errors()).rfind("L1.yaml:4:", 0) == 0);
}

TEST_CASE("selectors: every list given must match, an unknown name cannot tell", "[fleet]") {
  Result<Fleet> fleet = ParseFleet(R"(accord_fleet: 1
layers:
  - {file: base.yaml, select: all}
  - {name: lab, file: lab.yaml, select: {names: ["lab-*"], labels: [teaching]}}
  - {file: one.yaml, select: {serials: [c02abc]}}
)",
                                   "dir/fleet.yaml");
  REQUIRE(fleet.ok());
  CHECK(fleet.value().layers[0].file == "dir/base.yaml");
  CHECK(fleet.value().layers[2].name == "one");
  MacIdentity mac{"4740D59F-699E-5B29-960B-979AAF9BBEEB", "lab-07", "C02ABC", {"teaching"}};
  CHECK(ChooseLayers(fleet.value(), mac).value() == std::vector<std::size_t>{0, 1, 2});
  mac.labels.clear();
  CHECK(ChooseLayers(fleet.value(), mac).value() == std::vector<std::size_t>{0, 2});
  mac.labels = {"teaching"};
  mac.name.reset();
  Result<std::vector<std::size_t>> unknown = ChooseLayers(fleet.value(), mac);
  REQUIRE_FALSE(unknown.ok());
  CHECK(Messages(unknown.errors()) ==
        "dir/fleet.yaml:4:5: error: cannot tell whether layer 'lab' (names lab-* and labels "
        "teaching) is for Mac 4740D59F-699E-5B29-960B-979AAF9BBEEB: the inventory does not give "
        "its name or serial\n");
}

TEST_CASE("fleet files: each structural error at its place", "[fleet][errors]") {
  auto errors = [](const std::string& yaml) {
    Result<Fleet> f = ParseFleet(yaml, "f.yaml");
    return f.ok() ? std::string() : Messages(f.errors());
  };
  CHECK(errors("accord_fleet: 1\nlayers:\n  - {file: a.yaml, select: {label: [x]}}\n") ==
        "f.yaml:3:29: error: layers[0].select: unknown key 'label'; did you mean 'labels'?\n");
  CHECK(errors("accord_fleet: 1\nlayers:\n  - {file: a.yaml}\n") ==
        "f.yaml:3:5: error: layers[0]: a layer needs 'select': all, or {names, serials, "
        "hardware_uuids, labels}\n");
  CHECK(errors("accord_fleet: 2\nlayers: []\n") ==
        "f.yaml:1:15: error: accord_fleet: unsupported fleet format 2; this Accord reads version "
        "1\nf.yaml:2:9: error: layers: expected a non-empty list of layers, got a sequence\n");
  CHECK(errors("accord_fleet: 1\nlayers:\n  - {file: a.yaml, select: every}\n") ==
        "f.yaml:3:28: error: layers[0].select: a selector is 'all' or a mapping of names, "
        "serials, hardware_uuids, labels; got 'every'\n");
  CHECK(errors("accord_fleet: 1\nlayers:\n  - {file: a.yaml, select: all}\n"
               "  - {file: b/a.yaml, select: all}\n") ==
        "f.yaml:4:5: error: layers[1]: a second layer named 'a' (the first is at line 3); give "
        "each layer its own name\n");
}

}  // namespace accord
