"""Editor start-up and memory with a 10,000-entry library, each beside its same-run baseline.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.startup [--entries 10000] [--repeat 5]

- start to the first painted window: a fresh Python process opening the editor on the library,
  beside a fresh process showing an empty QMainWindow (both from process start to first paint);
- peak memory once the index holds every entry, beside the same process just before the
  library loads (ru_maxrss, Linux kilobytes).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate

WORK = Path(__file__).resolve().parent / ".work"

_PAINT_FILTER = """
import os, resource, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def __init__(self, done):
        super().__init__()
        self.done = done
        self.fired = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.fired:
            self.fired = True
            print("painted", flush=True)
            QTimer.singleShot(0, self.done)
        return False

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

EMPTY_CHILD = _PAINT_FILTER + """
from PySide6.QtWidgets import QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 800)
watcher = FirstPaint(lambda: os._exit(0))
window.installEventFilter(watcher)
window.show()
app.exec()
"""

EDITOR_CHILD = "from editor.app import application, open_window  # first, as malone-editor does\n" + \
    _PAINT_FILTER + """
app = application()
import editor.ui.main_window  # the code is loaded; the library is not
before = rss()
window = open_window(sys.argv[1])

built = False

def loaded():
    global built
    if not built and window._built and hasattr(window, "git"):
        built = True
        print("built", flush=True)
    if window.session.loaded is None or window.browser.model.rowCount() == 0:
        QTimer.singleShot(5, loaded)
        return
    print(f"indexed {len(window.session.rows)} {before} {rss()}", flush=True)
    os._exit(0)

def painted():
    if sys.argv[2] == "paint":
        os._exit(0)
    loaded()

watcher = FirstPaint(painted)
window.installEventFilter(watcher)
app.exec()
"""


def _child(code: str, *args: str) -> tuple[float, list[str]]:
    """Seconds from starting a Python process to its first 'painted' line, and all its lines
    (each prefixed with the seconds since the start at which it came)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               MALONE_EDITOR_HOME=tempfile.mkdtemp(prefix="malone-bench-home-"))
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env)
    painted = None
    lines = []
    for line in process.stdout:
        if line.startswith("painted") and painted is None:
            painted = time.perf_counter() - start
        lines.append(f"{time.perf_counter() - start:.4f} {line.strip()}")
    process.wait(timeout=120)
    if painted is None:
        raise RuntimeError(f"the window was never painted: {lines}")
    return painted, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root = WORK / f"repo-{args.entries}"
    if not (root / "entries").is_dir():
        generate(root, args.entries)
    _child(EMPTY_CHILD)  # warm the file cache for both
    _child(EDITOR_CHILD, str(root), "paint")
    empty, editor = [], []
    for _ in range(args.repeat):  # interleaved: a busy moment of the machine hits both alike
        empty.append(_child(EMPTY_CHILD)[0])
        editor.append(_child(EDITOR_CHILD, str(root), "paint")[0])
    _, lines = _child(EDITOR_CHILD, str(root), "index")
    built_at = float(next(line for line in lines if line.endswith(" built")).split()[0])
    indexed_at, _, count, before, after = next(line for line in lines if " indexed " in line).split()
    empty_median, editor_median = statistics.median(empty), statistics.median(editor)
    print(f"{'figure':<52}{'value':>10}{'baseline':>11}{'ratio':>8}{'goal':>9}")
    print(f"{'start to first painted window, ' + f'{args.entries:,} entries':<52}{editor_median * 1000:>8.0f}ms"
          f"{empty_median * 1000:>9.0f}ms{editor_median / empty_median:>8.2f}{'<= 1.5':>9}")
    print(f"{'peak memory, ' + count + ' entries indexed':<52}{int(after) / 1024:>8.0f}MB"
          f"{int(before) / 1024:>9.0f}MB{int(after) / int(before):>8.2f}{'':>9}")
    print(f"  (then: every panel built at {built_at * 1000:.0f} ms, all {count} entries listed at"
          f" {float(indexed_at) * 1000:.0f} ms)")
    print("(start-up baseline: an empty QMainWindow in a fresh process; memory baseline: the same process"
          " before the library loads)")


if __name__ == "__main__":
    main()
