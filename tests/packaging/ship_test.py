#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# The merge half of the GitOps loop, end to end, against a stand-in for
# Fleet's REST API: the fleet is planned with --out-dir, and
# examples/gitops/ship/ship-via-fleet.sh sends each Mac with reviewed steps
# its own script. The stand-in (a fake curl) answers as Fleet's API
# documentation shows, substitutes $FLEET_SECRET_ variables as Fleet does
# when it sends a script, and "runs" each script as its host would: the
# device script with the real accord applying to that Mac's simulated
# copy. Four Macs: one applies, one has drifted since the inventory (a step
# nobody reviewed: not run, reported), one is offline (pending), and the
# lab Mac gets its student's password from a Fleet secret, a canary that
# must appear in no output, result or record. Then the next plan reads the
# Macs' summaries back (as osquery's accord_last_apply rows), and the
# workflow's nightly drift step finds the Mac changed by hand since it
# applied its file.
# Usage: ship_test.py SOURCE_DIR ACCORD_BINARY
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

# Shell syntax inside: run as code, it would leave a file named pwned.
CANARY = "canary-Zq7!$(touch pwned)'\"`touch pwned`"
UUIDS = {
    "eng-mbp-01": "6F0A4F2E-1C3B-4D8E-9A7B-2E5D1C0B9A81",
    "eng-mbp-02": "9C41D7B0-5E2A-4F63-8B1D-7A0E3C2F4B92",
    "lab-mac-01": "2D8E6B14-9F07-4A3C-B5E2-81C4D6A7F003",
    "design-mac-01": "E5A1C9D3-7B64-4E28-9F0A-3D2B1C8E7F44",
}
OFFLINE = "eng-mbp-02"
DRIFTED = "eng-mbp-01"

def rename(log, uuid, old, new):
    """The full name of `old` in the Mac `uuid`'s result lines, changed to `new`."""
    lines = open(log, encoding="utf-8").read().splitlines()
    lines = [l.replace('"description":"%s"' % old, '"description":"%s"' % new)
             if uuid in l else l for l in lines]
    open(log, "w", encoding="utf-8").write("\n".join(lines) + "\n")


# The stand-in: Fleet's API over files in $FAKE_FLEET. The last argument
# is the URL; -X names the method; --data-binary @FILE is the body.
FAKE_CURL = r'''#!/usr/bin/env python3
import json, os, re, subprocess, sys
args = sys.argv[1:]
url = args[-1]
method = args[args.index("-X") + 1] if "-X" in args else "GET"
body = None
if "--data-binary" in args:
    body = json.load(open(args[args.index("--data-binary") + 1][1:]))
state = os.environ["FAKE_FLEET"]
hosts = json.load(open(os.path.join(state, "hosts.json")))
path = url.split("/api/v1/fleet/", 1)[1].split("?")[0]
def fail(code, message):
    sys.stderr.write("curl: (22) The requested URL returned error: %d (%s)\n" % (code, message))
    sys.exit(22)
with open(os.path.join(state, "calls"), "a") as log:
    log.write("%s %s\n" % (method, path))
if method == "GET" and path.startswith("hosts/identifier/"):
    uuid = path.split("/")[-1]
    if uuid not in hosts:
        fail(404, "no host")
    print(json.dumps({"host": {"id": hosts[uuid]["id"], "uuid": uuid,
                               "hostname": hosts[uuid]["name"]}}))
elif method == "POST" and path == "scripts/run":
    script = body["script_contents"]
    if len(script) > 10000:
        fail(422, "script_contents over 10,000 characters")
    host = next(u for u, h in hosts.items() if h["id"] == body["host_id"])
    secrets = json.load(open(os.path.join(state, "secrets.json")))
    names = re.findall(r"\$FLEET_SECRET_([A-Z0-9_]+)", script)
    if any(n not in secrets for n in names):
        fail(422, "undefined secret")
    sent = re.sub(r"\$FLEET_SECRET_([A-Z0-9_]+)", lambda m: secrets[m.group(1)], script)
    run = "exec-%d" % len(os.listdir(os.path.join(state, "results")))
    result = {"script_contents": script, "exit_code": None, "output": "", "host_id": body["host_id"]}
    if not hosts[host].get("offline"):
        env = dict(os.environ, HOST_UUID=host,
                   ACCORD_STATE_DIR=os.path.join(state, "hosts", host))
        done = subprocess.run(["sh", "-c", sent], env=env, capture_output=True, text=True)
        result["exit_code"] = done.returncode
        result["output"] = (done.stdout + done.stderr)[-10000:]
    json.dump(result, open(os.path.join(state, "results", run), "w"))
    print(json.dumps({"host_id": body["host_id"], "execution_id": run}))
elif method == "GET" and path.startswith("scripts/results/"):
    print(open(os.path.join(state, "results", path.split("/")[-1])).read())
else:
    fail(404, "no such endpoint in the stand-in")
'''

# accord on the "Mac": the real one, applying to that host's simulated copy.
ACCORD_ON_HOST = '#!/bin/sh\nexec "$REAL_ACCORD" "$@" --device "$SIM_MACS/$HOST_UUID.json"\n'
# plutil -extract KEY raw -o - FILE: the top-level KEY of a JSON record.
PLUTIL = ('#!/bin/sh\nexec python3 -c \'import json, sys; '
          'print(json.load(open(sys.argv[2]))[sys.argv[1]])\' "$2" "$6"\n')
DEFAULTS = '#!/bin/sh\necho "$3=$5" >> "$2.plist"\n'


def main():
    source, accord = sys.argv[1], os.path.abspath(sys.argv[2])
    failures = []

    def check(ok, message):
        if not ok:
            failures.append(message)

    tmp = tempfile.mkdtemp()
    try:
        gitops = os.path.join(source, "examples/gitops")
        plans, results = os.path.join(tmp, "plans"), os.path.join(tmp, "results")
        # The example's inventory, with the design Mac's admin misnamed, so
        # that all four Macs have steps.
        first = os.path.join(tmp, "inventory")
        shutil.copytree(gitops + "/inventory", first)
        rename(os.path.join(first, "osqueryd.results.log"), UUIDS["design-mac-01"],
               "IT Admin", "IT Administrator")
        plan = subprocess.run([accord, "plan", "--fleet", gitops + "/fleet.yaml", "--inventory",
                               first, "--out-dir", plans, "--quiet"],
                              capture_output=True, text=True)
        check(plan.returncode == 3, "plan --fleet exited %d: %s" % (plan.returncode, plan.stderr))
        sims, state, bin_dir = (os.path.join(tmp, d) for d in ("macs", "fleet", "bin"))
        for d in (sims, state, bin_dir, os.path.join(state, "results")):
            os.makedirs(d)
        hosts = {}
        for i, (name, uuid) in enumerate(sorted(UUIDS.items())):
            hosts[uuid] = {"id": 100 + i, "name": name, "offline": name == OFFLINE}
            os.makedirs(os.path.join(state, "hosts", uuid))
            observed = subprocess.run([accord, "observe", "--inventory", first,
                                       "--mac", uuid], capture_output=True, text=True)
            check(observed.returncode == 0, "observe %s: %s" % (name, observed.stderr))
            mac = json.loads(observed.stdout)
            if name == DRIFTED:  # someone renamed the admin since the inventory
                for user in mac["users"]:
                    if user["name"] == "itadmin":
                        user["full_name"] = "Renamed By Hand"
            with open(os.path.join(sims, uuid + ".json"), "w") as f:
                json.dump(mac, f)
        json.dump(hosts, open(os.path.join(state, "hosts.json"), "w"))
        json.dump({"STUDENT_PASSWORD": CANARY, "BUILDBOT_PASSWORD": CANARY + "2"},
                  open(os.path.join(state, "secrets.json"), "w"))
        for name, text in (("curl", FAKE_CURL), ("accord", ACCORD_ON_HOST), ("plutil", PLUTIL),
                           ("defaults", DEFAULTS)):
            with open(os.path.join(bin_dir, name), "w") as f:
                f.write(text)
            os.chmod(os.path.join(bin_dir, name), 0o755)
        env = dict(os.environ, PATH=bin_dir + ":" + os.environ["PATH"], FAKE_FLEET=state,
                   FLEET_URL="https://fleet.example", FLEET_API_TOKEN="maintainer-token",
                   SHIP_WAIT="0", SHIP_POLL="0", REAL_ACCORD=accord, SIM_MACS=sims,
                   ACCORD=os.path.join(bin_dir, "accord"),
                   PLUTIL=os.path.join(bin_dir, "plutil"),
                   DEFAULTS=os.path.join(bin_dir, "defaults"))
        ship = subprocess.run(["sh", gitops + "/ship/ship-via-fleet.sh", plans, results],
                              capture_output=True, text=True, env=env)
        said = ship.stdout + ship.stderr
        check(ship.returncode == 3, "ship exited %d, not 3: %s" % (ship.returncode, said))

        def line(name):
            return next((l for l in ship.stdout.splitlines() if l.startswith(name + ".")), "")

        def record(name):
            path = os.path.join(state, "hosts", UUIDS[name], "last-apply.json")
            return json.load(open(path)) if os.path.exists(path) else {}

        def steps(name, rule=None, result=None):
            return [s["id"] for s in record(name).get("steps", [])
                    if (rule is None or s.get("rule") == rule)
                    and (result is None or s["result"] == result)]

        # Every Mac was sent its script, once.
        calls = open(os.path.join(state, "calls")).read().splitlines()
        check(calls.count("POST scripts/run") == 4, "scripts run: %s" % calls)
        check(line("design-mac-01").endswith(": applied"), "design: %s" % line("design-mac-01"))
        # The lab Mac: its student made with the secret Fleet substituted.
        lab = json.load(open(os.path.join(sims, UUIDS["lab-mac-01"] + ".json")))
        check(any(u["name"] == "student" for u in lab["users"]), "the lab Mac has no student")
        check("create_user:student" in steps("lab-mac-01", result="done"),
              "lab record: %s" % record("lab-mac-01"))
        check("applied, something refused" in line("lab-mac-01"), "lab: %s" % line("lab-mac-01"))
        # The drifted Mac: the step nobody reviewed was not run, and said so.
        check(steps(DRIFTED, rule="not-reviewed", result="not_run") ==
              ["set_attribute:itadmin:full_name+shell"],
              "drifted record: %s" % record(DRIFTED))
        check("not reviewed" in line(DRIFTED), "drifted: %s" % line(DRIFTED))
        # The offline Mac: pending, not a failure.
        check(line(OFFLINE).endswith("pending (offline? it runs when the host returns)"),
              "offline: %s" % line(OFFLINE))
        # Results are kept, one per Mac that answered or is pending.
        kept = sorted(os.listdir(results))
        check(len(kept) == 4, "results: %s" % kept)
        for name in kept:
            r = json.load(open(os.path.join(results, name)))
            check(set(r) == {"mac", "host_id", "execution_id", "exit_code", "output"},
                  "%s: %s" % (name, sorted(r)))
        # The canary: nowhere but in the script Fleet sent.
        seen = [said] + [open(os.path.join(results, n)).read() for n in kept]
        for uuid in UUIDS.values():
            for f in os.listdir(os.path.join(state, "hosts", uuid)):
                seen.append(open(os.path.join(state, "hosts", uuid, f)).read())
        for r in os.listdir(os.path.join(state, "results")):
            fleet_result = json.load(open(os.path.join(state, "results", r)))
            seen.append(fleet_result["output"] + fleet_result["script_contents"])
        for text in seen:
            check("canary-Zq7" not in text, "the secret was echoed: %s" % text[:2000])
        check(not any("pwned" in files for _, _, files in os.walk(tmp)) and
              not os.path.exists("pwned"), "the secret was run as shell code")

        # The next plan reads the results back: each Mac's summary, as the
        # accord_last_apply query (osquery's plist table) reports it. The
        # design Mac's admin has been renamed by hand since: drift.
        inventory = os.path.join(tmp, "next-inventory")
        shutil.copytree(gitops + "/inventory", inventory)
        log = os.path.join(inventory, "osqueryd.results.log")
        rename(log, UUIDS["design-mac-01"], "IT Admin", "Changed By Hand")
        lines = open(log, encoding="utf-8").read().splitlines()
        for name, uuid in UUIDS.items():
            summary = os.path.join(state, "hosts", uuid, "last-apply.plist")
            if not os.path.exists(summary):
                continue
            rows = [{"hardware_uuid": uuid, "key": k, "value": v} for k, v in
                    (l.split("=", 1) for l in open(summary).read().splitlines())]
            lines.append(json.dumps({"name": "pack_accord_accord_last_apply",
                                     "hostIdentifier": name + ".local", "action": "snapshot",
                                     "snapshot": rows}))
        open(log, "w", encoding="utf-8").write("\n".join(lines) + "\n")
        nxt = subprocess.run([accord, "plan", "--fleet", gitops + "/fleet.yaml", "--inventory",
                              inventory, "--quiet", "--format", "json", "--fail-on", "none"],
                             capture_output=True, text=True)
        check(nxt.returncode == 0, "next plan: %d %s" % (nxt.returncode, nxt.stderr))
        check("ignored" not in nxt.stderr.replace("pack_it-macs_osquery_info", ""),
              "the last-apply rows were ignored: " + nxt.stderr)
        macs = {m["name"]: m for m in json.loads(nxt.stdout)["macs"]}
        lab_last = macs["lab-mac-01"]["last_apply"] or {}
        check(lab_last.get("result") == "complete" and lab_last.get("exit_status") == 3 and
              lab_last.get("same_desired") is True, "lab-mac-01 read back: %s" % lab_last)
        check(macs[OFFLINE]["last_apply"] is None, "the offline Mac has a last apply")
        design = macs["design-mac-01"]
        check(design["last_apply"]["same_desired"] is True and design["last_apply"]["result"] ==
              "complete" and design["changes"], "design-mac-01: %s" % design)

        # The nightly drift job, as GitHub runs its step, finds it.
        repo = os.path.join(tmp, "repo")
        shutil.copytree(gitops, repo, ignore=shutil.ignore_patterns("inventory"))
        shutil.copytree(inventory, os.path.join(repo, "inventory"))
        workflow = yaml.safe_load(open(gitops + "/.github/workflows/accord.yml"))
        step = next(x for x in workflow["jobs"]["drift"]["steps"]
                    if x.get("name") == "Macs that differ from main")
        summary_file = os.path.join(tmp, "summary.md")
        ci_bin = os.path.join(tmp, "ci-bin")  # CI's accord: the real one
        os.makedirs(ci_bin)
        os.symlink(accord, os.path.join(ci_bin, "accord"))
        drift = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, capture_output=True,
                               text=True, env=dict(os.environ, GITHUB_STEP_SUMMARY=summary_file,
                                                   PATH=ci_bin + ":" + os.environ["PATH"]))
        summary = open(summary_file, encoding="utf-8").read() if os.path.exists(summary_file) else ""
        check(drift.returncode == 1 and "::error::Macs differ from main" in drift.stdout,
              "drift job: %d %s %s" % (drift.returncode, drift.stdout, drift.stderr))
        check("### Drifted since their last apply" in summary and
              "- **design-mac-01**: last applied " in summary, "drift summary: " + summary[:3000])

        # A Mac whose script would exceed Fleet's inline limit is not sent.
        big = os.path.join(plans, "eng-mbp-02." + UUIDS["eng-mbp-02"] + ".desired.yaml")
        with open(big, "a") as f:
            f.write("#" + "x" * 11000 + "\n")
        again = subprocess.run(["sh", gitops + "/ship/ship-via-fleet.sh", plans, results],
                               capture_output=True, text=True, env=env)
        check(again.returncode == 1, "an oversized script: exit %d" % again.returncode)
        check("over Fleet's 10,000 for an inline script" in again.stdout, again.stdout)
    finally:
        shutil.rmtree(tmp)
    for f in failures:
        print("ship_test: " + f, file=sys.stderr)
    if failures:
        return 1
    print("ship_test: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
