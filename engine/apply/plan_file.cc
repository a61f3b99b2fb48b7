// SPDX-License-Identifier: Apache-2.0
// Plan file format (JSON) and input fingerprints.
#include "apply/plan_file.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/json_input.h"
#include "core/sha256.h"
#include "core/version.h"
#include "model/snapshot_codec.h"

namespace accord {
namespace {

using Json = nlohmann::ordered_json;

}  // namespace

std::string DesiredFingerprint(const std::string& meaning) {
  return Sha256Hex("accord-desired-2\n" + meaning);
}

std::string DeviceFingerprint(const DeviceState& device) {
  return Sha256Hex("accord-device-2\n" + SerializeSnapshot(device));
}

std::string NameFromPlan(const std::string& input, const std::string& plan_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path absolute = fs::absolute(input, ec).lexically_normal();
  fs::path base = fs::absolute(plan_path, ec).parent_path().lexically_normal();
  if (ec) return input;
  fs::path relative = absolute.lexically_relative(base);
  return relative.empty() ? absolute.string() : relative.string();
}

std::string InputOfPlan(const std::string& stored, const std::string& plan_path) {
  namespace fs = std::filesystem;
  fs::path p(stored);
  if (p.is_absolute()) return stored;
  return (fs::path(plan_path).parent_path() / p).lexically_normal().string();
}

std::string RenderPlanFile(const PlanFile& f) {
  Json doc = {{"accord_plan_file", kPlanFileFormat},
              {"version", AccordVersion()},
              {"inputs_relative_to", "plan_file"},
              {"desired_file", f.desired_file},
              {"device_file", f.device_file},
              {"fingerprint", Sha256Hex(f.desired_fingerprint + f.device_fingerprint)},
              {"desired_fingerprint", f.desired_fingerprint},
              {"device_fingerprint", f.device_fingerprint},
              {"plan", Json::parse(f.plan_json)}};
  // Names observed on a Mac may not be valid UTF-8: replaced, never thrown on.
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<PlanFile> ParsePlanFile(const std::string& text, const std::string& path) {
  if (auto deep = JsonTooDeepAt(text)) return Diagnostics{JsonTooDeepError(*deep, text, path)};
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error& e) {
    Diagnostic d = JsonParseError(e.what(), e.byte, text, path);
    d.message = "not a plan file: " + d.message;
    return Diagnostics{d};
  } catch (const Json::exception& e) {  // a number out of range
    Diagnostic d = JsonParseError(e.what(), std::nullopt, text, path);
    d.message = "not a plan file: " + d.message;
    return Diagnostics{d};
  }
  auto str = [&](const char* key) -> const Json* {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? &*it : nullptr;
  };
  // Types are checked before values are read: nlohmann throws on a
  // mismatch (value("accord_plan_file", 0) of a string).
  auto format = doc.is_object() ? doc.find("accord_plan_file") : doc.end();
  if (!doc.is_object() || format == doc.end() || !format->is_number_integer() ||
      *format != kPlanFileFormat) {
    return SingleError(path, {}, "accord_plan_file",
                       "not an Accord plan file of format " + std::to_string(kPlanFileFormat) +
                           " (make one with `accord plan --out`)");
  }
  for (const char* key : {"desired_file", "device_file"}) {
    if (!str(key)) return SingleError(path, {}, key, "missing or not a string");
  }
  // Older plans fingerprinted bytes, and named their inputs from where
  // they were made: they cannot be checked against these inputs.
  for (const char* key : {"desired_fingerprint", "device_fingerprint", "inputs_relative_to"}) {
    if (!str(key)) {
      return SingleError(path, {}, key,
                         "missing: this plan was made by an older Accord; make a new plan");
    }
  }
  auto plan = doc.find("plan");
  if (plan == doc.end() || !plan->is_object()) {
    return SingleError(path, {}, "plan", "missing or not an object");
  }
  return PlanFile{str("desired_file")->get<std::string>(), str("device_file")->get<std::string>(),
                  str("desired_fingerprint")->get<std::string>(),
                  str("device_fingerprint")->get<std::string>(), plan->dump(2) + "\n"};
}

bool SamePlanJson(const std::string& a, const std::string& b) {
  // The same plan made from another directory names its inputs otherwise.
  auto steps = [](const std::string& text) {
    Json doc = Json::parse(text, nullptr, false);
    if (doc.is_object()) {
      doc.erase("desired_file");
      if (doc.contains("device") && doc["device"].is_object()) doc["device"].erase("source");
    }
    return doc;
  };
  return steps(a) == steps(b);
}

}  // namespace accord
