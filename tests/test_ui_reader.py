"""What the reader sees is what the editor underlines and the preview shows (issue 13), driven
through the real widgets: a hard-wrapped, emphasised phrase is underlined over exactly its words,
and the preview strikes through exactly the links the check calls broken, written as the app
decodes them."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QMessageBox  # noqa: E402

from test_ui import CLEAN, open_and_wait, type_at_end  # noqa: E402

pytestmark = pytest.mark.ui


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


def test_a_wrapped_emphasised_phrase_is_underlined_over_its_words(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    # a stray backtick before it must not switch anything off
    type_at_end(qtbot, window, "\nI don`t know. Her uncle *committed*\nsuicide last year.\n")
    qtbot.waitUntil(lambda: any(f.rule == "suicide-commit" for f in window.editor.findings), timeout=10000)
    finding = next(f for f in window.editor.findings if f.rule == "suicide-commit")
    start, end = window.editor.span_of(finding)
    cursor = window.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
    assert cursor.selectedText().replace("\u2029", "\n") == "committed*\nsuicide"
    qtbot.waitUntil(lambda: any(f.rule == "suicide-commit" for f in window.problems.findings), timeout=10000)
    # the entry mentions suicide and gives no crisis resource the reader can see
    assert any(f.rule == "crisis-resource-required" for f in window.editor.findings)


def test_the_preview_strikes_through_what_the_check_calls_broken(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    type_at_end(qtbot, window, "\n[Good](?tab=modules&amp;module=sleep) and [bad](&#63;tab=modules&module=nope)\n")
    qtbot.waitUntil(lambda: any(f.rule == "unknown-module" for f in window.editor.findings), timeout=10000)
    assert [f.rule for f in window.editor.findings if f.category == "module-link"] == ["unknown-module"]
    qtbot.waitUntil(lambda: "broken link" in window.preview.browser.toPlainText(), timeout=10000)
    shown = window.preview.browser.toPlainText()
    assert "Good (Sleep" in shown and shown.count("broken link") == 1
