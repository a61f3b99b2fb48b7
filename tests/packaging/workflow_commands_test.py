#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Every Accord command a CI workflow runs (the project's own and the GitOps
# examples', GitHub and GitLab alike) is one the README documents and the
# program accepts: each verb appears in the README as `accord VERB`, and
# each of its --flags both in the README and in `accord VERB --help`.
# Usage: workflow_commands_test.py SOURCE_DIR ACCORD_BINARY
import glob
import os
import re
import subprocess
import sys

import yaml

# `accord`, `./build/accord`, `sudo accord`: a verb (or a top-level flag),
# then the rest of the command up to a shell operator or the line's end.
INVOCATION = re.compile(
    r"(?:^|(?<=[\s;&|(]))(?:sudo\s+)?(?:\./build/)?accord[ \t]+([a-z][a-z-]*|--[a-z-]+)([^\n;&|)]*)")
FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)")
# What may stand before a command on its line (`<!-- accord fleet plan -->`
# in a string is not one).
COMMAND_START = re.compile(r"(^|&&|\|\||[;|(]|\$\(|\b(then|do|else|if|time)|!)\s*$")


def github_commands(doc):
    for job in (doc.get("jobs") or {}).values():
        for step in job.get("steps") or []:
            if isinstance(step, dict) and isinstance(step.get("run"), str):
                yield step["run"]


def gitlab_commands(doc):
    for name, job in doc.items():
        if not isinstance(job, dict) or name.startswith("."):
            continue
        for key in ("before_script", "script", "after_script"):
            lines = job.get(key) or []
            for line in [lines] if isinstance(lines, str) else lines:
                if isinstance(line, str):
                    yield line


def invocations(text):
    text = text.replace("\\\n", " ")  # continued lines are one command
    for match in INVOCATION.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not COMMAND_START.search(text[line_start:match.start()]):
            continue
        word, rest = match.group(1), match.group(2)
        if word.startswith("--"):
            yield "", [word] + FLAG.findall(rest)
        else:
            yield word, FLAG.findall(rest)


def main():
    source, accord = sys.argv[1], sys.argv[2]
    readme = open(os.path.join(source, "README.md"), encoding="utf-8").read()
    files = sorted(
        glob.glob(os.path.join(source, ".github/workflows/*.yml")) +
        glob.glob(os.path.join(source, "examples/gitops/.github/workflows/*.yml")) +
        glob.glob(os.path.join(source, "examples/gitops/ci-matrix/*.yml")) +
        [os.path.join(source, "examples/gitops/.gitlab-ci.yml")])
    problems, seen = [], 0
    helps = {}
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        name = os.path.relpath(path, source)
        # PyYAML reads GitHub's `on:` as the boolean True.
        is_github = "jobs" in doc and ("on" in doc or True in doc)
        commands = github_commands(doc) if is_github else gitlab_commands(doc)
        for command in commands:
            for verb, flags in invocations(command):
                seen += 1
                if verb and not re.search(r"accord " + re.escape(verb) + r"\b", readme):
                    problems.append(f"{name}: `accord {verb}` is not in the README")
                if verb not in helps:
                    argv = [accord] + ([verb] if verb else []) + ["--help"]
                    helps[verb] = subprocess.run(argv, capture_output=True, text=True).stdout
                for flag in flags:
                    if flag not in readme:
                        problems.append(f"{name}: `accord {verb} {flag}`: {flag} is not in the README")
                    if flag not in ("--help", "--version") and flag not in helps[verb]:
                        problems.append(f"{name}: `accord {verb}` has no {flag}")
    if seen < 10:
        problems.append(f"only {seen} Accord commands found in {len(files)} workflows")
    for p in problems:
        print(p)
    print(f"{seen} Accord commands in {len(files)} workflows: "
          f"{'all documented' if not problems else str(len(problems)) + ' problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
