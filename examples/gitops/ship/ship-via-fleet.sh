#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Ships each Mac its reviewed steps through Fleet, and collects the results.
#
#   FLEET_URL=https://fleet.example.com FLEET_API_TOKEN=... \
#     ship-via-fleet.sh PLANS_DIR RESULTS_DIR
#
# PLANS_DIR is what `accord plan --fleet --out-dir` wrote. For every Mac
# whose review (<NAME>.<UUID>.review.json) holds steps, this makes one
# script: ../device/apply-accord.sh with that Mac's desired file and review
# inside, and the secrets its desired file names ({env: NAME}) taken from
# Fleet's secret variables ($FLEET_SECRET_NAME, which Fleet replaces with
# the secret when it sends the script to the host, so the secret never
# passes through CI). It runs the script on that host, then waits for each
# result and writes RESULTS_DIR/<NAME>.<UUID>.result.json (the host's exit
# code and output, as Fleet returns them) and prints one line per Mac.
#
# Fleet's REST API (fleetdm/fleet, docs/REST API/rest-api.md, "Get host by
# identifier", "Run script", "Get script result"; server/service/scripts.go):
#   GET  /api/v1/fleet/hosts/identifier/UUID  -> {"host": {"id": N, ...}}
#        (the hardware UUID, as the review names the Mac)
#   POST /api/v1/fleet/scripts/run {"host_id": N, "script_contents": "..."}
#        -> 202 {"host_id": N, "execution_id": "..."}; inline scripts are at
#        most 10,000 characters
#   GET  /api/v1/fleet/scripts/results/ID -> {"exit_code": null | N,
#        "output": "...", ...}: exit_code is null until the host reports
#        (an offline host runs the script when it returns), -1 when it timed
#        out, -2 when scripts are disabled on the host
# Each Mac's script is its own (its files are bound to it), so each is run
# inline on its host; the batch endpoint (/scripts/run/batch, at most 5,000
# hosts) runs one saved script on many hosts and does not fit. Fleet
# refuses a script naming a secret it does not have, and returns the
# script as stored (the $FLEET_SECRET_ names, never the values), but it
# does not mask output: neither this script nor the device script prints a
# secret. Running scripts takes an admin or maintainer API user's token
# (fleetctl user create --api-only --global-role maintainer); an observer's
# or GitOps user's is refused.
#
# Exit status: 0 every Mac applied (or has nothing to do), 3 a Mac refused
# or did not run a step (not reviewed, unsafe), 1 a Mac failed, timed out,
# could not be found or sent, or the results could not be read. Macs still
# pending when SHIP_WAIT seconds (default 900) have passed are listed as
# pending and do not fail the run: their results come back through
# osquery's accord_last_apply query, which the next fleet plan reads.
set -eu
plans=${1:?usage: ship-via-fleet.sh PLANS_DIR RESULTS_DIR}
results=${2:?usage: ship-via-fleet.sh PLANS_DIR RESULTS_DIR}
: "${FLEET_URL:?FLEET_URL is the Fleet server}" "${FLEET_API_TOKEN:?FLEET_API_TOKEN is needed}"
here=$(cd "$(dirname "$0")" && pwd)
device_script=${ACCORD_DEVICE_SCRIPT:-$here/../device/apply-accord.sh}
wait_for=${SHIP_WAIT:-900}
poll=${SHIP_POLL:-15}
mkdir -p "$results"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

api() {  # METHOD PATH [BODY-FILE]
  if [ $# -ge 3 ]; then
    curl -fsS --retry 3 -X "$1" -H "Authorization: Bearer $FLEET_API_TOKEN" \
      -H "Content-Type: application/json" --data-binary "@$3" "$FLEET_URL/api/v1/fleet/$2"
  else
    curl -fsS --retry 3 -X "$1" -H "Authorization: Bearer $FLEET_API_TOKEN" \
      "$FLEET_URL/api/v1/fleet/$2"
  fi
}

# `cat > PATH` of the file $2 at run time, in a here-document whose
# delimiter does not occur in the file (quoted: nothing in it is expanded).
embed() {  # PATH-ON-MAC FILE
  tag=ACCORD_END_$(cksum < "$2" | cut -d' ' -f1)
  if grep -qx "$tag" "$2"; then echo "ship: cannot embed $2" >&2; return 1; fi
  printf "cat > \"%s\" <<'%s'\n" "$1" "$tag"
  cat "$2"
  printf '%s\n' "$tag"
}

# The Mac's script: its files, its secrets from Fleet, then the device
# script with its review. Names of secrets are the desired file's
# {env: NAME} references (a shell variable name, as the loader requires).
# shellcheck disable=SC2016  # it writes shell code: $work is the Mac's
script_for() {  # STEM
  printf '#!/bin/sh\n# Accord: apply the reviewed steps of %s\nset -u\numask 077\n' "$1"
  printf 'work=$(mktemp -d) || exit 1\ntrap '"'"'rm -rf "$work"'"'"' EXIT\n'
  embed '$work/desired.yaml' "$plans/$1.desired.yaml"
  embed '$work/review.json' "$plans/$1.review.json"
  embed '$work/apply-accord.sh' "$device_script"
  # shellcheck disable=SC2013  # names are shell identifiers: no spaces
  for name in $(grep -o 'env: *"\{0,1\}[A-Za-z_][A-Za-z0-9_]*' "$plans/$1.desired.yaml" |
      sed 's/env: *"\{0,1\}//' | sort -u); do
    # Fleet replaces $FLEET_SECRET_<NAME> in the text it sends; the quoted
    # here-document keeps the shell from reading the secret as code.
    printf "%s=\$(cat <<'ACCORD_SECRET_END'\n\$FLEET_SECRET_%s\nACCORD_SECRET_END\n)\nexport %s\n" \
      "$name" "$name" "$name"
  done
  printf 'sh "$work/apply-accord.sh" "$work/desired.yaml" "$work/review.json"\n'
}

status=0
worst() { if [ "$1" = 1 ] || { [ "$1" = 3 ] && [ "$status" = 0 ]; }; then status=$1; fi; }
: > "$work/sent"
for review in "$plans"/*.review.json; do
  [ -f "$review" ] || { echo "ship: no reviews in $plans (accord plan --fleet --out-dir)" >&2; exit 1; }
  stem=$(basename "$review" .review.json)
  [ "$(jq '.steps | length' "$review")" -gt 0 ] || continue
  uuid=$(jq -r '.hardware_uuid' "$review")
  script_for "$stem" > "$work/$stem.sh"
  size=$(wc -c < "$work/$stem.sh")
  if [ "$size" -gt 10000 ]; then
    echo "$stem: not sent: its script is $size characters, over Fleet's 10,000 for an inline script"
    worst 1
    continue
  fi
  if ! host=$(api GET "hosts/identifier/$uuid?exclude_software=true" | jq -er '.host.id'); then
    echo "$stem: not sent: Fleet has no host $uuid"
    worst 1
    continue
  fi
  jq -n --argjson host "$host" --rawfile script "$work/$stem.sh" \
    '{host_id: $host, script_contents: $script}' > "$work/$stem.body"
  if ! run=$(api POST scripts/run "$work/$stem.body" | jq -er '.execution_id'); then
    echo "$stem: not sent: Fleet did not run the script on host $host"
    worst 1
    continue
  fi
  echo "$stem $host $run" >> "$work/sent"
done

# Results: poll each until it is reported or the wait is over.
deadline=$(( $(date +%s) + wait_for ))
while read -r stem host run; do
  while :; do
    if ! api GET "scripts/results/$run" > "$work/$stem.result"; then
      echo "$stem: the result of $run could not be read"
      worst 1
      break
    fi
    code=$(jq -r '.exit_code // "pending"' "$work/$stem.result")
    if [ "$code" != pending ] || [ "$(date +%s)" -ge "$deadline" ]; then break; fi
    sleep "$poll"
  done
  [ -s "$work/$stem.result" ] || continue
  jq --arg stem "$stem" --argjson host "$host" --arg run "$run" \
    '{mac: $stem, host_id: $host, execution_id: $run, exit_code: .exit_code, output: .output}' \
    "$work/$stem.result" > "$results/$stem.result.json"
  case $code in
    0) echo "$stem: applied" ;;
    3) echo "$stem: applied, something refused or not reviewed (see its result)"; worst 3 ;;
    pending) echo "$stem: pending (offline? it runs when the host returns)" ;;
    -1) echo "$stem: timed out on the host"; worst 1 ;;
    -2) echo "$stem: scripts are disabled on the host"; worst 1 ;;
    *) echo "$stem: failed with exit status $code (see its result)"; worst 1 ;;
  esac
done < "$work/sent"
exit "$status"
