#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# examples/gitops/inventory/fetch-fleet-reports.sh against a stand-in for
# Fleet's REST API (a fake curl answering from files shaped as Fleet's API
# documentation shows): it saves each accord_ query's report under the
# query's name, which accord then reads; a clipped report stops it.
set -euo pipefail
root="$1"
accord="$2"
script="$root/examples/gitops/inventory/fetch-fleet-reports.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/api"
cat > "$tmp/bin/curl" <<'FAKE'
#!/bin/sh
# The last argument is the URL: answer from $FAKE_API/<path after /fleet/>.
for url; do :; done
path=${url#*/api/v1/fleet/}
file="$FAKE_API/$(echo "$path" | tr '/?&=' '____')"
[ -f "$file" ] || { echo "fake curl: no answer for $path" >&2; exit 22; }
cat "$file"
FAKE
chmod +x "$tmp/bin/curl"
cat > "$tmp/api/queries_query_accord_" <<'JSON'
{"queries": [{"id": 7, "name": "accord_users"}, {"id": 9, "name": "accord_users_backup_old"},
             {"id": 3, "name": "osquery_schedule"}]}
JSON
report="$root/tests/providers/osquery/fixtures/fleet-query-report-api-docs.json"
cp "$report" "$tmp/api/queries_7_report"
cp "$report" "$tmp/api/queries_9_report"
fail() { echo "fetch_reports_test: $*" >&2; exit 1; }

PATH="$tmp/bin:$PATH" FAKE_API="$tmp/api" FLEET_URL=https://fleet.example FLEET_API_TOKEN=t \
  sh "$script" "$tmp/out" > "$tmp/log"
[ -f "$tmp/out/accord_users.json" ] || fail "accord_users.json was not saved"
[ ! -e "$tmp/out/osquery_schedule.json" ] || fail "a query that is not Accord's was saved"
cmp -s "$report" "$tmp/out/accord_users.json" || fail "the report was not saved as Fleet sent it"
grep -q '^accord_users: 5 rows$' "$tmp/log" || fail "no row count: $(cat "$tmp/log")"
# accord reads what was saved (the fixture's rows carry no hardware_uuid:
# each is named as such, and no Mac is made of them).
status=0
"$accord" plan --fleet "$root/examples/gitops/fleet.yaml" --inventory "$tmp/out" --quiet \
  > /dev/null 2> "$tmp/err" || status=$?
[ "$status" = 1 ] || fail "accord plan exited $status, not 1, on rows naming no Mac"
grep -q 'has no hardware_uuid column' "$tmp/err" || fail "accord did not read the report: $(cat "$tmp/err")"

sed 's/"report_clipped": false/"report_clipped": true/' "$report" > "$tmp/api/queries_7_report"
rm -rf "$tmp/out"
if PATH="$tmp/bin:$PATH" FAKE_API="$tmp/api" FLEET_URL=https://fleet.example FLEET_API_TOKEN=t \
  sh "$script" "$tmp/out" 2> "$tmp/err" > /dev/null; then
  fail "a clipped report did not stop the script"
fi
grep -q 'clipped the report of accord_users' "$tmp/err" || fail "no reason: $(cat "$tmp/err")"
[ ! -e "$tmp/out/accord_users.json" ] || fail "a clipped report was kept"
echo "fetch_reports_test: ok"
