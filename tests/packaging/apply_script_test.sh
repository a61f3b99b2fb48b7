#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# examples/gitops/device/apply-accord.sh on Linux, with stand-ins for
# accord, plutil and defaults: it keeps its folder root-only (0700) and
# every file it writes 0600, whatever the umask, and exits with accord's
# status.
set -euo pipefail
script="$1/examples/gitops/device/apply-accord.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
cat > "$tmp/bin/accord" <<'FAKE'
#!/bin/sh
echo '{"accord_apply": 1, "result": "complete"}'
exit 3
FAKE
cat > "$tmp/bin/plutil" <<'FAKE'
#!/bin/sh
# plutil -extract result raw -o - FILE
sed -n 's/.*"result": "\([a-z_]*\)".*/\1/p' "$6"
FAKE
cat > "$tmp/bin/defaults" <<'FAKE'
#!/bin/sh
# defaults write PATH KEY -TYPE VALUE: one line per key, in PATH.plist
echo "$3=$5" >> "$2.plist"
FAKE
chmod +x "$tmp/bin/"*
mkdir -m 755 "$tmp/state"
status=0
(umask 022 && ACCORD="$tmp/bin/accord" PLUTIL="$tmp/bin/plutil" DEFAULTS="$tmp/bin/defaults" \
  ACCORD_STATE_DIR="$tmp/state" sh "$script" desired.yaml) || status=$?
fail() { echo "apply_script_test: $*" >&2; exit 1; }
[ "$status" = 3 ] || fail "exit status $status, not accord's 3"
mode() { stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"; }  # GNU, then BSD (macOS)
[ "$(mode "$tmp/state")" = 700 ] || fail "the folder is $(mode "$tmp/state"), not 700"
for f in last-apply.json last-apply.plist; do
  [ -f "$tmp/state/$f" ] || fail "$f was not written"
  [ "$(mode "$tmp/state/$f")" = 600 ] || fail "$f is $(mode "$tmp/state/$f"), not 600"
done
grep -q '^result=complete$' "$tmp/state/last-apply.plist" || fail "the summary lacks the result"
grep -q '^exit_status=3$' "$tmp/state/last-apply.plist" || fail "the summary lacks the status"
echo "apply_script_test: ok"
