"""The review board of a 10,000-entry library, beside loading the library's index in the same run.

    python -m benchmarks.board [--entries 10000] [--commits 50] [--repeat 5]

The library is ``benchmarks/generate.py``'s, committed in a git repository; then ``--commits`` more
commits, each changing 1% of the entries, some as review steps (Request review, Approve, Request
changes subjects), so the one ``git log`` pass has a history to read. Figures (medians):

- baseline: ``build_index`` over the same entries (what loading the library costs the editor);
- the board, cold: ``build_board`` with nothing cached (rev-parse, identity, git log, git status,
  open comments, the cards);
- the board, warm: HEAD has not moved (the git log of the last build is reused), as after a save;
- in the editor's window (offscreen): from the library loaded (``libraryChanged``) to the board
  shown, and from a change to the board shown again, the 150 ms that coalesce a burst of changes
  included; and the longest the board's own work held the UI thread (``--no-window`` leaves these out).
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from benchmarks.generate import generate
from benchmarks.timing import timed
from editor.content.index import build_index
from editor.content.repository import Repository
from editor.vcs.board import build_board

WORK = Path(__file__).resolve().parent / ".work"
SUBJECTS = ("Edit the answer", "Request review: a question", "Approve: a question", "Request changes: a question",
            "Add sources")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=Bench Writer", "-c", "user.email=bench@example.org",
                    *args], check=True, capture_output=True)


def library(entries: int, commits: int) -> Path:
    root = WORK / f"board-{entries}-{commits}"
    if (root / ".git").is_dir():
        return root
    if root.exists():
        shutil.rmtree(root)
    generate(root, entries)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.name", "Bench Writer")
    _git(root, "config", "user.email", "bench@example.org")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Library")
    paths = sorted(p.relative_to(root).as_posix() for p in (root / "entries").rglob("*.md"))
    rng = random.Random(17)
    for number in range(commits):
        chosen = rng.sample(paths, k=max(1, len(paths) // 100))
        for path in chosen:
            with open(root / path, "a", encoding="utf-8") as handle:
                handle.write(f"\nRevised in round {number}.\n")
        _git(root, "commit", "-q", "-am", SUBJECTS[number % len(SUBJECTS)])
    return root




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-window", action="store_true")
    args = parser.parse_args()
    print(f"{'figure':<58}{'value':>10}{'baseline':>11}{'ratio':>8}{'goal':>9}")
    for commits in sorted({0, args.commits}):
        root = library(args.entries, commits)
        repo = Repository.open(root)
        today = dt.date.today()
        index_time, rows = timed(lambda: build_index(repo.root, repo.paths), args.repeat)
        cold, board = timed(lambda: build_board(repo.root, rows, repo.settings, today=today), args.repeat)
        history = board.history
        warm, _ = timed(lambda: build_board(repo.root, rows, repo.settings, today=today, history=history),
                              args.repeat)
        assert board.count == len(rows) == args.entries, (board.count, len(rows))
        history_size = f"{commits + 1} commit" + ("s" if commits else "")
        for label, value in ((f"board of {args.entries:,} entries, {history_size}, cold", cold),
                             (f"board of {args.entries:,} entries, {history_size}, HEAD unmoved", warm)):
            print(f"{label:<58}{value * 1000:>8.0f}ms{index_time * 1000:>9.0f}ms{value / index_time:>8.2f}"
                  f"{'< 1 s':>9}")
        if not args.no_window:
            first, again, held = in_window(root)
            for label, value in (("  in the window: library loaded to board shown", first),
                                 ("  in the window: a change to the board shown again", again)):
                print(f"{label:<58}{value * 1000:>8.0f}ms{index_time * 1000:>9.0f}ms{value / index_time:>8.2f}"
                      f"{'< 1 s':>9}")
            print(f"{'  the UI thread held by the board at most':<58}{held * 1000:>8.1f}ms{'':>19}{'< 16 ms':>9}")


def in_window(root: Path) -> tuple[float, float, float]:
    """Open the editor's window on ``root`` (offscreen): the time from the library loaded to the
    board shown, from a change (``repositoryChanged``) to the board shown again (median of 3), and
    the longest the board's own work held the UI thread (showing the cards, the Review menu's rights)."""
    import os
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["MALONE_EDITOR_HOME"] = tempfile.mkdtemp(prefix="board-bench-")
    os.environ["XDG_CONFIG_HOME"] = os.environ["MALONE_EDITOR_HOME"]
    from PySide6.QtCore import QEventLoop, QTimer

    from editor.app import application, create_main_window
    from editor.ui import review_board, review_menu

    held = [0.0]

    def timed(method):
        def run(*args, **kwargs):
            begun = time.perf_counter()
            result = method(*args, **kwargs)
            held[0] = max(held[0], time.perf_counter() - begun)
            return result
        return run

    review_board.ReviewBoardPanel.show_board = timed(review_board.ReviewBoardPanel.show_board)
    review_menu.ReviewMenu.update_rights = timed(review_menu.ReviewMenu.update_rights)
    app = application()
    window = create_main_window(root)
    window.show()
    marks: dict[str, float] = {}
    window.session.libraryChanged.connect(lambda: marks.setdefault("loaded", time.perf_counter()))
    feed = window.git.review.feed

    def wait_for_board() -> float:
        loop = QEventLoop()
        feed.changed.connect(loop.quit)
        QTimer.singleShot(120_000, loop.quit)
        loop.exec()
        feed.changed.disconnect(loop.quit)
        return time.perf_counter()

    first = wait_for_board() - marks["loaded"]
    again = []
    for _ in range(3):
        begun = time.perf_counter()
        window.session.repositoryChanged.emit()
        again.append(wait_for_board() - begun)
    window.session.discard_changes()
    window.close()
    window.session.tasks.wait(10_000)
    app.processEvents()
    return first, statistics.median(again), held[0]


if __name__ == "__main__":
    main()
