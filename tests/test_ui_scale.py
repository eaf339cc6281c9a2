"""The editor on a large library (issue 20): the UI thread never waits for the library's size.

The real window, on a generated library, loads, filters, has a status and a question edited and
is typed into, while a 10 ms timer on the UI thread records the longest gap between its ticks
(``GapTimer``, as for hostile entries). Each step's longest gap at 20,000 entries stays under the
bound, and not far above the same step at 500 entries in the same run; and, whatever the timings,
the list is never rebuilt for a one-entry change (no reset of its model, no new arrangement), a
filter at this size is arranged on a worker, and the list reads exactly as an independent oracle
made from the session's rows has it. (Before, at 10,000 entries, a status edit rebuilt the list:
78 to 114 ms on the UI thread; at 50,000, 536 ms. ``benchmarks.ui_scale`` measures 50,000.)"""
from __future__ import annotations

import os
import time

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from test_entry_list import oracle  # noqa: E402
from test_ui_hostile import GAP_LIMIT_MS, GapTimer  # noqa: E402

pytestmark = [pytest.mark.ui, pytest.mark.heavy]

LARGE, SMALL = 20_000, 500
# the steps after which the review board is built for the whole library (on a worker, but holding the
# interpreter lock long enough for the UI thread to feel it at this size: still open, issue 20)
BOARD_STEPS = {"load", "status edit", "question edit"}
STEPS = ("load", "filter", "clear filter", "group by status", "status edit", "question edit", "typing")


def listed(window) -> list[str]:
    model = window.browser.model
    return [model.index(number).data() for number in range(model.rowCount())]


def drive(qtbot, root) -> tuple[dict[str, float], dict[str, object]]:
    """Each step's longest UI-thread gap (ms), and what the steps left to check."""
    from editor.app import create_main_window
    from editor.session.entry_arrange import ListFilter

    gaps: dict[str, float] = {}
    seen: dict[str, object] = {}
    timer = GapTimer()
    window = create_main_window(root)
    qtbot.addWidget(window)
    session, browser, entries = window.session, window.browser, window.session.entry_list
    total = sum(1 for _ in (root / "entries").rglob("*.md"))

    def measured(name: str, action, done, timeout: int = 60000) -> None:
        timer.start()
        action()
        qtbot.waitUntil(done, timeout=timeout)
        ticks = timer.ticks  # what follows the result (painting it) counts too
        qtbot.waitUntil(lambda: timer.ticks >= ticks + 3, timeout=5000)
        gaps[name] = timer.stop()

    def shows(count: int) -> bool:
        return entries.ready and not entries.pending and browser.count.text() == f"{count} of {total} entries"

    measured("load", window.show, lambda: session.loaded is not None and session.files.search.ready and shows(total),
             timeout=120000)
    seen["load"] = listed(window) == oracle(session, ListFilter())
    query = "entry-0004"  # ten paths; in the small library, ten too (entry-00040 to -00049)
    expected = len(browser.entries.matching(ListFilter(query)))
    seen["filter submitted"] = []
    session.tasks._relay.finished.connect(lambda key, *_: seen["filter submitted"].append(key))
    measured("filter", lambda: qtbot.keyClicks(browser.filter, query), lambda: shows(expected))
    seen["filter"] = listed(window) == oracle(session, ListFilter(query))
    measured("clear filter", browser.filter.clear, lambda: shows(total))
    arranged = entries.arrangements
    measured("group by status", lambda: browser.group.setCurrentIndex(1),
             lambda: entries.arrangements > arranged and shows(total))
    path = session.rows[len(session.rows) // 2].path
    assert window.open_entry(path)
    qtbot.waitUntil(lambda: session.live is not None and not session.checking and session.facts is not None,
                    timeout=30000)
    before = (entries.arrangements, browser.model.resets)
    status = next(s for s in ("draft", "in-review", "approved") if s != session.library.row(path).status)
    form = window.metadata

    def edit_status() -> None:
        form.status.setCurrentText(status)
        form.status.activated.emit(form.status.currentIndex())

    measured("status edit", edit_status, lambda: session.library.row(path).status == status and not session.checking)
    seen["status edit"] = listed(window) == oracle(session, ListFilter(by_status=True))
    seen["status edit moved its row"] = entries.view.placed[path][0] == {"draft": "Draft", "in-review": "In review",
                                                                       "approved": "Approved"}[status]
    question = session.library.row(path).question

    def edit_question() -> None:
        block = window.editor.document().find("### Q:").block()
        cursor = window.editor.textCursor()
        cursor.setPosition(block.position() + block.length() - 1)
        window.editor.setTextCursor(cursor)
        qtbot.keyClicks(window.editor, " again")

    measured("question edit", edit_question, lambda: browser.item_for(path) is not None
             and browser.item_for(path).data() == question + " again")
    seen["question edit"] = listed(window) == oracle(session, ListFilter(by_status=True))
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)

    def typing() -> None:
        for _burst in range(3):  # each burst checked: typing pauses longer than the live check waits
            qtbot.keyClicks(window.editor, " some more words")
            qtbot.waitUntil(lambda: session.live_text == session.document.text, timeout=30000)

    measured("typing", typing, lambda: not session.checking)
    seen["rebuilt for one entry"] = (entries.arrangements, browser.model.resets) != before
    session.discard_changes()
    window.close()
    session.tasks.wait(60000)
    return gaps, seen


def _library(tmp_path, count: int):
    from benchmarks.generate import generate

    return generate(tmp_path / f"library-{count}", count)


def test_the_ui_thread_does_not_wait_for_a_large_library(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    start = time.perf_counter()
    small, small_seen = drive(qtbot, _library(tmp_path, SMALL))
    large, seen = drive(qtbot, _library(tmp_path, LARGE))
    report = ", ".join(f"{name} {large[name]:.0f} ms ({small[name]:.0f} at {SMALL})" for name in STEPS)
    print(f"longest UI-thread gaps at {LARGE} entries: {report}; {time.perf_counter() - start:.0f} s in all")
    for checks in (small_seen, seen):
        assert checks["load"] and checks["filter"] and checks["status edit"] and checks["question edit"]
        assert checks["status edit moved its row"]
        assert not checks["rebuilt for one entry"], "the list was rebuilt for a one-entry change"
    assert "entry-list" in seen["filter submitted"]  # at this size a filter is arranged on a worker
    assert "entry-list" not in small_seen["filter submitted"]  # and a small one at once
    for name in STEPS:
        assert large[name] < GAP_LIMIT_MS, f"{name}: the UI thread was held {large[name]:.0f} ms ({report})"
    grown = [name for name in STEPS if large[name] >= small[name] + 200]
    assert not set(grown) - BOARD_STEPS, f"{grown}: the UI thread's longest wait grows with the library ({report})"
    if grown:  # known and open (issue 20): the review board built again for the whole library holds the lock
        pytest.xfail(f"{grown}: the review board's rebuild at {LARGE} entries ({report})")
