// SPDX-License-Identifier: Apache-2.0
// Catch2 v3 (Homebrew) or v2 (Debian): tests include this, not Catch2.
#pragma once

#if ACCORD_CATCH_V3
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>
#endif
