"""Where the time goes: pyinstrument profiles of the measured paths, as text.

    python -m benchmarks.profile check [--entries 1000]   # one worker's share of a full check
    python -m benchmarks.profile entry                     # checking one entry, as when typing pauses
    python -m benchmarks.profile start                     # the editor's start, to the first paint

(pip install -e '.[bench]' for pyinstrument.) These profiles led to the changes the README's
Speed section lists.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.generate import generate

WORK = Path(__file__).resolve().parent / ".work"


def _profile(func) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    func()
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def profile_check(entries: int) -> None:
    from editor.checks.runner import check_repository
    from editor.content.repository import Repository

    root = WORK / f"repo-{entries}"
    if not (root / "entries").is_dir():
        generate(root, entries)
    _profile(lambda: check_repository(Repository.open(root), jobs=1))


def profile_entry() -> None:
    from benchmarks.run import single_entry

    root = WORK / "repo-1000"
    if not (root / "entries").is_dir():
        generate(root, 1000)
    _profile(lambda: single_entry(root, 200))


def profile_start() -> None:
    code = ("import os, sys\nfrom pyinstrument import Profiler\nprofiler = Profiler(interval=0.0005)\n"
            "profiler.start()\nfrom editor.app import application, open_window\napp = application()\n"
            "from PySide6.QtCore import QEvent, QObject\n"
            "class Paint(QObject):\n    def eventFilter(self, watched, event):\n"
            "        if event.type() == QEvent.Type.Paint:\n            profiler.stop()\n"
            "            print(profiler.output_text(unicode=True, color=False))\n            os._exit(0)\n"
            "        return False\n"
            "window = open_window(sys.argv[1])\nspy = Paint()\nwindow.installEventFilter(spy)\napp.exec()\n")
    root = WORK / "repo-1000"
    if not (root / "entries").is_dir():
        generate(root, 1000)
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               MALONE_EDITOR_HOME=tempfile.mkdtemp(prefix="malone-profile-"))
    subprocess.run([sys.executable, "-c", code, str(root)], env=env, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["check", "entry", "start"])
    parser.add_argument("--entries", type=int, default=1000)
    args = parser.parse_args()
    {"check": lambda: profile_check(args.entries), "entry": profile_entry, "start": profile_start}[args.what]()


if __name__ == "__main__":
    main()
