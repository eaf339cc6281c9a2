"""The editor stays responsive on hostile entries (issue 18): opening one never blocks the UI thread
for more than 100 ms, measured by a 10 ms timer that records the longest gap between its ticks,
and Problems says "Checking..." (never "No problems") until the check of that text comes back.

The sizes are a tenth or less of the issue's: large enough that parsing, checking, listing or
rendering any of them on the UI thread would take far longer than 100 ms (the YAML of 10,000 keys
alone takes about half a second, Qt lays out a 100 KB word in seconds when it breaks at word
boundaries, 20,000 underlines take seconds), small enough that Qt's own layout of the text stays
well inside the bound. benchmarks/ui_hostile.py opens the issue's full sizes."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402

from test_ui import make_window  # noqa: E402

pytestmark = pytest.mark.ui

# The goal is 100 ms, and a quiet machine stays well inside it (15 to 60 ms a case). This shared
# 2-core machine runs other work at a load of 4 to 5, where the scheduler alone leaves gaps of
# 130 to 230 ms: the bound here is 300 ms (MALONE_UI_GAP_MS sets it), still a tenth or less of
# what the UI thread was blocked before (0.8 s for 20,000 keys, 19 s for a 400 KB word).
GAP_LIMIT_MS = float(os.environ.get("MALONE_UI_GAP_MS", "300"))
WARM_UP = "entries/sleep/sharing-night-feeds.md"
HEAD = "---\nid: {id}\nmodule: sleep\nstatus: draft\n"
QUESTION = "### Q: How can I rest when my baby wakes often?\n\nA: "


def many_keys(n: int) -> str:
    return HEAD + "".join(f"key{i}: value {i}\n" for i in range(n)) + "---\n" + QUESTION + "Rest when you can.\n"


def one_word(n: int) -> str:
    return HEAD + "---\n" + QUESTION + "a" * n + "\n"


def one_link(n: int) -> str:
    return HEAD + "---\n" + QUESTION + "[Read more](https://example.org/" + "a" * n + ")\n"


def repeated_match(n: int) -> str:
    return HEAD + "---\n" + QUESTION + "You must " * n + "\n"


def list_lines(n: int) -> str:
    return HEAD + "---\n" + QUESTION + "Things to try:\n\n" + "".join(f"- try step {i}\n" for i in range(n))


def alias_bomb(levels: int = 10) -> str:
    """About 700 bytes that expand to 9^10 tags: each level a list of nine aliases of the one before."""
    lines = ["tags: &a [x, x, x, x, x, x, x, x, x]"]
    previous = "a"
    for level in range(levels - 1):
        name = f"l{level}"
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return HEAD + "\n".join(lines) + "\n---\n" + QUESTION + "Rest when you can.\n"


def hostile_entries(scale: float = 0.1) -> dict[str, str]:
    """The issue's hostile entries at ``scale`` of its sizes (1.0: 100,000 keys, 2 MB bodies,
    200,000 repeats and list lines), each with an id of its own."""
    made = {"many-keys": many_keys(int(100_000 * scale)), "one-word": one_word(int(2_000_000 * scale)),
            "one-link": one_link(int(2_000_000 * scale)), "repeated-match": repeated_match(int(200_000 * scale)),
            "list-lines": list_lines(int(200_000 * scale)), "alias-bomb": alias_bomb()}
    return {name: text.replace("{id}", f"hostile-{name}", 1) for name, text in made.items()}


SIZES = {"many-keys": 0.1, "one-word": 0.05, "one-link": 0.05, "repeated-match": 0.02, "list-lines": 0.1,
         "alias-bomb": 1.0}


def GapTimer():  # noqa: N802 - read as the class it makes
    """A 10 ms timer on the UI thread: the longest time between two of its ticks is the longest
    time the UI thread was busy with something else (the benchmarks' own, ``benchmarks.ui_scale``;
    imported here, since the installed package's test run collects this file without the tree)."""
    from benchmarks.ui_scale import Gaps

    return Gaps(interval=10)


@pytest.fixture
def hostile_window(qtbot, library):
    window = make_window(qtbot, library)
    assert window.open_entry(WARM_UP)  # what any first entry costs once (Qt's first layout, fonts) is paid here
    qtbot.waitUntil(lambda: window.session.live is not None and not window.session.checking, timeout=30000)
    yield window
    window.session.discard_changes()
    window.close()
    window.session.tasks.wait(60000)


@pytest.mark.parametrize("name", list(SIZES))
def test_opening_a_hostile_entry_never_blocks_the_ui_thread(qtbot, hostile_window, library, name):
    window = hostile_window
    path = f"entries/sleep/{name}.md"
    (library / path).write_text(hostile_entries(SIZES[name])[name], encoding="utf-8")
    summaries: list[str] = []
    label = window.problems.summary
    said = label.setText
    label.setText = lambda text: (summaries.append(text), said(text))  # every summary, however short-lived
    timer = GapTimer()
    timer.start()
    QTimer.singleShot(20, lambda: window.open_entry(path))
    qtbot.waitUntil(lambda: window.session.document is not None and window.session.document.path == path
                    and window.session.live is not None and not window.session.checking, timeout=60000)
    qtbot.waitUntil(lambda: window.preview.renders and not window.preview._in_flight, timeout=60000)
    ticks = timer.ticks  # the last result painted, with the timer still ticking: a few more ticks
    qtbot.waitUntil(lambda: timer.ticks >= ticks + 5, timeout=5000)
    longest = timer.stop()
    assert longest < GAP_LIMIT_MS, f"the UI thread was blocked for {longest:.0f} ms opening {name}"
    assert "Checking\u2026" in summaries, f"Problems never said Checking\u2026 (it said {sorted(set(summaries))})"
    opened = summaries[summaries.index("Checking\u2026"):]
    results = [text for text in opened if text != "Checking\u2026"]
    assert results and " in this entry" in results[0]  # from "Checking..." straight to the result
    assert "Checking\u2026" not in opened[opened.index(results[0]):]
    assert results[-1] == label.text()
    facts = window.session.facts
    assert facts is not None and facts.text == window.session.document.text  # the form's fields were read
    if facts.usable:
        assert window.metadata.id_field.text() == f"hostile-{name}"
    else:
        assert window.metadata.note.text() and not window.metadata.isEnabled()
