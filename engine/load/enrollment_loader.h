// SPDX-License-Identifier: Apache-2.0
// Enrollment file (format 1) → Enrollment, every error with
// file:line:column: unknown keys, non-POSIX names, a service account that
// is not a hidden role account or collides with a bound user.
#pragma once

#include <string>

#include "core/result.h"
#include "model/enrollment.h"

namespace accord {

Result<Enrollment> ParseEnrollment(const std::string& text, const std::string& file);
Result<Enrollment> LoadEnrollmentFile(const std::string& path);

// Does this YAML text start an enrollment file (a line "accord_enrollment:")?
bool LooksLikeEnrollmentFile(const std::string& text);

}  // namespace accord
