#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# The GitOps example's pull-request job, run as GitHub would run its steps
# (the `run:` text of "Plan the fleet" and "The check, as the team chose",
# in bash, with GITHUB_OUTPUT and GITHUB_STEP_SUMMARY), on a copy of the
# example whose last result line is cut short: one Mac's data is bad.
# The report, the comment's Markdown and the JUnit file are made all the
# same, and the check fails or passes as ACCORD_FAIL_ON says. Then a broken
# layer: the plan step says so, and the check fails whatever the policy.
# Usage: workflow_run_test.py SOURCE_DIR ACCORD_BINARY
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml


def steps(workflow, job):
    doc = yaml.safe_load(open(workflow, encoding="utf-8"))
    return {s["name"]: s for s in doc["jobs"][job]["steps"] if "name" in s}


def run_step(step, cwd, env, outputs):
    """Runs a step's script as GitHub does (bash -e), its ${{ }} filled in."""
    def fill(match):
        expr = match.group(1).strip()
        if expr.startswith("steps.") and ".outputs." in expr:
            return outputs.get(expr.split(".")[-1], "")
        raise ValueError("no value for ${{ %s }}" % expr)
    script = re.sub(r"\$\{\{([^}]*)\}\}", fill, step["run"])
    step_env = dict(env)
    for key, value in (step.get("env") or {}).items():
        step_env[key] = re.sub(r"\$\{\{[^}]*\|\|\s*'([^']*)'\s*\}\}", r"\1", value)
    out_file = os.path.join(cwd, ".github-output")
    open(out_file, "w").close()
    step_env["GITHUB_OUTPUT"] = out_file
    done = subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=step_env,
                          capture_output=True, text=True)
    for line in open(out_file, encoding="utf-8"):
        if "=" in line:
            key, value = line.rstrip("\n").split("=", 1)
            outputs[key] = value
    return done


def main():
    source, accord = sys.argv[1], os.path.abspath(sys.argv[2])
    failures = []
    workflow = os.path.join(source, "examples/gitops/.github/workflows/accord.yml")
    plan = steps(workflow, "plan")
    tmp = tempfile.mkdtemp()
    try:
        repo = os.path.join(tmp, "repo")
        shutil.copytree(os.path.join(source, "examples/gitops"), repo)
        log = os.path.join(repo, "inventory/osqueryd.results.log")
        text = open(log, encoding="utf-8").read()
        cut = text.rfind("\n", 0, len(text) - 2) + 1
        open(log, "w", encoding="utf-8").write(text[:cut + 200])
        bin_dir = os.path.join(tmp, "bin")
        os.makedirs(bin_dir)
        os.symlink(accord, os.path.join(bin_dir, "accord"))
        env = dict(os.environ, PATH=bin_dir + ":" + os.environ["PATH"], MAX_DELETIONS="10",
                   GITHUB_STEP_SUMMARY=os.path.join(tmp, "summary.md"))

        outputs = {}
        made = run_step(plan["Plan the fleet"], repo, env, outputs)
        if made.returncode != 0:
            failures.append("Plan the fleet failed on one Mac's bad data: " + made.stderr)
        if outputs.get("status") != "0":  # --fail-on none: only the configuration fails here
            failures.append("plan status %r, not 0" % outputs.get("status"))
        md = open(os.path.join(repo, "accord-plan.md"), encoding="utf-8").read()
        if "### Not planned: 1 Mac with errors" not in md:
            failures.append("the comment does not list the Mac with errors")
        if "<error message=" not in open(os.path.join(repo, "accord-junit.xml")).read():
            failures.append("the JUnit report does not carry the Mac's error")
        check = plan["The check, as the team chose"]
        for policy, fails in (("", True), ("errors,refused", True), ("refused", True),
                              ("escrow-before-enable", True), ("last-admin", False),
                              ("none", False)):
            step = dict(check)
            if policy:
                step["env"] = {"FAIL_ON": policy}
            judged = run_step(step, repo, env, dict(outputs))
            if (judged.returncode != 0) != fails:
                failures.append("policy %r: the check exited %d" % (policy or "default",
                                                                      judged.returncode))

        with open(os.path.join(repo, "layers/engineering.yaml"), "a") as f:
            f.write("  broken: [\n")
        outputs = {}
        made = run_step(plan["Plan the fleet"], repo, env, outputs)
        if outputs.get("status") != "1":
            failures.append("a broken layer: plan status %r, not 1" % outputs.get("status"))
        step = dict(check, env={"FAIL_ON": "none"})
        if run_step(step, repo, env, outputs).returncode == 0:
            failures.append("a broken layer passed the check with ACCORD_FAIL_ON=none")
    finally:
        shutil.rmtree(tmp)
    for f in failures:
        print("workflow_run_test: " + f, file=sys.stderr)
    if failures:
        return 1
    print("workflow_run_test: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
