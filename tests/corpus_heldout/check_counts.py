#!/usr/bin/env python3
"""Sanity check for the held-out corpus labels.

Parses expected.yaml, checks that every listed file exists and that every listed
line holds the listed phrase (case-insensitive, Markdown emphasis markers * and _
ignored; the phrase must sit on its listed line, wrapping is not allowed), then
prints counts per family and totals. Exit status 1 on any mismatch.
"""
import collections
import pathlib
import re
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
FAMILIES = {"suicide-language", "mental-illness-label", "minimising", "shaming", "substance-use",
            "disability", "birth-language", "command", "plain-language", "safety-missing-resource"}


def main():
    data = yaml.safe_load((HERE / "expected.yaml").read_text(encoding="utf-8"))
    items = data["defects"]
    errors = []
    per_family = collections.Counter()
    per_file = collections.Counter()
    seen = set()
    for n, it in enumerate(items, 1):
        path = HERE / it["file"]
        if not path.is_file():
            errors.append(f"item {n}: missing file {it['file']}")
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        line = it["line"]
        if not (1 <= line <= len(lines)):
            errors.append(f"item {n}: {it['file']} has no line {line}")
            continue
        text = re.sub(r"[*_]", "", lines[line - 1]).lower()
        if it["phrase"].lower() not in text:
            errors.append(f"item {n}: {it['file']}:{line} lacks {it['phrase']!r}")
        if it["family"] not in FAMILIES:
            errors.append(f"item {n}: unknown family {it['family']}")
        if (it["file"], line) in seen:
            errors.append(f"item {n}: second item on {it['file']}:{line}")
        seen.add((it["file"], line))
        for key in ("better", "source"):
            if not it.get(key):
                errors.append(f"item {n}: empty {key}")
        per_family[it["family"]] += 1
        per_file[it["file"]] += 1
    for fam in sorted(per_family):
        print(f"{fam:26} {per_family[fam]}")
    n_defect_files = len(list((HERE / "defects").glob("*.md")))
    n_clean = len(list((HERE / "clean").glob("*.md")))
    print(f"{'TOTAL planted':26} {len(items)}")
    print(f"defect entries: {n_defect_files} ({len(per_file)} with labels); clean entries: {n_clean}")
    for e in errors:
        print("ERROR:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
