// SPDX-License-Identifier: Apache-2.0
// Plan file format (JSON) and input fingerprints.
#include "apply/plan_file.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/json_input.h"
#include "core/version.h"
#include "model/snapshot_codec.h"

namespace accord {
namespace {

using Json = nlohmann::ordered_json;

// 128 bits over length-prefixed parts: a 64-bit FNV-1a, and beside it an
// FNV-style hash with another offset and a shift folded in, so the halves
// differ. A fingerprint for "did the inputs change", not a defence against
// someone forging inputs.
std::string Hash128(const std::vector<std::string>& parts) {
  std::uint64_t a = 14695981039346656037ULL;
  std::uint64_t b = 0x84222325cbf29ce4ULL;
  auto feed = [&](unsigned char c) {
    a = (a ^ c) * 1099511628211ULL;
    b = (b ^ c) * 0x100000001b3ULL ^ (b >> 29);
  };
  for (const std::string& part : parts) {
    for (char c : std::to_string(part.size()) + ":") feed(static_cast<unsigned char>(c));
    for (char c : part) feed(static_cast<unsigned char>(c));
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return buf;
}

}  // namespace

std::string Fingerprint(const std::string& desired_text, const DeviceState& device) {
  return Hash128({"accord-plan-inputs-1", desired_text, SerializeSnapshot(device)});
}

std::string DesiredFingerprint(const std::string& desired_text) {
  return Hash128({"accord-desired-1", desired_text});
}

std::string RenderPlanFile(const PlanFile& f) {
  Json doc = {{"accord_plan_file", kPlanFileFormat}, {"version", AccordVersion()},
              {"desired_file", f.desired_file},      {"device_file", f.device_file},
              {"fingerprint", f.fingerprint},        {"plan", Json::parse(f.plan_json)}};
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
  for (const char* key : {"desired_file", "device_file", "fingerprint"}) {
    if (!str(key)) return SingleError(path, {}, key, "missing or not a string");
  }
  auto plan = doc.find("plan");
  if (plan == doc.end() || !plan->is_object()) {
    return SingleError(path, {}, "plan", "missing or not an object");
  }
  return PlanFile{str("desired_file")->get<std::string>(), str("device_file")->get<std::string>(),
                  str("fingerprint")->get<std::string>(), plan->dump(2) + "\n"};
}

bool SamePlanJson(const std::string& a, const std::string& b) {
  return Json::parse(a, nullptr, false) == Json::parse(b, nullptr, false);
}

}  // namespace accord
