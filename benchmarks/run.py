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
from editor.checks.runner import check_repository, context_for
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


def full_check(root: Path, cache=None) -> int:
    report = check_repository(Repository.open(root), cache=cache)
    return len(report.findings)


def warm_check(root: Path, repeat: int) -> float:
    """``check`` again after one entry changed, with the cache a first run left: a different
    entry changes each time, so every run has something to check."""
    import datetime as dt
    import shutil

    from editor.checks.cache import CheckCache

    folder = WORK / "cache"
    shutil.rmtree(folder, ignore_errors=True)
    full_check(root, CheckCache(root, dt.date.today(), True, folder))
    paths = sorted((root / "entries").rglob("*.md"))
    times = []
    for number in range(repeat):
        target = paths[number * 997 % len(paths)]
        original = target.read_bytes()
        target.write_bytes(original + b"\nOne more line, changed for the benchmark.\n")
        try:
            start = time.perf_counter()
            full_check(root, CheckCache(root, dt.date.today(), True, folder))
            times.append(time.perf_counter() - start)
        finally:
            target.write_bytes(original)
    return statistics.median(times)


def single_entry(root: Path, repeat: int = 50, entry: tuple[str, str] | None = None) -> tuple[float, float]:
    """What the editor does when typing pauses: check the open entry's text inside ``root``
    (the other entries' ids come from the index), and markdown-it-py parsing that text alone; ms.
    ``entry``: (path, text) to check, so two repositories can be compared on the same entry."""
    from editor.content.index import build_index
    from editor.session.library import check_text, ids_of

    repo = Repository.open(root)
    ctx, _ = context_for(repo)
    rows = build_index(repo.root, repo.paths)
    path = repo.paths[len(repo.paths) // 2]
    others = ids_of(rows)
    text = (root / path).read_text(encoding="utf-8") + "\nA sentence typed just now.\n"
    if entry is not None:
        path, text = entry
    md = MarkdownIt("commonmark")
    check_text(ctx, path, text, others)
    checks, parses = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        check_text(ctx, path, text, others)
        checks.append(time.perf_counter() - start)
        start = time.perf_counter()
        md.parse(text)
        parses.append(time.perf_counter() - start)
    return statistics.median(checks) * 1000, statistics.median(parses) * 1000


def language_cost(root: Path, sample: int, repeat: int, words_between: tuple[int, int] | None = None,
                  ) -> tuple[float, float, float, float]:
    """Per entry: markdown-it parse alone, all checks without the language rules, and with them,
    and the entries' mean length in words. With ``words_between``, only entries of that length
    are measured, as they are; otherwise every entry, scaled to 400 words an entry."""
    from editor.checks.runner import check_entry, context_for
    from editor.content.entry import Entry

    repo = Repository.open(root)
    ctx_lang, _ = context_for(repo)
    ctx_plain, _ = context_for(repo, language=False)
    raws = [(p, (root / p).read_bytes()) for p in repo.paths]
    lengths = {p: len(Entry.from_bytes(p, r).body.split()) for p, r in raws}
    if words_between:
        raws = [(p, r) for p, r in raws if words_between[0] <= lengths[p] <= words_between[1]]
    raws = raws[:sample]
    words = sum(lengths[p] for p, _ in raws) / len(raws)
    md = MarkdownIt("commonmark")

    def parse_only():
        for _, raw in raws:
            md.parse(raw.decode("utf-8"))

    def run(ctx):
        for path, raw in raws:
            check_entry(Entry.from_bytes(path, raw), ctx)

    run(ctx_lang)  # load the word list and compile the rules once
    times: dict[str, list[float]] = {"parse": [], "plain": [], "full": []}
    for _ in range(repeat):  # interleaved, so a busy moment of the machine hits all three alike
        for name, func in (("parse", parse_only), ("plain", lambda: run(ctx_plain)), ("full", lambda: run(ctx_lang))):
            start = time.process_time()  # CPU time of this process: what the checks cost, not the neighbours
            func()
            times[name].append((time.process_time() - start) / len(raws) * 1000)
    # the least of several interleaved runs: interference only ever adds time
    parse, plain, full = (min(times[n]) for n in ("parse", "plain", "full"))
    scale = 1.0 if words_between else 400 / words
    return parse * scale, plain * scale, full * scale, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = WORK / f"repo-{args.entries}"
    generate(root, args.entries)  # fresh each run: the generator is deterministic and fast
    findings = full_check(root)  # warm the file cache once for both sides
    baseline_parse(root)
    base = median_time(lambda: baseline_parse(root), args.repeat)
    check = median_time(lambda: full_check(root), args.repeat)
    print(f"entries: {args.entries}  (findings: {findings})")
    print(f"{'figure':<44}{'value':>10}{'baseline':>11}{'ratio':>8}{'goal':>8}")
    print(f"{'full offline check vs markdown-it-py parse':<44}{check:>9.2f}s{base:>10.2f}s{check / base:>8.2f}"
          f"{'<= 2.0':>8}")
    warm = warm_check(root, args.repeat)
    print(f"{'check again after one entry changed (cache)':<44}{warm:>9.2f}s{check:>10.2f}s{warm / check:>8.3f}"
          f"{'<= 0.05':>8}")
    small = WORK / "repo-100"
    generate(small, 100)
    repo = Repository.open(root)
    middle = repo.paths[len(repo.paths) // 2]
    typed = (middle, (root / middle).read_text(encoding="utf-8") + "\nA sentence typed just now.\n")
    one_big, parse_big = single_entry(root, entry=typed)
    one_small, _ = single_entry(small, entry=typed)  # the same entry, in a library a hundredth the size
    print(f"{'check one edited entry, 10,000-entry repo':<44}{one_big:>8.2f}ms{parse_big:>9.2f}ms"
          f"{one_big / parse_big:>8.1f}{'<= 20 ms':>8}")
    print(f"{'check one edited entry, 100-entry repo':<44}{one_small:>8.2f}ms{'':>11}{'':>8}{'same':>8}")
    parse, plain, full, words = language_cost(root, 700, max(args.repeat, 5), (350, 450))
    print(f"{'language checks added, typical entry (ms)':<44}{full - plain:>9.2f} {parse:>10.2f} {'':>8}{'<= 1 ms':>8}")
    print(f"  ({words:.0f}-word entries, 350 to 450 words, as they are: parse {parse:.2f} ms, all other checks"
          f" {plain:.2f} ms, with language {full:.2f} ms)")
    parse, plain, full, words = language_cost(root, 1000, max(args.repeat, 5))
    print(f"  (every entry, scaled from {words:.0f} words to 400: language checks add {full - plain:.2f} ms"
          f" beside a parse of {parse:.2f} ms)")


if __name__ == "__main__":
    main()
