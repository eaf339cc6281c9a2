"""Link Health with a 10,000-entry library: how soon the panel fills, beside the same run's
baseline, loading the library index (``build_index`` over the same entries).

    QT_QPA_PLATFORM=offscreen python -m benchmarks.link_panel [--entries 10000]

Figures (each the median of a few runs, in seconds):

- the panel fills in a real (offscreen) window: Check > Link Health chosen (once the loaded window
  is idle), to the panel showing its rows, with the link cache of an earlier start on disk (every
  start after the first);
- the same in a first start ever (no link cache: every body parsed, in worker processes);
- after a save: the saved file read again and the model rebuilt;
- after a pull (every file's size and time looked at, one changed);
- parsing every body with markdown-it on each refresh, as the command line's link report does
  (what the link index avoids), for comparison.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.timing import timed

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WORK = Path(__file__).resolve().parent / ".work"


def _library(count: int) -> Path:
    root = WORK / f"repo-{count}"
    if not (root / "entries").is_dir():
        from benchmarks.generate import generate

        generate(root, count)
    past = time.time() - 3600
    for path in root.rglob("*.md"):  # as a library is: written a while ago (not racily new)
        os.utime(path, (past, past))
    time.sleep(2.1)  # setting the times is a change too (ctime): let it age past the racy window
    return root


def core_figures(root: Path, repeat: int) -> dict[str, float]:
    from editor.checks import link_health, link_index
    from editor.checks.link_report import build_report
    from editor.content.entry import Entry
    from editor.content.index import build_index
    from editor.content.repository import Repository

    repo = Repository.open(root)
    paths = repo.paths
    baseline, rows = timed(lambda: build_index(root, paths), repeat)
    questions = {r.path: (r.question, r.module) for r in rows}
    cache_dir = Path(tempfile.mkdtemp(prefix="malone-link-bench-"))

    def model(index):
        return link_health.build(index, repo.registry, questions)

    def cold():
        shutil.rmtree(cache_dir / "links", ignore_errors=True)
        index = link_index.refresh(None, root, paths, link_index.ExtractCache(root, cache_dir))
        return index, model(index)

    cold_time, (index, _) = timed(cold, repeat)

    def warm():
        fresh = link_index.refresh(None, root, paths, link_index.ExtractCache(root, cache_dir))
        assert fresh.parsed == 0
        return model(fresh)

    warm_time, _ = timed(warm, repeat)
    saved = paths[len(paths) // 2]
    target = root / saved
    original = target.read_bytes()
    try:
        target.write_bytes(original + b"\nSee [more](?tab=modules&module=sleep).\n")

        def after_save():
            return model(link_index.refresh(index, root, paths, only=[saved]))

        save_time, _ = timed(after_save, repeat)

        def after_pull():
            return model(link_index.refresh(index, root, paths, link_index.ExtractCache(root, cache_dir)))

        pull_time, _ = timed(after_pull, repeat)
    finally:
        target.write_bytes(original)
    naive_time, _ = timed(lambda: build_report([Entry.load(root, p) for p in paths], repo.registry), 1)
    return {"baseline": baseline, "cold": cold_time, "warm": warm_time, "save": save_time, "pull": pull_time,
            "naive": naive_time}


def panel_fill(root: Path, first_start: bool) -> float:
    """A real window: Check > Link Health, to the panel's rows shown (the library already loaded)."""
    from benchmarks.ui import _wait
    from editor.app import create_main_window

    os.environ["MALONE_EDITOR_HOME"] = tempfile.mkdtemp(prefix="malone-bench-home-")  # the default layout
    if first_start:
        shutil.rmtree(Path(os.environ["XDG_CACHE_HOME"]) / "malone-editor" / "links", ignore_errors=True)
    window = create_main_window(root)
    window.show()
    _wait(lambda: window.session.loaded is not None, 120)
    # the writer asks once the window has settled (the full-text search index and git status read)
    _wait(lambda: window.session.tasks.pool.activeThreadCount() == 0, 120)
    view = window.link_health
    assert window.session.links.model is None  # nothing is built before it is asked for
    start = time.perf_counter()
    view.panel_action.trigger()
    _wait(lambda: view.panel.tree.topLevelItemCount() > 0, 300)
    took = time.perf_counter() - start
    window.close()
    window.session.tasks.wait(30000)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["MALONE_EDITOR_HOME"] = tempfile.mkdtemp(prefix="malone-bench-home-")
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="malone-bench-cache-")
    from editor.app import application

    application()
    root = _library(args.entries)
    figures = core_figures(root, args.repeat)
    first = statistics.median(panel_fill(root, first_start=True) for _ in range(args.repeat))
    later = statistics.median(panel_fill(root, first_start=False) for _ in range(args.repeat))
    base = figures["baseline"]
    n = f"{args.entries:,}"
    print(f"{'figure (' + n + ' entries)':<62}{'value':>9}{'baseline':>10}{'ratio':>7}{'goal':>8}")
    rows = [("Link Health fills, real window (link cache on disk)", later, "< 1 s"),
            ("Link Health fills, real window, first start ever", first, ""),
            ("model from the link cache (a new window), no window", figures["warm"], "< 1 s"),
            ("model after a save (the saved file read again)", figures["save"], ""),
            ("model after a pull (sizes and times of every file)", figures["pull"], ""),
            (f"model, first start ever (every body parsed, {os.cpu_count()} processes)", figures["cold"], ""),
            ("every body parsed with markdown-it per refresh (link report)", figures["naive"], "")]
    for label, value, goal in rows:
        print(f"{label:<62}{value:>8.2f}s{base:>9.2f}s{value / base:>7.2f}{goal:>8}")
    print("(baseline: loading the library index, build_index over the same entries, same run, median)")


if __name__ == "__main__":
    main()
