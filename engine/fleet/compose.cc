// SPDX-License-Identifier: Apache-2.0
// Layer composition with provenance and conflict detection.
#include "fleet/compose.h"

#include <algorithm>
#include <map>
#include <type_traits>

#include "core/names.h"
#include "core/text_file.h"
#include "load/validate.h"
#include "load/yaml_loader.h"
#include "model/user_fields.h"

namespace accord {
namespace {

// A value as text, to tell whether two layers say the same thing.
std::string Repr(const std::string& s) { return "\"" + s + "\""; }
std::string Repr(std::int64_t v) { return std::to_string(v); }
std::string Repr(int v) { return std::to_string(v); }
std::string Repr(bool b) { return b ? "true" : "false"; }
std::string Repr(const SecretRef& s) { return Describe(s); }
template <typename E>
requires std::is_enum_v<E> std::string Repr(E e) { return std::to_string(static_cast<int>(e)); }
template <typename T>
std::string Repr(const std::optional<T>& v) {
  return v ? Repr(*v) : "unset";
}

// One attribute of a section (a user, the authority, FileVault, the
// policy): its key path below the section, how to copy it, how to print it.
template <typename Section>
struct Field {
  const char* key;
  void (*copy)(Section& to, const Section& from);
  std::string (*repr)(const Section& s);
};

template <typename Section, auto Member>
Field<Section> F(const char* key) {
  return {key, [](Section& to, const Section& from) { to.*Member = from.*Member; },
          [](const Section& s) { return Repr(s.*Member); }};
}

// The user's fields are model/user_fields.h's list (its keys are string
// literals, so `key` outlives the table).
const std::vector<Field<DesiredUser>>& UserFields() {
  static const std::vector<Field<DesiredUser>> fields = [] {
    std::vector<Field<DesiredUser>> out;
    ForEachUserField([&](std::string_view key, auto field) {
      out.push_back(F<DesiredUser, decltype(field)::member>(key.data()));
    });
    return out;
  }();
  return fields;
}

const std::vector<Field<Authority>>& AuthorityFields() {
  static const std::vector<Field<Authority>> fields = {
      F<Authority, &Authority::user>("user"), F<Authority, &Authority::password>("password")};
  return fields;
}

const std::vector<Field<FileVaultSpec>>& FileVaultFields() {
  using V = FileVaultSpec;
  static const std::vector<Field<V>> fields = {
      F<V, &V::enabled>("enabled"),
      F<V, &V::enabled_by>("enabled_by"),
      F<V, &V::allow_decrypt>("allow_decrypt"),
      F<V, &V::personal_recovery_key>("recovery_key.personal"),
      F<V, &V::escrow>("recovery_key.escrow"),
  };
  return fields;
}

const std::vector<Field<Policy>>& PolicyFields() {
  static const std::vector<Field<Policy>> fields = {
      F<Policy, &Policy::unmanaged_users>("unmanaged_users"),
      F<Policy, &Policy::min_token_admins>("min_token_admins")};
  return fields;
}

std::string RangeRepr(const UidRange& r) {
  return std::to_string(r.first) + "-" + std::to_string(r.last);
}

// Every attribute a layer sets, by key path, as text: what peers compare.
std::map<std::string, std::string> Assignments(const DesiredState& s) {
  std::map<std::string, std::string> out;
  auto section = [&](const std::string& base, const auto& value, const auto& fields) {
    for (const auto& f : fields) {
      std::string path = base + "." + f.key;
      if (s.source.Has(path)) out[path] = f.repr(value);
    }
  };
  if (s.source.Has("device")) out["device"] = Repr(s.device);
  for (const UidRange& r : s.uid_ranges) out["uid_ranges." + r.name] = RangeRepr(r);
  if (s.authority) section("authority", *s.authority, AuthorityFields());
  for (const DesiredUser& u : s.users) {
    out["users." + u.name] = "";
    section("users." + u.name, u, UserFields());
  }
  if (s.filevault) section("filevault", *s.filevault, FileVaultFields());
  section("policy", s.policy, PolicyFields());
  return out;
}

class Composer {
 public:
  explicit Composer(const FleetLayers& layers) : layers_(layers) { out_.file = layers.fleet.file; }

  Result<DesiredState> Run(const std::vector<std::size_t>& chosen) {
    for (std::size_t i : chosen) {
      const Result<DesiredState>& layer = layers_.layers[i];
      if (!layer.ok()) {
        const FleetLayer& meta = layers_.fleet.layers[i];
        // The layer's own errors go with it, so that every report of
        // the Macs it stops (Markdown, JUnit, JSON) carries the cause.
        const Diagnostic& first = layer.errors().front();
        std::string at = first.file;
        if (first.pos.line > 0) {
          at += ":" + std::to_string(first.pos.line) + ":" + std::to_string(first.pos.column);
        }
        errors_.push_back({Severity::kError, layers_.fleet.file, meta.declared, "",
                           "layer " + Printable(meta.name) + " does not load: " + at + ": " +
                               (first.key_path.empty() ? "" : first.key_path + ": ") +
                               first.message});
        errors_.insert(errors_.end(), layer.errors().begin() + 1, layer.errors().end());
      }
    }
    if (!errors_.empty()) return errors_;
    CheckPeers(chosen);
    if (!errors_.empty()) return errors_;
    for (std::size_t i : chosen) Apply(layers_.layers[i].value());
    CheckRangeOverlaps();
    if (!errors_.empty()) return errors_;
    Diagnostics found = ValidateDesiredState(out_);
    if (HasErrors(found)) return found;
    out_.warnings = std::move(found);
    return std::move(out_);
  }

 private:
  void Error(const DesiredState& layer, const std::string& path, std::string message) {
    errors_.push_back(
        {Severity::kError, layer.file, layer.source.Key(path), path, std::move(message)});
  }

  std::string Place(const DesiredState& layer, const std::string& path) const {
    return layer.file + ":" + std::to_string(layer.source.Key(path).line);
  }

  // Peers (layers at one position) must agree wherever both speak.
  void CheckPeers(const std::vector<std::size_t>& chosen) {
    for (std::size_t a = 0; a < chosen.size(); ++a) {
      for (std::size_t b = a + 1; b < chosen.size(); ++b) {
        const FleetLayer& la = layers_.fleet.layers[chosen[a]];
        const FleetLayer& lb = layers_.fleet.layers[chosen[b]];
        if (la.position != lb.position) continue;
        Conflicts(layers_.layers[chosen[a]].value(), la, layers_.layers[chosen[b]].value(), lb);
      }
    }
  }

  void Conflicts(const DesiredState& a, const FleetLayer& la, const DesiredState& b,
                 const FleetLayer& lb) {
    std::map<std::string, std::string> sa = Assignments(a);
    std::map<std::string, std::string> sb = Assignments(b);
    auto absent = [](const std::map<std::string, std::string>& s, const std::string& user) {
      auto it = s.find("users." + user + ".ensure");
      return it != s.end() && it->second == Repr(Ensure::kAbsent);
    };
    for (const auto& [path, value] : sa) {
      auto other = sb.find(path);
      if (other == sb.end()) continue;
      bool user_entry = value.empty();
      std::string user = user_entry ? path.substr(6) : "";
      if (user_entry ? absent(sa, user) != absent(sb, user) : value != other->second) {
        Error(b, path,
              "layers " + Printable(la.name) + " and " + Printable(lb.name) +
                  " share a position and both choose this Mac, but set " + path + " differently (" +
                  Place(a, path) + " and " + Place(b, path) + "); order them, or make them agree");
      }
    }
  }

  template <typename Section, typename Fields>
  void Merge(Section& to, const Section& from, const DesiredState& layer, const std::string& base,
             const Fields& fields) {
    for (const auto& f : fields) {
      if (layer.source.Has(base + "." + f.key)) f.copy(to, from);
    }
    out_.source.CopyFrom(layer.source, base, layer.file);
  }

  void Apply(const DesiredState& layer) {
    if (layer.source.Has("device")) {
      out_.device = layer.device;
      out_.source.CopyFrom(layer.source, "device", layer.file);
    }
    for (const UidRange& r : layer.uid_ranges) {
      auto it = std::find_if(out_.uid_ranges.begin(), out_.uid_ranges.end(),
                             [&](const UidRange& o) { return o.name == r.name; });
      if (it == out_.uid_ranges.end()) {
        out_.uid_ranges.push_back(r);
      } else {
        *it = r;
      }
      out_.source.Remove("uid_ranges." + r.name);
      out_.source.CopyFrom(layer.source, "uid_ranges." + r.name, layer.file);
    }
    if (layer.authority) {
      if (!out_.authority) out_.authority = Authority{};
      Merge(*out_.authority, *layer.authority, layer, "authority", AuthorityFields());
    }
    for (const DesiredUser& u : layer.users) User(layer, u);
    if (layer.filevault) {
      if (!out_.filevault) out_.filevault = FileVaultSpec{};
      Merge(*out_.filevault, *layer.filevault, layer, "filevault", FileVaultFields());
    }
    Merge(out_.policy, layer.policy, layer, "policy", PolicyFields());
  }

  void User(const DesiredState& layer, const DesiredUser& u) {
    const std::string path = "users." + u.name;
    auto it = std::find_if(out_.users.begin(), out_.users.end(),
                           [&](const DesiredUser& o) { return o.name == u.name; });
    if (it == out_.users.end()) {
      out_.users.push_back(DesiredUser{});
      it = std::prev(out_.users.end());
      it->name = u.name;
    }
    // `ensure: absent` is the end of everything earlier layers said of u;
    // a later layer that names u again (present, as every layer's users are
    // unless it says otherwise) starts it afresh.
    bool says_absent = layer.source.Has(path + ".ensure") && u.ensure == Ensure::kAbsent;
    if (says_absent || it->ensure == Ensure::kAbsent) {
      *it = DesiredUser{};
      it->name = u.name;
      out_.source.Remove(path);
    }
    Merge(*it, u, layer, path, UserFields());
  }

  // Validation finds overlapping ranges too, but names one place; ranges
  // from two layers are named at both.
  void CheckRangeOverlaps() {
    const auto& ranges = out_.uid_ranges;
    for (std::size_t a = 0; a < ranges.size(); ++a) {
      for (std::size_t b = a + 1; b < ranges.size(); ++b) {
        const UidRange& ra = ranges[a];
        const UidRange& rb = ranges[b];
        std::string pa = "uid_ranges." + ra.name;
        std::string pb = "uid_ranges." + rb.name;
        const std::string& fa = out_.source.File(pa, out_.file);
        const std::string& fb = out_.source.File(pb, out_.file);
        if (fa == fb || ra.first > rb.last || rb.first > ra.last) continue;
        errors_.push_back({Severity::kError, fb, out_.source.Key(pb), pb,
                           "uid range " + rb.name + " (" + RangeRepr(rb) + ") overlaps range " +
                               ra.name + " (" + RangeRepr(ra) + ") of another layer, at " + fa +
                               ":" + std::to_string(out_.source.Key(pa).line)});
      }
    }
  }

  const FleetLayers& layers_;
  DesiredState out_;
  Diagnostics errors_;
};

}  // namespace

FleetLayers ReadLayers(Fleet fleet) {
  FleetLayers out;
  for (const FleetLayer& layer : fleet.layers) {
    Result<std::string> text = ReadTextFile(layer.file);
    if (!text.ok()) {
      out.layers.push_back(text.errors());
      continue;
    }
    ParsedDesiredState parsed = ParseDesiredStateYaml(text.value(), layer.file);
    if (!parsed.errors.empty()) {
      out.layers.push_back(std::move(parsed.errors));
    } else {
      out.layers.emplace_back(std::move(parsed.state));
    }
  }
  out.fleet = std::move(fleet);
  return out;
}

Result<std::vector<std::size_t>> ChooseLayers(const Fleet& fleet, const MacIdentity& mac) {
  std::vector<std::size_t> chosen;
  Diagnostics errors;
  for (std::size_t i = 0; i < fleet.layers.size(); ++i) {
    const FleetLayer& layer = fleet.layers[i];
    std::optional<bool> selects = Selects(layer.select, mac);
    if (!selects) {
      errors.push_back({Severity::kError, fleet.file, layer.declared, "",
                        "cannot tell whether layer " + Printable(layer.name) + " (" +
                            Describe(layer.select) + ") is for Mac " + mac.hardware_uuid +
                            ": the inventory does not give its name or serial"});
    } else if (*selects) {
      chosen.push_back(i);
    }
  }
  if (!errors.empty()) return errors;
  return chosen;
}

std::vector<std::string> LayerNames(const Fleet& fleet, const std::vector<std::size_t>& chosen) {
  std::vector<std::string> names;
  for (std::size_t i : chosen) names.push_back(fleet.layers[i].name);
  return names;
}

Result<DesiredState> Compose(const FleetLayers& layers, const std::vector<std::size_t>& chosen) {
  return Composer(layers).Run(chosen);
}

DesiredState BoundTo(DesiredState desired, const MacIdentity& mac) {
  desired.device = mac.hardware_uuid;
  desired.source.Add("device", {}, {});
  return desired;
}

}  // namespace accord
