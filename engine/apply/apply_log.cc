// SPDX-License-Identifier: Apache-2.0
// The apply record as JSON.
#include "apply/apply_log.h"

#include <nlohmann/json.hpp>

#include "core/version.h"
#include "model/rules.h"
#include "model/snapshot_codec.h"

namespace accord {

namespace {

using Json = nlohmann::ordered_json;

// A state in the snapshot format (model/snapshot_codec), or null.
Json Snapshot(const std::optional<DeviceState>& state) {
  return state ? Json::parse(SerializeSnapshot(*state)) : Json(nullptr);
}

}  // namespace

std::string RenderApplyLog(const ApplyLogEntry& e, const Plan& plan) {
  Json steps = Json::array();
  for (const Change& c : plan.changes) {
    Json step = {{"id", c.Id()}, {"outcome", ToString(c.outcome)}};
    const StepRecord* ran = nullptr;
    if (e.report) {
      for (const StepRecord& r : e.report->steps) {
        if (r.id == c.Id()) ran = &r;
      }
    }
    step["result"] = ran ? ran->result : "not_run";
    step["detail"] = ran ? ran->detail : c.Why();
    if (c.rule) step["rule"] = RuleId(*c.rule);
    steps.push_back(std::move(step));
  }
  Json doc = {{"accord_apply", kApplyLogFormat},
              {"version", AccordVersion()},
              {"time", e.time},
              {"mac", e.mac},
              {"desired_file", e.desired_file},
              {"desired_fingerprint", e.desired_fingerprint},
              {"result", e.result},
              {"steps", steps},
              {"error", e.report && !e.report->ok() ? Json(e.report->error) : Json(nullptr)},
              {"unlock_check", e.unlock_check ? Json{{"user", e.unlock_check->user},
                                                     {"verified", e.unlock_check->verified},
                                                     {"detail", e.unlock_check->detail}}
                                              : Json(nullptr)},
              {"warnings", e.warnings},
              {"before_steps", e.before_steps},
              {"before", Snapshot(e.before)},
              {"after", Snapshot(e.after)}};
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace accord
