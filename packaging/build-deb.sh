#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds Accord's .deb (CPack, installing under /usr) and prints its path.
# A fresh BUILD_DIR is a Release build without the tests; an existing one
# (CI's test build) is reused as it is configured. Used by .ci/package-test
# and by the GitOps example's CI job, which builds the package on its
# runner's Debian. Usage: packaging/build-deb.sh [BUILD_DIR] (default:
# build-deb).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build-deb}"
fresh=()
if [ ! -f "$build/CMakeCache.txt" ]; then
  fresh=(-DCMAKE_BUILD_TYPE=Release -DACCORD_BUILD_TESTS=OFF)
fi
cmake -S . -B "$build" -DCMAKE_INSTALL_PREFIX=/usr "${fresh[@]}" > /dev/null
cmake --build "$build" --parallel --target accord accord_docs > /dev/null
rm -f "$build"/accord_*.deb
(cd "$build" && cpack -G DEB > cpack.log) || { cat "$build/cpack.log" >&2; exit 1; }
ls "$(pwd)/$build"/accord_*.deb
