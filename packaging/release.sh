#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Makes the release tarball the Homebrew formula builds from, and points the
# formula at it: `git archive` of a tag (export-subst writes the commit into
# packaging/commit.txt, so a build from the tarball knows it), then the
# formula's url and sha256. Usage:
#   packaging/release.sh 0.1.0 https://github.com/OWNER/accord/releases/download/v0.1.0 \
#     [OUT_DIR (dist)] [GIT_REF (v0.1.0)]
set -euo pipefail
cd "$(dirname "$0")/.."
version="$1"
base_url="$2"
out="${3:-dist}"
tag="${4:-v$version}"
grep -q "project(accord VERSION $version " CMakeLists.txt ||
  { echo "release: CMakeLists.txt's project version is not $version" >&2; exit 1; }
mkdir -p "$out"
tarball="$out/accord-$version.tar.gz"
git archive --format=tar.gz --prefix="accord-$version/" -o "$tarball" "$tag"
sha="$({ sha256sum "$tarball" 2>/dev/null || shasum -a 256 "$tarball"; } | cut -d' ' -f1)"  # GNU, or macOS
formula=packaging/homebrew/accord.rb
sed -e "s|^  url \".*\"|  url \"$base_url/accord-$version.tar.gz\"|" \
    -e "s|^  sha256 \".*\"|  sha256 \"$sha\"|" "$formula" > "$out/accord.rb"
echo "release: $tarball (sha256 $sha) and $out/accord.rb; upload the tarball, then copy the"
echo "formula to your tap (or commit it here)"
