// SPDX-License-Identifier: Apache-2.0
// Render stage, text: a plan as an admin reads it, in the manner of
// Terraform (+ create, ~ change, - delete, old → new, a summary line).
#pragma once

#include <string>

#include "model/plan.h"
#include "model/prediction.h"

namespace accord {

struct TextStyle {
  bool color = false;    // ANSI colours; the CLI sets this only for a terminal
  bool explain = false;  // also print why each step comes after others
};

std::string RenderPlanText(const Plan& plan, const TextStyle& style);
std::string RenderPredictionText(const Prediction& prediction, const TextStyle& style);

// "create user alice", "grant a SecureToken to bob": a step in words.
std::string StepTitle(const Change& change);

// "(secret from env X)", "\"text\"", "502", "true", "(unknown)".
std::string FormatValue(const AttrValue& value);

}  // namespace accord
