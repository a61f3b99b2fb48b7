// SPDX-License-Identifier: Apache-2.0
// Every Mac's readiness to enroll, each reason on its own line.
#include "render/readiness_render.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/terminal_text.h"
#include "core/version.h"

namespace accord {
namespace {

using Json = nlohmann::ordered_json;

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

}  // namespace

std::string RenderReadinessText(const std::vector<MacReadiness>& macs) {
  std::size_t width = 0;
  for (const MacReadiness& m : macs) width = std::max(width, Label(m.mac->identity).size());
  std::string out;
  for (const MacReadiness& m : macs) {
    const std::string& label = Label(m.mac->identity);
    out += EscapeForTerminal(label) + std::string(width - label.size() + 2, ' ');
    if (!m.prediction) {
      out += "error: " +
             EscapeForTerminal(m.mac->errors.empty() ? "no device state"
                                                     : FormatDiagnostic(m.mac->errors.front())) +
             "\n";
      continue;
    }
    const Readiness& r = m.prediction->readiness;
    out += std::string(ToString(r.verdict)) + "\n";
    for (const ReadinessReason& reason : r.reasons) {
      out += "    - [" + EscapeForTerminal(reason.kind) + "] " + EscapeForTerminal(reason.message) +
             "\n";
      if (!reason.fix.empty()) out += "      fix: " + EscapeForTerminal(reason.fix) + "\n";
    }
  }
  return out;
}

std::string RenderReadinessJson(const std::vector<MacReadiness>& macs,
                                const std::string& enrollment_file,
                                const std::vector<std::string>& ignored_results) {
  Json list = Json::array();
  for (const MacReadiness& m : macs) {
    const MacIdentity& id = m.mac->identity;
    Json reasons = Json::array();
    if (m.prediction) {
      for (const ReadinessReason& r : m.prediction->readiness.reasons) {
        reasons.push_back({{"kind", r.kind},
                           {"event", OrNull(r.event)},
                           {"message", r.message},
                           {"fix", OrNull(r.fix)}});
      }
    }
    Json errors = Json::array();
    for (const Diagnostic& d : m.mac->errors) errors.push_back(FormatDiagnostic(d));
    list.push_back({{"hardware_uuid", id.hardware_uuid},
                    {"name", id.name ? Json(*id.name) : Json(nullptr)},
                    {"verdict", m.prediction ? Json(ToString(m.prediction->readiness.verdict))
                                             : Json(nullptr)},
                    {"reasons", reasons},
                    {"unknown", m.mac->unknown},
                    {"errors", errors}});
  }
  Json doc = {{"accord_enrollment_readiness", 1},
              {"version", AccordVersion()},
              {"enrollment_file", enrollment_file},
              {"macs", list},
              {"ignored_results", ignored_results}};
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace accord
