"""Check All Entries in the editor beside the command line's ``malone-editor check``, on the same
generated library, cold (no check cache) and again with the cache, in the same run (issue 20).

    QT_QPA_PLATFORM=offscreen python -m benchmarks.check_all [--entries 10000] [--repeat 2]

The command line is a fresh process (``python -m editor check --format json``), its start-up
included, as a user or CI runs it. The editor's figure is from Check All to its findings shown in
Problems (and the entry list's marks), the library already loaded, as a writer meets it; and the
longest the UI thread was held meanwhile. Both use the same cache folder (``XDG_CACHE_HOME``, a
temporary one here), emptied before each cold run."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def command_line(root: Path) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "editor", "check", str(root), "--format", "json"],
                            capture_output=True, text=True, env=dict(os.environ))
    took = time.perf_counter() - start
    return took, len(json.loads(result.stdout)["findings"])


def in_editor(window) -> tuple[float, int, float]:
    from benchmarks.ui_scale import Gaps, wait

    session = window.session
    gaps = Gaps()
    gaps.start()
    start = time.perf_counter()
    window.check_all()
    wait(lambda: not session.checking_all and session.repo_findings is not None
         and window.problems.scope == "repository", 600)
    took = time.perf_counter() - start
    return took, len(session.repo_findings), gaps.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    cache_home = Path(tempfile.mkdtemp(prefix="malone-bench-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(cache_home)
    os.environ.setdefault("MALONE_EDITOR_HOME", tempfile.mkdtemp(prefix="malone-bench-home-"))
    from benchmarks.ui_scale import idle, library, wait
    from editor.app import application, create_main_window

    root = library(args.entries)
    application()
    window = create_main_window(root)
    window.show()
    session = window.session
    # the library loaded and what follows it done (the list, the search): Check All then has the
    # machine's cores to itself, as the command line does
    wait(lambda: session.loaded is not None and session.entry_list.ready and session.files.search.ready, 900)
    idle(5.0)
    rows: dict[str, list[tuple[float, float]]] = {"cold": [], "cached": []}
    gaps: dict[str, list[float]] = {"cold": [], "cached": []}
    counts = set()
    print(f"load average: {os.getloadavg()[0]:.1f} (2 cores); {args.entries:,} entries")
    for _ in range(args.repeat):
        for kind in ("cold", "cached"):
            if kind == "cold":
                shutil.rmtree(cache_home / "malone-editor" / "checks", ignore_errors=True)
            cli, cli_findings = command_line(root)
            if kind == "cold":
                shutil.rmtree(cache_home / "malone-editor" / "checks", ignore_errors=True)
            editor, editor_findings, gap = in_editor(window)
            counts.add((cli_findings, editor_findings))
            rows[kind].append((editor, cli))
            gaps[kind].append(gap)
    window.close()
    window.session.tasks.wait(60000)
    print(f"{'Check All Entries':<36}{'editor':>10}{'command line':>14}{'ratio':>8}{'goal':>8}{'UI thread held':>16}")
    for kind in ("cold", "cached"):
        editor = statistics.median(e for e, _ in rows[kind])
        cli = statistics.median(c for _, c in rows[kind])
        print(f"{kind:<36}{editor:>9.2f}s{cli:>13.2f}s{editor / cli:>8.2f}{'<= 1.2':>8}{max(gaps[kind]):>13.0f} ms")
    print(f"(findings, command line and editor: {sorted(counts)}; medians of {args.repeat} runs, "
          "the command line's process start-up included)")


if __name__ == "__main__":
    main()
