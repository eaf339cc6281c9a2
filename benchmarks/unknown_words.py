"""Unknown words: ``check`` of 1,000 entries that each name a person, a place or a medicine the word
list does not know, beside the same 1,000 entries without those names (the baseline, same run).

    python -m benchmarks.unknown_words [--entries 1000] [--repeat 3]

Each run is ``malone-editor check REPO --format json --no-cache`` in a fresh process, as a user runs
it; the figure is the median of ``--repeat`` runs, the two trees alternating. The names are
generated (syllables for people and places, medicine-like stems and endings), distinct for every
entry, so no suggestion is found twice. The goal: with names, within 1.5x of without. The word
list's cached copy in the user's cache folder is made before the runs (it is made once per machine);
``--cold`` leaves it to the first run.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate

ONSETS = ["b", "ch", "d", "f", "g", "k", "l", "m", "n", "nk", "p", "r", "s", "sh", "t", "th", "v", "w", "y", "z"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ei"]
STEMS = ["dex", "lor", "ven", "tra", "quet", "pra", "mir", "ser", "flu", "zol", "cit", "bup", "nor", "ola"]
ENDINGS = ["azole", "oxetine", "apine", "pram", "idone", "afaxine", "triptyline", "amine"]


def name(rng: random.Random) -> str:
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(rng.randint(2, 4))).capitalize()


def medicine(rng: random.Random) -> str:
    return rng.choice(STEMS) + rng.choice(STEMS) + rng.choice(ENDINGS)


def sentence(rng: random.Random, used: set[str]) -> str:
    while True:
        kind = rng.randrange(3)
        word = medicine(rng) if kind == 2 else name(rng)
        if word.lower() not in used:
            used.add(word.lower())
            break
    return [f"Our midwife, {word}, says rest comes first.", f"Families in {word} told us the same.",
            f"If you take {word}, ask your doctor before you change the dose."][kind]


def with_names(source: Path, target: Path, seed: int = 11) -> Path:
    rng, used = random.Random(seed), set()
    shutil.copytree(source, target)
    for path in sorted(target.rglob("entries/**/*.md")):
        text = path.read_text(encoding="utf-8")
        # after the answer's first paragraph: prose the checks read, not the question
        text = re.sub(r"(\nA: [^\n]*)", lambda m: m.group(1) + " " + sentence(rng, used), text, count=1)
        path.write_text(text, encoding="utf-8")
    return target


def run_check(root: Path) -> tuple[float, dict]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "editor", "check", str(root), "--format", "json", "--no-cache"],
                          capture_output=True, text=True)
    took = time.perf_counter() - start
    return took, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="leave the word list's cached copy to the first run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        plain = generate(Path(scratch) / "plain", args.entries)
        named = with_names(plain, Path(scratch) / "named")
        if not args.cold:
            run_check(named)
        times: dict[str, list[float]] = {"plain": [], "named": []}
        found = {}
        for _ in range(args.repeat):
            for label, root in (("plain", plain), ("named", named)):
                took, report = run_check(root)
                times[label].append(took)
                found[label] = report["findings"]
    spelling = [f for f in found["named"] if f["rule"] == "misspelling"]
    plain, named = statistics.median(times["plain"]), statistics.median(times["named"])
    print(f"{args.entries} entries, whole-process check --no-cache, median of {args.repeat}")
    print(f"  without the names (baseline): {plain:.2f} s   runs {', '.join(f'{t:.2f}' for t in times['plain'])}")
    print(f"  with a name in each entry:    {named:.2f} s   runs {', '.join(f'{t:.2f}' for t in times['named'])}")
    print(f"  ratio {named / plain:.2f}x (goal: at most 1.5x); {len(spelling)} misspelling findings, "
          f"{sum(1 for f in spelling if 'suggestion' in f)} with a suggestion")


if __name__ == "__main__":
    main()
