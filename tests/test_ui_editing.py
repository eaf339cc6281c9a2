"""Editing as a writer expects it: undo by word and pause, formatting keys, find and replace, quick
fixes that say when there is none, and New Entry that leaves the cursor after "A: "."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

import pytest  # noqa: E402

from test_ui import CLEAN, no_modal_dialogs, open_and_wait, type_at_end  # noqa: E402, F401 - autouse

pytestmark = pytest.mark.ui

CTRL = Qt.KeyboardModifier.ControlModifier
ANSWER = "Broken sleep is hard. Rest when you can, even briefly. Ask a friend to help tonight."


def _undo(qtbot, editor, times=1):
    for _ in range(times):
        qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)


def test_one_undo_removes_only_the_last_word_then_steps_back_word_by_word(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    editor = window.editor
    editor.setFocus()
    before = editor.toPlainText()
    type_at_end(qtbot, window, "\n" + ANSWER)
    typed = editor.toPlainText()
    assert typed == before + "\n" + ANSWER
    _undo(qtbot, editor)
    assert editor.toPlainText() == before + "\nBroken sleep is hard. Rest when you can, even briefly. Ask a friend to help "
    _undo(qtbot, editor)
    assert editor.toPlainText().endswith("Ask a friend to ")
    _undo(qtbot, editor, 3)
    assert editor.toPlainText().endswith("even briefly. Ask ")
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
    assert editor.toPlainText().endswith("even briefly. Ask a ")
    for _ in range(4):
        editor.redo()
    assert editor.toPlainText() == typed


def test_a_pause_starts_a_new_undo_step(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    editor = window.editor
    now = [1000.0]
    editor.typing_undo.clock = lambda: now[0]  # the writer's pause, without waiting for it
    before = editor.toPlainText()
    type_at_end(qtbot, window, "Longwor")
    now[0] += 1.5
    qtbot.keyClicks(editor, "dsplit")
    _undo(qtbot, editor)
    assert editor.toPlainText() == before + "Longwor"
    _undo(qtbot, editor)
    assert editor.toPlainText() == before


def test_other_edits_are_not_joined_to_the_word_typed_before(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    editor = window.editor
    before = editor.toPlainText()
    type_at_end(qtbot, window, "Hello")
    qtbot.keyClick(editor, Qt.Key.Key_Left)
    qtbot.keyClick(editor, Qt.Key.Key_Right)
    qtbot.keyClicks(editor, "there")  # the cursor moved in between: a step of its own
    _undo(qtbot, editor)
    assert editor.toPlainText() == before + "Hello"
