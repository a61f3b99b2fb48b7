#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The release tarball and the Homebrew formula (packaging/release.sh): the
# tarball holds the sources and knows its commit (export-subst), and the
# formula names its sha256 and tests files the tarball has.
# Usage: release_test.sh SOURCE_DIR
set -euo pipefail
src="$(cd "$1" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if ! git -C "$src" rev-parse HEAD >/dev/null 2>&1; then
  echo "release: not a git checkout; nothing to archive"
  exit 0
fi
version="$(sed -n 's/^project(accord VERSION \([0-9.]*\) .*/\1/p' "$src/CMakeLists.txt")"
"$src/packaging/release.sh" "$version" "https://example.invalid/v$version" "$out" HEAD >/dev/null
tarball="$out/accord-$version.tar.gz"
tar -xzf "$tarball" -C "$out"
commit="$(cat "$out/accord-$version/packaging/commit.txt")"
[ "$commit" = "$(git -C "$src" rev-parse HEAD)" ] || { echo "FAIL commit.txt says '$commit'"; exit 1; }
for f in CMakeLists.txt examples/fresh-mac/desired.yaml examples/fresh-mac/device.json schemas/plan.schema.json; do
  [ -f "$out/accord-$version/$f" ] || { echo "FAIL the tarball lacks $f"; exit 1; }
done
sha="$({ sha256sum "$tarball" 2>/dev/null || shasum -a 256 "$tarball"; } | cut -d' ' -f1)"  # GNU, or macOS
grep -q "^  sha256 \"$sha\"$" "$out/accord.rb" || { echo "FAIL the formula's sha256 is not the tarball's"; exit 1; }
grep -q "^  url \"https://example.invalid/v$version/accord-$version.tar.gz\"$" "$out/accord.rb" ||
  { echo "FAIL the formula's url"; exit 1; }
grep -q 'pkgshare/"examples/fresh-mac"' "$out/accord.rb" || { echo "FAIL the formula's test"; exit 1; }
echo "release: accord-$version.tar.gz knows commit ${commit:0:12}; the formula matches it"
