#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Validates Accord's files against schemas/ with a real JSON Schema validator.

- every examples/*/desired.yaml against desired-state.schema.json, and each
  carries the yaml-language-server modeline pointing at that schema;
- every examples/*/device.json against device-snapshot.schema.json;
- `accord plan --json` of every example against plan.schema.json;
- each Mac's plan, review and composed desired file as `plan --fleet
  --out-dir` writes them, against plan, review and desired-state;
- `accord apply --json` of every example (on a copy of its simulated Mac)
  against apply-log.schema.json;
- every enrollment file in examples/ against enrollment.schema.json (with
  its modeline), and `accord plan --enroll --json` of every enrollment
  scenario against plan.schema.json;
- the local state file a fake-Mac test wrote (tests/cli/golden/real-mac/)
  against local-state.schema.json;
- the bad inputs whose error the schema can express are rejected by the
  schema too, so schema and loader cannot drift apart.

Backends: Python's jsonschema + PyYAML (Debian: python3-jsonschema,
python3-yaml) or the check-jsonschema command (Homebrew). Exits non-zero on
any failure, naming the file.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

# Bad inputs (tests/engine/load/bad) whose error a JSON Schema can express.
# Duplicate keys, tabs, YAML 1.1 booleans and semantic rules are beyond
# JSON Schema (PyYAML even reads `no` as false), so they are not listed.
SCHEMA_REJECTS = [
    "uid-quoted-string", "users-is-a-list", "unknown-top-key", "unknown-user-key",
    "name-dash-rf", "name-semicolon", "name-command-substitution", "name-space",
    "name-newline", "name-too-long", "uid-overflow", "uid-negative",
    "uid-float", "plaintext-password", "plaintext-authority-password",
    "secret-bad-env-name", "change-without-old-password", "remove-home-on-present-user",
    "empty-full-name", "bad-role", "bad-policy", "relative-shell", "missing-version",
    "future-version", "top-level-scalar",
]


class PythonBackend:
    name = "python jsonschema"

    def __init__(self):
        import jsonschema  # noqa: F401
        import yaml  # noqa: F401
        self.jsonschema = jsonschema
        self.yaml = yaml

    def load(self, path):
        with open(path, encoding="utf-8") as f:
            if path.endswith(".json"):
                return json.load(f)
            return self.yaml.safe_load(f)

    def errors(self, schema_path, instance_path):
        schema = self.load(schema_path)
        self.jsonschema.Draft7Validator.check_schema(schema)
        validator = self.jsonschema.Draft7Validator(schema)
        return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)", e.message)
                for e in validator.iter_errors(self.load(instance_path))]


class CheckJsonschemaBackend:
    name = "check-jsonschema"

    def __init__(self):
        self.exe = shutil.which("check-jsonschema")
        if not self.exe:
            raise ImportError("check-jsonschema not found")

    def errors(self, schema_path, instance_path):
        run = subprocess.run([self.exe, "--schemafile", schema_path, instance_path],
                             capture_output=True, text=True)
        return [] if run.returncode == 0 else [run.stdout + run.stderr]


# Bad enrollment files whose error a JSON Schema can express.
BAD_ENROLLMENTS = [
    "accord_enrollment: 1\nagent:\n  service_account: _jc\n  tokn_admin: {}\n",
    "accord_enrollment: 1\nusers:\n  \"j doe\": {}\n",
    "accord_enrollment: 1\nagent:\n  service_account: jcservice\n",
    "accord_enrollment: 1\nagent:\n  service_account: _jc\n  uid: 502\n",
    "accord_enrollment: 1\nagent:\n  service_account: _jc\n  token_admin:\n    user: admin\n"
    "    password: hunter2\n",
    "accord_enrollment: 1\nmdm: {name: X}\n",
    "accord_enrollment: 2\n",
]


def backend():
    for cls in (PythonBackend, CheckJsonschemaBackend):
        try:
            return cls()
        except ImportError:
            continue
    sys.exit("no JSON Schema validator: install python3-jsonschema and python3-yaml "
             "(Debian) or check-jsonschema (Homebrew)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--accord", required=True, help="the accord binary")
    parser.add_argument("--root", required=True, help="the source tree")
    args = parser.parse_args()
    os.chdir(args.root)
    v = backend()
    schemas = {name: os.path.join("schemas", name + ".schema.json")
               for name in ("desired-state", "device-snapshot", "plan", "local-state",
                            "apply-log", "fleet", "enrollment", "fleet-plan",
                            "enrollment-readiness", "plan-file", "review", "baseline")}
    failures = []
    checked = 0

    def expect_valid(schema, path):
        nonlocal checked
        checked += 1
        for error in v.errors(schemas[schema], path):
            failures.append("%s does not match %s: %s" % (path, schemas[schema], error))

    def expect_output(schema, argv):
        """`argv` exits 0 or 3 and prints a document `schema` accepts."""
        run = subprocess.run(argv, capture_output=True, text=True)
        if run.returncode not in (0, 3):
            failures.append("%s exited %d: %s" % (" ".join(argv[1:]), run.returncode, run.stderr))
            return
        doc = os.path.join(tmp, schema + ".out.json")
        with open(doc, "w", encoding="utf-8") as f:
            f.write(run.stdout)
        expect_valid(schema, doc)

    fleets = sorted(e for e in glob.glob("examples/*/") if os.path.exists(e + "fleet.yaml"))
    enrollment = "examples/enrollment/"
    examples = sorted(e for e in glob.glob("examples/*/") if e not in fleets and e != enrollment)
    if len(examples) < 5:
        failures.append("expected at least five examples, found %d" % len(examples))
    modeline = "# yaml-language-server: $schema=../../schemas/desired-state.schema.json"
    with tempfile.TemporaryDirectory() as tmp:
        # Fleets: the fleet file, every layer, and each Mac's JSON plan and
        # composed desired file as --out-dir writes them.
        for fleet in fleets:
            expect_valid("fleet", os.path.join(fleet, "fleet.yaml"))
            # The CI files and Fleet query specs are at least well-formed YAML.
            if hasattr(v, "yaml"):
                for extra in glob.glob(os.path.join(fleet, "**", "*.yml"), recursive=True) + \
                        glob.glob(os.path.join(fleet, ".*", "**", "*.yml"), recursive=True) + \
                        glob.glob(os.path.join(fleet, ".*.yml")):
                    try:
                        list(v.yaml.safe_load_all(open(extra, encoding="utf-8")))
                    except Exception as e:  # noqa: BLE001
                        failures.append("%s: not valid YAML: %s" % (extra, e))
            for layer in sorted(glob.glob(os.path.join(fleet, "layers", "*.yaml"))):
                expect_valid("desired-state", layer)
            if os.path.exists(os.path.join(fleet, "accepted-gaps.yaml")):
                expect_valid("baseline", os.path.join(fleet, "accepted-gaps.yaml"))
            out = os.path.join(tmp, "fleet-out")
            run = subprocess.run([args.accord, "plan", "--fleet", os.path.join(fleet, "fleet.yaml"),
                                  "--inventory", os.path.join(fleet, "inventory"), "--out-dir", out],
                                 capture_output=True, text=True)
            if run.returncode not in (0, 3) or not os.path.isdir(out):
                failures.append("%s: accord plan --fleet exited %d: %s" % (fleet, run.returncode, run.stderr))
                continue
            for name in sorted(os.listdir(out)):
                kind = ("plan" if name.endswith(".plan.json") else
                        "review" if name.endswith(".review.json") else "desired-state")
                expect_valid(kind, os.path.join(out, name))
            # The whole fleet plan as one document, and every Mac's readiness
            # to enroll where the fleet has an enrollment file.
            inventory = os.path.join(fleet, "inventory")
            expect_output("fleet-plan", [args.accord, "plan", "--fleet",
                                         os.path.join(fleet, "fleet.yaml"), "--inventory",
                                         inventory, "--format", "json"])
            enrollment_file = os.path.join(fleet, "enrollment.yaml")
            if os.path.exists(enrollment_file):
                expect_output("enrollment-readiness", [args.accord, "plan", "--enroll",
                                                       enrollment_file, "--inventory", inventory,
                                                       "--json"])
        for example in examples:
            desired = os.path.join(example, "desired.yaml")
            device = os.path.join(example, "device.json")
            with open(desired, encoding="utf-8") as f:
                if f.readline().rstrip("\n") != modeline:
                    failures.append("%s: first line must be the modeline %r" % (desired, modeline))
            expect_valid("desired-state", desired)
            expect_valid("device-snapshot", device)
            run = subprocess.run([args.accord, "plan", "-f", desired, "--device", device, "--json"],
                                 capture_output=True, text=True)
            if run.returncode not in (0, 3):
                failures.append("%s: accord plan exited %d: %s" % (example, run.returncode, run.stderr))
                continue
            plan = os.path.join(tmp, os.path.basename(example.rstrip("/")) + ".plan.json")
            with open(plan, "w", encoding="utf-8") as f:
                f.write(run.stdout)
            expect_valid("plan", plan)
            saved = os.path.join(tmp, "saved.plan")
            run = subprocess.run([args.accord, "plan", "-f", desired, "--device", device,
                                  "--out", saved], capture_output=True, text=True)
            if run.returncode not in (0, 3):
                failures.append("%s: accord plan --out exited %d: %s" % (example, run.returncode, run.stderr))
            else:
                expect_valid("plan-file", saved)
            copy = os.path.join(tmp, "device.json")
            shutil.copyfile(device, copy)
            os.chmod(copy, 0o600)
            env = dict(os.environ)
            for line in open(desired, encoding="utf-8"):
                if "{env: " in line:  # every referenced variable gets a value
                    for part in line.split("{env: ")[1:]:
                        env[part.split("}")[0].strip()] = "schema-check"
            run = subprocess.run([args.accord, "apply", "-f", desired, "--device", copy,
                                  "--auto-approve", "--json"],
                                 capture_output=True, text=True, env=env)
            record = os.path.join(tmp, os.path.basename(example.rstrip("/")) + ".apply.json")
            with open(record, "w", encoding="utf-8") as f:
                f.write(run.stdout)
            if not run.stdout.strip():
                failures.append("%s: accord apply --json printed nothing: %s" % (example, run.stderr))
                continue
            expect_valid("apply-log", record)

    # Enrollments: every enrollment file (with its modeline), each scenario's
    # snapshot, and the prediction's JSON against the plan schema.
    for path in sorted(glob.glob(enrollment + "**/*.yaml", recursive=True)) + \
            sorted(glob.glob("examples/*/enrollment.yaml")):
        depth = path.count("/")
        line = "# yaml-language-server: $schema=" + "../" * depth + "schemas/enrollment.schema.json"
        with open(path, encoding="utf-8") as f:
            if f.readline().rstrip("\n") != line:
                failures.append("%s: first line must be the modeline %r" % (path, line))
        expect_valid("enrollment", path)
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in sorted(glob.glob(enrollment + "*/")):
            device = os.path.join(scenario, "device.json")
            expect_valid("device-snapshot", device)
            run = subprocess.run([args.accord, "plan", "--enroll", os.path.join(scenario, "enrollment.yaml"),
                                  "--device", device, "--json"], capture_output=True, text=True)
            if run.returncode not in (0, 3):
                failures.append("%s: accord plan --enroll exited %d: %s" % (scenario, run.returncode, run.stderr))
                continue
            prediction = os.path.join(tmp, os.path.basename(scenario.rstrip("/")) + ".json")
            with open(prediction, "w", encoding="utf-8") as f:
                f.write(run.stdout)
            expect_valid("plan", prediction)
        # Bad enrollments the loader rejects (tests/cli/enroll_test.cc) and
        # the schema can express: the schema rejects them too.
        for i, text in enumerate(BAD_ENROLLMENTS):
            path = os.path.join(tmp, "bad-enrollment-%d.yaml" % i)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            checked += 1
            if not v.errors(schemas["enrollment"], path):
                failures.append("the schema accepts a bad enrollment the loader rejects:\n" + text)

    state = "tests/cli/golden/real-mac/state.json"
    if os.path.exists(state):
        expect_valid("local-state", state)
    else:
        failures.append("%s is missing (a fake-Mac test writes it)" % state)

    for name in SCHEMA_REJECTS:
        matches = glob.glob("tests/engine/load/bad/*-%s.yaml" % name)
        if len(matches) != 1:
            failures.append("bad input %r: expected one file, found %d" % (name, len(matches)))
            continue
        checked += 1
        if not v.errors(schemas["desired-state"], matches[0]):
            failures.append("%s: the loader rejects it but the schema accepts it" % matches[0])

    for failure in failures:
        print("FAIL " + failure)
    print("schemas: %d checks with %s, %d failed" % (checked, v.name, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
