#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Device side of the GitOps example: an MDM (as a script payload) or an
# agent runs this as root on each Mac, with the composed desired file that
# `accord plan --fleet --out-dir` (or `accord compose`) made for that Mac
# and, from the same run, that Mac's review.
#
#   apply-accord.sh DESIRED.yaml [REVIEW.json]
#
# With a review it runs only the steps the review holds (`accord apply
# --reviewed`): anything planned afresh on the Mac that nobody reviewed is
# refused as not-reviewed, and the status is 3. ship-via-fleet.sh (../ship)
# wraps this script, the two files and the secrets into one script per Mac.
#
# It applies with --auto-approve and keeps the machine-readable record
# (`accord apply --json`: each step's outcome, and the accounts and FileVault
# facts before and after) in
# /var/db/accord/last-apply.json, plus a four-key summary plist that
# osquery's core `plist` table reads (query accord_last_apply in
# ../queries). Exit status is accord's (README, "Exit codes"): 0 done,
# 1 error or stopped, 3 done but something was refused or blocked.
#
# Secrets come from where the desired file says ({keychain: ...} items in
# the System keychain, {env: ...} set by the agent or, shipped through
# Fleet, by the wrapper from Fleet's secret variables); none is written or
# printed here.
# /var/db/accord is Accord's own folder: root only (0700), and so is every
# file written in it here (0600); osqueryd, which runs as root, still reads
# the summary.
set -u
umask 077

ACCORD=${ACCORD:-/usr/local/bin/accord}
DESIRED=${1:?usage: apply-accord.sh DESIRED.yaml [REVIEW.json]}
REVIEW=${2:-}
# (The tools' paths and the folder can be overridden: tests/packaging runs
# this script on Linux with stand-ins.)
OUT=${ACCORD_STATE_DIR:-/var/db/accord}
PLUTIL=${PLUTIL:-/usr/bin/plutil}
DEFAULTS=${DEFAULTS:-/usr/bin/defaults}
mkdir -p "$OUT" && chmod 700 "$OUT" || exit 1

record=$(mktemp "$OUT/.last-apply.XXXXXX") || exit 1
if [ -n "$REVIEW" ]; then
  "$ACCORD" apply -f "$DESIRED" --reviewed "$REVIEW" --auto-approve --json >"$record"
else
  "$ACCORD" apply -f "$DESIRED" --auto-approve --json >"$record"
fi
status=$?
chmod 600 "$record"
mv -f "$record" "$OUT/last-apply.json"

# defaults(1) writes a property list at an absolute path (without .plist);
# result is the record's "result" field, or "error" when there is no record;
# desired_fingerprint says which file was applied, so that the next fleet
# plan tells drift since this apply from changes not shipped yet.
result=$("$PLUTIL" -extract result raw -o - "$OUT/last-apply.json" 2>/dev/null || echo error)
fingerprint=$("$PLUTIL" -extract desired_fingerprint raw -o - "$OUT/last-apply.json" 2>/dev/null)
summary="$OUT/last-apply"
"$DEFAULTS" write "$summary" exit_status -int "$status"
"$DEFAULTS" write "$summary" result -string "$result"
"$DEFAULTS" write "$summary" time -string "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
"$DEFAULTS" write "$summary" desired_fingerprint -string "${fingerprint:-}"
chmod 600 "$summary.plist"

exit "$status"
