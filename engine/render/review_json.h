// SPDX-License-Identifier: Apache-2.0
// The review format (schemas/review.schema.json): one Mac's reviewed steps,
// written by `plan --fleet --out-dir` and read by `apply --reviewed`. Both
// directions live here, so what is written is what is read.
#pragma once

#include <string>

#include "core/result.h"
#include "model/review.h"

namespace accord {

// Deterministic: fixed key order, two-space indent, trailing newline.
// Secrets appear only as their references.
std::string RenderReviewJson(const Review& review);

// Every field checked; errors are named by their key path (steps[2].action).
Result<Review> ReadReviewJson(const std::string& text, const std::string& file);

}  // namespace accord
