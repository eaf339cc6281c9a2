"""The library at scale: each whole-process command at 10,000 and 50,000 entries beside a baseline
measured in the same run.

    python -m benchmarks.scale [--sizes 10000 50000] [--repeat 3]

- **Re-check after one edit** (what CI, the pre-commit hook and a terminal user run): ``check REPO``
  in a fresh process with a warm cache after one entry changed, beside a fresh Python process that
  walks the library and reads and hashes every file (the baseline). Goal: at most 2x.
- **Naming a folder**: ``check REPO entries`` with a warm cache, beside ``check REPO``: path
  selection must add next to nothing.
- **review queue** and **links**: wall time and peak memory, beside a fresh process that reads
  every entry's frontmatter (``Entry.load``, none kept). Goals: the queue within 2x and under 300 MB
  at 50,000 entries; links under 500 MB.

- **Start-up**: ``check`` of a one-entry library in a fresh process, unchanged and after an edit,
  beside a bare Python process: the constant the re-check pays.

Each figure is the median of ``--repeat`` runs; peak memory is the largest process's. The
libraries are generated (``benchmarks/generate.py``) into ``benchmarks/.work/scale``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.generate import generate

WORK = Path(__file__).resolve().parent / ".work" / "scale"
ROOT = Path(__file__).resolve().parents[1]

READ_ALL = """
import hashlib, os, sys
for folder, _, names in os.walk(os.path.join(sys.argv[1], "entries")):
    for name in names:
        with open(os.path.join(folder, name), "rb") as file:
            hashlib.blake2b(file.read()).digest()
"""
FRONTMATTER_ALL = """
import sys
from editor.content.repository import Repository
from editor.content.entry import Entry
repo = Repository.open(sys.argv[1])
for path in repo.paths:
    Entry.load(repo.root, path).meta
"""


def measured(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak MB of ``command`` run in a child that reports them."""
    probe = ("import json, resource, subprocess, sys, time\n"
             "start = time.perf_counter(); subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
             "print(json.dumps([time.perf_counter() - start,"
             " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))")
    done = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, cwd=ROOT, env=env)
    wall, rss = json.loads(done.stdout)
    return wall, rss


def median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "editor", *args]


def run_size(size: int, repeat: int) -> list[tuple[str, str, str]]:
    library = WORK / f"lib-{size}"
    if not (library / "entries").is_dir() or len(list((library / "entries").rglob("*.md"))) != size:
        generate(library, size)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled once, as pip does
    cache = WORK / f"cache-{size}"
    env["XDG_CACHE_HOME"] = str(cache)
    for _ in range(2):  # warm: the first run fills the cache, the second also keeps each file's stamp
        subprocess.run(cli("check", str(library), "--format", "json"), env=env, stdout=subprocess.DEVNULL)
    edited = sorted((library / "entries").rglob("*.md"))[size // 2]
    rows = []
    read, recheck, folder, whole = [], [], [], []
    for number in range(repeat):
        read.append(measured([sys.executable, "-c", READ_ALL, str(library)], env))
        with open(edited, "a", encoding="utf-8") as file:
            file.write(f"\nOne more line, edit {time.time_ns()}.\n")
        recheck.append(measured(cli("check", str(library), "--format", "json"), env))
        whole.append(measured(cli("check", str(library), "--format", "json"), env))
        folder.append(measured(cli("check", str(library), "entries", "--format", "json"), env))
    base, again, same = median(read)[0], median(recheck), median(whole)
    rows.append((f"re-check after one edit, {size:,}", f"{again[0]:.2f} s, {again[1]:.0f} MB",
                 f"read and hash every file {base:.2f} s ({again[0] / base:.1f}x)"))
    rows.append((f"re-check of an unchanged library, {size:,}", f"{same[0]:.2f} s",
                 f"read and hash every file {base:.2f} s ({same[0] / base:.1f}x)"))
    named, plain = median(folder)[0], median(whole)[0]
    rows.append((f"check REPO entries (warm cache), {size:,}", f"{named:.2f} s",
                 f"check REPO {plain:.2f} s (+{named - plain:.2f} s)"))
    front = median([measured([sys.executable, "-c", FRONTMATTER_ALL, str(library)], env) for _ in range(repeat)])
    queue = median([measured(cli("review", "queue", str(library)), env) for _ in range(repeat)])
    rows.append((f"review queue, {size:,}", f"{queue[0]:.2f} s, {queue[1]:.0f} MB",
                 f"read every frontmatter {front[0]:.2f} s, {front[1]:.0f} MB ({queue[0] / front[0]:.1f}x)"))
    links_cold = measured(cli("links", str(library), "--no-cache"), env)
    links = median([measured(cli("links", str(library)), env) for _ in range(repeat)])
    rows.append((f"links, {size:,}", f"{links[0]:.2f} s, {links[1]:.0f} MB (no cache: {links_cold[0]:.2f} s, "
                 f"{links_cold[1]:.0f} MB)", f"read every frontmatter {front[0]:.2f} s"))
    return rows


def start_up(repeat: int) -> list[tuple[str, str, str]]:
    """The constant of a fresh ``check``: a library of one entry, warm cache, beside a bare Python."""
    library = WORK / "lib-1"
    if not (library / "entries").is_dir():
        generate(library, 1)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["XDG_CACHE_HOME"] = str(WORK / "cache-1")
    for _ in range(2):
        subprocess.run(cli("check", str(library), "--format", "json"), env=env, stdout=subprocess.DEVNULL)
    edited = sorted((library / "entries").rglob("*.md"))[0]
    bare = median([measured([sys.executable, "-c", "pass"], env) for _ in range(repeat)])[0]
    same = median([measured(cli("check", str(library), "--format", "json"), env) for _ in range(repeat)])[0]
    changed = []
    for _ in range(repeat):
        with open(edited, "a", encoding="utf-8") as file:
            file.write(f"\nOne more line, edit {time.time_ns()}.\n")
        changed.append(measured(cli("check", str(library), "--format", "json"), env))
    return [("start-up: check of a one-entry library, unchanged", f"{same:.2f} s",
             f"a bare Python process {bare:.2f} s"),
            ("start-up: the same after an edit of its entry", f"{median(changed)[0]:.2f} s",
             f"a bare Python process {bare:.2f} s")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"load {os.getloadavg()[0]:.2f}; medians of {args.repeat}; peak memory of the largest process")
    print("| run | figure | baseline (same run) |\n|---|---|---|")
    for row in start_up(args.repeat):
        print(f"| {row[0]} | {row[1]} | {row[2]} |", flush=True)
    for size in args.sizes:
        for row in run_size(size, args.repeat):
            print(f"| {row[0]} | {row[1]} | {row[2]} |", flush=True)


if __name__ == "__main__":
    main()
