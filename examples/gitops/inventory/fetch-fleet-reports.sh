#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fetches the reports of Accord's queries (../queries/accord.queries.yml)
# from a Fleet server into DIR, one file per query named after it
# (accord_users.json, …), as `accord plan --fleet --inventory DIR` reads
# them. Run it in CI before planning, or on a schedule that commits DIR.
#
#   FLEET_URL=https://fleet.example.com FLEET_API_TOKEN=... \
#     fetch-fleet-reports.sh inventory/
#
# Fleet's REST API (docs/REST API/rest-api.md in fleetdm/fleet, "List
# queries" and "Get query report"):
#   GET /api/v1/fleet/queries?query=accord_  -> {"queries": [{"id", "name", ...}]}
#   GET /api/v1/fleet/queries/ID/report      -> {"query_id", "report_clipped", "results": [...]}
# FLEET_API_TOKEN is an API-only user's token (observer is enough);
# TEAM_ID chooses a team's queries (with the global ones). A report Fleet
# clipped (report_clipped: true, too many rows) stops this script, as it
# would stop Accord: plan a fleet that large from osqueryd's result logs.
set -eu
out=${1:?usage: fetch-fleet-reports.sh DIR}
: "${FLEET_URL:?FLEET_URL is the Fleet server}" "${FLEET_API_TOKEN:?FLEET_API_TOKEN is needed}"
mkdir -p "$out"

api() {
  curl -fsS --retry 3 -H "Authorization: Bearer $FLEET_API_TOKEN" "$FLEET_URL/api/v1/fleet/$1"
}

list="queries?query=accord_"
if [ -n "${TEAM_ID:-}" ]; then list="$list&team_id=$TEAM_ID&merge_inherited=true"; fi
queries=$(api "$list" | jq -r '.queries[] | select(.name | startswith("accord_")) | "\(.id) \(.name)"')
[ -n "$queries" ] || { echo "fetch-fleet-reports: no accord_ queries on $FLEET_URL" >&2; exit 1; }

echo "$queries" | while read -r id name; do
  api "queries/$id/report" > "$out/$name.json.part"
  if [ "$(jq -r '.report_clipped // false' "$out/$name.json.part")" = true ]; then
    rm -f "$out/$name.json.part"
    echo "fetch-fleet-reports: Fleet clipped the report of $name" >&2
    exit 1
  fi
  mv -f "$out/$name.json.part" "$out/$name.json"
  echo "$name: $(jq '.results | length' "$out/$name.json") rows"
done
