"""Speed figures, each beside a baseline measured in the same run on the same files.

    python -m benchmarks.run [--entries 10000] [--repeat 3]

Machines here are shared and noisy, so every figure is a median of several runs and is judged
only against its same-run baseline.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from markdown_it import MarkdownIt

from benchmarks.generate import generate
from editor.checks.runner import check_repository
from editor.content.repository import Repository

WORK = Path(__file__).resolve().parent / ".work"


def median_time(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def baseline_parse(root: Path) -> None:
    md = MarkdownIt("commonmark")
    for path in sorted((root / "entries").rglob("*.md")):
        md.parse(path.read_text(encoding="utf-8"))


def full_check(root: Path) -> int:
    report = check_repository(Repository.open(root))
    return len(report.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = WORK / f"repo-{args.entries}"
    if not (root / "entries").is_dir() or len(list((root / "entries").rglob("*.md"))) != args.entries:
        generate(root, args.entries)
    findings = full_check(root)  # warm the file cache once for both sides
    baseline_parse(root)
    base = median_time(lambda: baseline_parse(root), args.repeat)
    check = median_time(lambda: full_check(root), args.repeat)
    print(f"entries: {args.entries}  (findings: {findings})")
    print(f"{'figure':<44}{'value':>10}{'baseline':>11}{'ratio':>8}{'goal':>8}")
    print(f"{'full offline check vs markdown-it-py parse':<44}{check:>9.2f}s{base:>10.2f}s{check / base:>8.2f}"
          f"{'<= 2.0':>8}")


if __name__ == "__main__":
    main()
