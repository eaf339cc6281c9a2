"""Editor figures: keystroke handling with a 100 KB entry open, and how soon the preview shows a
change after typing pauses; each beside markdown-it-py rendering the same text alone. Then the
editor at 50,000 entries (``benchmarks.ui_scale``: the UI thread's longest gap loading, filtering,
editing a field and typing, beside the same at 1,000 entries and an idle window, same run).

    QT_QPA_PLATFORM=offscreen python -m benchmarks.ui [--entries 10000] [--scale 50000]
"""
from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from markdown_it import MarkdownIt  # noqa: E402
from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from editor.resources import sample_content_dir  # noqa: E402

TYPICAL = "entries/sleep/sharing-night-feeds.md"


def _wait(predicate, timeout: float = 20.0) -> None:
    """Run the event loop as the app does when idle, until ``predicate()`` (``benchmarks.ui_scale.wait``)."""
    from benchmarks.ui_scale import wait

    wait(predicate, timeout)


def _library() -> Path:
    root = Path(tempfile.mkdtemp(prefix="malone-bench-")) / "library"
    shutil.copytree(sample_content_dir(), root)
    typical = (root / TYPICAL).read_text(encoding="utf-8")
    head, body = typical.split("\n---\n", 1)
    big = head + "\n---\n" + body + ("\n\n" + body.split("\n\n", 2)[-1]) * 60
    (root / "entries/sleep/big.md").write_text(big[:102_400], encoding="utf-8")
    return root


def press(widget, char: str) -> None:
    """Type one character as the keyboard does. (QTest.keyClick in PySide6 6.12 leaks a reference
    to None on every call, which ends a long run with a fatal error; a key event does not.)"""
    key = Qt.Key.Key_Space if char == " " else Qt.Key(ord(char.upper()))
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def typing_pause() -> float:
    """How long typing pauses now and then: longer than the live check's delay, so each pause
    starts a check of the entry and the keystrokes after it meet the check's result coming back."""
    from editor.session.session import CHECK_DELAY_MS

    return CHECK_DELAY_MS / 1000 + 0.15


def keystrokes(window, path: str, count: int = 300) -> list[float]:
    window.open_entry(path)
    _wait(lambda: not window.preview._in_flight)
    editor = window.editor
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    times = []
    for index in range(count):
        start = time.perf_counter()
        press(editor, "a" if index % 7 else " ")
        times.append((time.perf_counter() - start) * 1000)
        if index % 20 == 19:  # a pause now and then lets the checks and the preview run, as in real typing
            end = time.perf_counter() + typing_pause()
            _wait(lambda: time.perf_counter() > end and not window.session.checking)
    return times


def preview_latency(window, path: str, runs: int = 15) -> list[float]:
    window.open_entry(path)
    _wait(lambda: not window.preview._in_flight)
    editor = window.editor
    latencies = []
    for run in range(runs):
        marker = f"zq{run}x"
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        for char in " " + marker:
            press(editor, char)
        paused = time.perf_counter()
        _wait(lambda: marker in window.preview.browser.toPlainText())
        latencies.append((time.perf_counter() - paused) * 1000)
    return latencies


def live_check_cycle(window, path: str, runs: int = 20) -> list[float]:
    """Typing pauses -> the entry's findings, word count and list row are shown: the whole cycle
    the editor runs (the check on a worker thread, the result applied on the UI thread); ms."""
    window.open_entry(path)
    _wait(lambda: window.words_label.text() != "")
    editor = window.editor
    times = []
    for run in range(runs):
        before = window.words_label.text()
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        editor.insertPlainText(f" extra{run}")  # one word more each time: the count shows the result
        start = time.perf_counter()
        window.session.check_now()
        _wait(lambda: window.words_label.text() != before)
        times.append((time.perf_counter() - start) * 1000)
    window.session.discard_changes()
    return times


def markdown_baseline(path: Path, repeat: int = 15) -> float:
    md = MarkdownIt("commonmark")
    text = path.read_text(encoding="utf-8")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        md.render(text)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000, help="the library of the typing-pause cycle")
    parser.add_argument("--scale", type=int, default=50_000, help="the large library (0: leave it out)")
    args = parser.parse_args()
    os.environ["MALONE_EDITOR_HOME"] = tempfile.mkdtemp(prefix="malone-bench-home-")
    from editor.app import application, create_main_window

    application()
    root = _library()
    window = create_main_window(root)
    window.show()
    _wait(lambda: window.session.loaded is not None)
    big_keys = keystrokes(window, "entries/sleep/big.md")
    window.session.discard_changes()
    typical_keys = keystrokes(window, TYPICAL, 150)
    window.session.discard_changes()
    typical_preview = preview_latency(window, TYPICAL)
    window.session.discard_changes()
    big_preview = preview_latency(window, "entries/sleep/big.md", 8)
    window.session.discard_changes()
    window.close()
    from benchmarks.ui_scale import library

    big_library = library(args.entries)
    large = create_main_window(big_library)
    large.show()
    _wait(lambda: large.session.loaded is not None, 120)
    middle = large.session.loaded.repo.paths[len(large.session.loaded.repo.paths) // 2]
    cycle = live_check_cycle(large, middle)
    large.close()
    base_middle = markdown_baseline(big_library / middle)
    base_typical = markdown_baseline(root / TYPICAL)
    base_big = markdown_baseline(root / "entries/sleep/big.md")
    print(f"{'figure':<58}{'value':>10}{'baseline':>11}{'goal':>10}")
    print(f"{'keystroke, 100 KB entry open, p95':<58}{percentile(big_keys, 0.95):>8.1f}ms"
          f"{base_big:>9.1f}ms{'< 16 ms':>10}")
    print(f"{'keystroke, typical entry, p95':<58}{percentile(typical_keys, 0.95):>8.1f}ms"
          f"{base_typical:>9.1f}ms{'< 16 ms':>10}")
    print(f"{'preview shows a change after typing pauses, typical, median':<58}"
          f"{statistics.median(typical_preview):>8.1f}ms{base_typical:>9.1f}ms{'< 100 ms':>10}")
    print(f"{'preview shows a change after typing pauses, 100 KB, median':<58}"
          f"{statistics.median(big_preview):>8.1f}ms{base_big:>9.1f}ms{'':>10}")
    print(f"{f'typing pause to findings shown, {args.entries:,}-entry library, median':<58}"
          f"{statistics.median(cycle):>8.1f}ms{base_middle:>9.1f}ms{'<= 20 ms':>10}")
    print("(baseline: markdown-it-py rendering the same text alone, median; typing paused "
          f"{typing_pause() * 1000:.0f} ms every 20 keys, the live check's delay and more)")
    if args.scale:
        from benchmarks.ui_scale import report

        print()
        report(args.scale, 1_000)


if __name__ == "__main__":
    main()
