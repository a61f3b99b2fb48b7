#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The include graph of engine/ and providers/ points down (STYLE, "The shape
of Accord"): a folder includes only folders of a lower layer, or itself, so
no folder includes one above it and no two folders include each other.

Usage: check_layers.py SOURCE_DIR. Prints every include that breaks the
order (file:line, the folder it reaches) and exits 1; exits 0 when there
is none. A folder missing from LAYERS is an error too, so a new folder has
to be placed before it can be used."""

import pathlib
import re
import sys

# Lowest first. Folders on one line share a layer and must not include each
# other.
LAYERS = [
    ["core"],
    ["model"],
    ["safety", "load"],
    ["plan"],
    ["apply", "enroll", "fleet"],
    ["state", "render"],
    ["macos", "osquery", "sim"],
    ["inventory"],
    ["cli"],
]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/')


def main(root: pathlib.Path) -> int:
    rank = {folder: i for i, layer in enumerate(LAYERS) for folder in layer}
    problems = []
    seen = 0
    for top in ("engine", "providers"):
        for path in sorted((root / top).rglob("*")):
            if path.suffix not in (".h", ".cc") or not path.is_file():
                continue
            rel = path.relative_to(root / top)
            if len(rel.parts) < 2:
                continue  # a top-level file (providers/provider.h) belongs to no folder
            folder = rel.parts[0]
            if folder not in rank:
                problems.append(f"{top}/{rel}: folder '{folder}' has no layer in check_layers.py")
                continue
            seen += 1
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                m = INCLUDE.match(line)
                if not m or m.group(1) == folder:
                    continue
                target = m.group(1)
                if target not in rank:
                    continue  # not one of ours (a library's own folder)
                if rank[target] >= rank[folder]:
                    how = "the same layer" if rank[target] == rank[folder] else "a layer above"
                    problems.append(
                        f"{top}/{rel}:{number}: {folder}/ includes {target}/, {how}")
    for p in problems:
        print(p)
    if problems:
        print(f"layers: {len(problems)} include(s) break the order "
              + " < ".join("{" + ", ".join(layer) + "}" for layer in LAYERS))
        return 1
    print(f"layers: {seen} files, every include points down")
    return 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
