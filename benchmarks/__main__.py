"""Every speed figure, each beside its same-run baseline: one command.

    python -m benchmarks [--entries 10000] [--repeat 3]

Runs each part in its own process (a fresh interpreter, as a user's would be), one after the
other so they do not compete for the machine:

- benchmarks.run        check (cold, cached, one entry), language checks per 400 words
- benchmarks.language_cost  the language checks of the corpus's typical entries beside their parse
- benchmarks.startup    editor start to first paint, peak memory with the index loaded
- benchmarks.ui         keystrokes and preview, typical and 100 KB entries; the editor at 50,000 entries
- benchmarks.check_all  Check All Entries in the editor beside `malone-editor check`, cold and cached
- benchmarks.links      web links: concurrency and cache
- benchmarks.git_status status of 10,000 files through the tool vs git
- benchmarks.review_diff changes since approval, typical and 100 KB entries
- benchmarks.board      the review board of the library vs loading its index
- benchmarks.link_panel the Link Health panel filling, beside loading the library index
- benchmarks.hostile    check of 1,000 entries beside hostile ones, beside the 1,000 alone
- benchmarks.verify_history  check --verify-history over 10,000 commits beside one git log
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parts = [["benchmarks.run", "--entries", str(args.entries), "--repeat", str(args.repeat)],
             ["benchmarks.startup", "--entries", str(args.entries), "--repeat", str(max(args.repeat, 5))],
             ["benchmarks.language_cost"], ["benchmarks.ui", "--entries", str(args.entries)],
             ["benchmarks.check_all", "--entries", str(args.entries)], ["benchmarks.links"], ["benchmarks.git_status"],
             ["benchmarks.review_diff"], ["benchmarks.board", "--entries", str(args.entries)],
             ["benchmarks.link_panel", "--entries", str(args.entries), "--repeat", str(args.repeat)],
             ["benchmarks.hostile"], ["benchmarks.verify_history", "--repeat", str(args.repeat)]]
    failed = 0
    for part in parts:
        print(f"\n== {part[0]}", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", *part], env=env)
        failed += result.returncode != 0
        print(f"   ({time.perf_counter() - start:.0f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
