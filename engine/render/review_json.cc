// SPDX-License-Identifier: Apache-2.0
// Writing and reading reviews.
#include "render/review_json.h"

#include <array>

#include "core/json_reader.h"
#include "core/names.h"
#include "core/version.h"
#include "render/counts_json.h"

namespace accord {
namespace {

using Keys = std::span<const std::string_view>;

constexpr std::array<std::string_view, 6> kTop = {"accord_review", "version", "hardware_uuid",
                                                  "fleet_file",    "steps",   "$schema"};
constexpr std::array<std::string_view, 5> kStep = {"id", "action", "user", "erase_home", "sets"};
constexpr std::array<std::string_view, 2> kSet = {"name", "value"};
constexpr std::array<std::string_view, 1> kSecret = {"secret"};

class Reader {
 public:
  explicit Reader(const std::string& file) : f_(file) {}

  Result<Review> Read(const Json& doc) {
    Review r;
    if (!f_.Object(doc, "", Keys(kTop))) return f_.errors();
    if (!f_.Integer(doc, "", "accord_review", kReviewFormat, kReviewFormat, "the review format")) {
      f_.Error("accord_review", "not a review of format 1 (accord plan --fleet --out-dir)");
    }
    r.hardware_uuid = f_.String(doc, "", "hardware_uuid").value_or("");
    if (r.hardware_uuid.empty()) f_.Error("hardware_uuid", "missing: a review is for one Mac");
    r.fleet_file = f_.String(doc, "", "fleet_file").value_or("");
    if (const Json* steps = f_.Array(doc, "", "steps")) {
      for (std::size_t i = 0; i < steps->size(); ++i) {
        r.steps.push_back(Step((*steps)[i], "steps[" + std::to_string(i) + "]"));
      }
    }
    if (!f_.ok()) return f_.errors();
    return r;
  }

 private:
  Change Step(const Json& j, const std::string& at) {
    Change c;
    if (!f_.Object(j, at, Keys(kStep))) return c;
    std::string action = f_.String(j, at, "action").value_or("");
    bool known = false;
    for (Action a : kAllActions) {
      if (action == ToString(a)) {
        c.action = a;
        known = true;
      }
    }
    if (!known) f_.Error(JsonFields::Join(at, "action"), "no action " + Printable(action));
    c.user = f_.String(j, at, "user").value_or("");
    c.erase_home = f_.Bool(j, at, "erase_home").value_or(false);
    if (const Json* sets = f_.Array(j, at, "sets")) {
      for (std::size_t i = 0; i < sets->size(); ++i) {
        Set((*sets)[i], JsonFields::Join(at, "sets") + "[" + std::to_string(i) + "]", c);
      }
    }
    // The id is the step's own (Change::Id); a different one is a hand edit.
    std::string id = f_.String(j, at, "id").value_or("");
    if (known && id != c.Id()) {
      f_.Error(JsonFields::Join(at, "id"), "is " + Printable(id) + ", but the step is " + c.Id());
    }
    return c;
  }

  void Set(const Json& j, const std::string& at, Change& c) {
    if (!f_.Object(j, at, Keys(kSet))) return;
    std::string name = f_.String(j, at, "name").value_or("");
    Attribute attr;
    bool known = false;
    for (Attr a : kAllAttrs) {
      if (name == ToString(a)) {
        attr.name = a;
        known = true;
      }
    }
    if (!known) f_.Error(JsonFields::Join(at, "name"), "no attribute " + Printable(name));
    auto value = j.find("value");
    if (value == j.end()) {
      f_.Error(JsonFields::Join(at, "value"), "missing (null for unknown)");
    } else if (std::optional<AttrValue> v = Value(*value, JsonFields::Join(at, "value"))) {
      attr.after = *v;
    }
    c.attributes.push_back(std::move(attr));
  }

  // The inverse of ValueJson: null, a boolean, an integer, a string, or
  // {"secret": {"env" | "file" | "keychain": NAME}}.
  std::optional<AttrValue> Value(const Json& v, const std::string& at) {
    if (v.is_null()) return AttrValue();
    if (v.is_boolean()) return AttrValue(v.get<bool>());
    if (v.is_number_integer()) return AttrValue(v.get<std::int64_t>());
    if (v.is_string()) return AttrValue(v.get<std::string>());
    if (v.is_object() && f_.Object(v, at, Keys(kSecret))) {
      const Json& s = v["secret"];
      if (s.is_object() && s.size() == 1 && s.begin().value().is_string()) {
        for (auto source :
             {SecretRef::Source::kEnv, SecretRef::Source::kFile, SecretRef::Source::kKeychain}) {
          if (s.begin().key() == SourceKey(source)) {
            return AttrValue(SecretRef{source, s.begin().value().get<std::string>()});
          }
        }
      }
      f_.Error(JsonFields::Join(at, "secret"),
               "expected one of env, file or keychain naming a secret");
      return std::nullopt;
    }
    f_.Error(at, "expected null, a boolean, an integer, a string or a secret, got " + KindOf(v));
    return std::nullopt;
  }

  JsonFields f_;
};

}  // namespace

std::string RenderReviewJson(const Review& review) {
  using Ordered = nlohmann::ordered_json;
  // Names from the inventory may not be valid UTF-8: replaced, never thrown on.
  auto dump = [](const Ordered& j, int indent) {
    return j.dump(indent, ' ', false, Ordered::error_handler_t::replace);
  };
  // One step per line: a review travels inside an MDM's script, whose
  // size is limited (Fleet: 10,000 characters inline).
  std::string out = "{\n  \"accord_review\": " + std::to_string(kReviewFormat) +
                    ",\n  \"version\": " + dump(AccordVersion(), -1) +
                    ",\n  \"hardware_uuid\": " + dump(review.hardware_uuid, -1) +
                    ",\n  \"fleet_file\": " + dump(review.fleet_file, -1) + ",\n  \"steps\": [";
  for (std::size_t i = 0; i < review.steps.size(); ++i) {
    const Change& c = review.steps[i];
    Ordered sets = Ordered::array();
    for (const Attribute& a : c.attributes) {
      sets.push_back({{"name", ToString(a.name)}, {"value", ValueJson(a.after)}});
    }
    Ordered step = {{"id", c.Id()},
                    {"action", ToString(c.action)},
                    {"user", c.user.empty() ? Ordered(nullptr) : Ordered(c.user)},
                    {"erase_home", c.erase_home},
                    {"sets", sets}};
    out += (i ? ",\n    " : "\n    ") + dump(step, -1);
  }
  return out + (review.steps.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

Result<Review> ReadReviewJson(const std::string& text, const std::string& file) {
  Result<Json> doc = ParseStrictJson(text, file);
  if (!doc.ok()) return doc.errors();
  return Reader(file).Read(doc.value());
}

}  // namespace accord
