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


def _line_with(editor, text):
    return next(line for line in editor.toPlainText().splitlines() if text in line)


def _put_cursor(editor, text, offset=0, select=0):
    from PySide6.QtGui import QTextCursor

    cursor = editor.textCursor()
    cursor.setPosition(editor.toPlainText().index(text) + offset)
    if select:
        cursor.setPosition(cursor.position() + select, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.setFocus()  # the format keys act where the writer writes


def test_bold_and_italic_wrap_the_word_or_selection_and_toggle_off(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    editor = window.editor
    type_at_end(qtbot, window, "\nIt's okay, don't worry about well-being today.")
    _put_cursor(editor, "don't", 2)
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    assert _line_with(editor, "worry") == "It's okay, **don't** worry about well-being today."
    assert editor.textCursor().selectedText() == "don't"
    qtbot.keyClick(editor, Qt.Key.Key_I, CTRL)  # bold and italic
    assert _line_with(editor, "worry") == "It's okay, ***don't*** worry about well-being today."
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)  # bold off, italic stays
    assert _line_with(editor, "worry") == "It's okay, *don't* worry about well-being today."
    qtbot.keyClick(editor, Qt.Key.Key_I, CTRL)
    assert _line_with(editor, "worry") == "It's okay, don't worry about well-being today."
    _put_cursor(editor, "worry about", select=len("worry about"))
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    assert _line_with(editor, "worry") == "It's okay, don't **worry about** well-being today."
    _put_cursor(editor, "**worry about**", select=len("**worry about**"))  # the markers selected too
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    assert _line_with(editor, "worry") == "It's okay, don't worry about well-being today."
    _put_cursor(editor, "well-being", 6)
    qtbot.keyClick(editor, Qt.Key.Key_I, CTRL)
    assert _line_with(editor, "worry") == "It's okay, don't worry about *well-being* today."
    editor.undo()  # one step each
    assert _line_with(editor, "worry") == "It's okay, don't worry about well-being today."


def test_heading_and_list_keys_change_the_start_of_lines(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    editor = window.editor
    type_at_end(qtbot, window, "\nFirst idea\nSecond idea\n\nThird idea")
    _put_cursor(editor, "First idea", 3)
    qtbot.keyClick(editor, Qt.Key.Key_2, CTRL | Qt.KeyboardModifier.AltModifier)
    assert _line_with(editor, "First idea") == "## First idea"
    qtbot.keyClick(editor, Qt.Key.Key_3, CTRL | Qt.KeyboardModifier.AltModifier)
    assert _line_with(editor, "First idea") == "### First idea"
    qtbot.keyClick(editor, Qt.Key.Key_3, CTRL | Qt.KeyboardModifier.AltModifier)  # the same level again: off
    assert _line_with(editor, "First idea") == "First idea"
    _put_cursor(editor, "First idea", select=len("First idea\nSecond idea\n\nThird"))
    qtbot.keyClick(editor, Qt.Key.Key_8, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText().endswith("\n- First idea\n- Second idea\n\n- Third idea")
    qtbot.keyClick(editor, Qt.Key.Key_8, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText().endswith("\nFirst idea\nSecond idea\n\nThird idea")
    editor.undo()
    assert editor.toPlainText().endswith("\n- First idea\n- Second idea\n\n- Third idea")


def test_format_keys_are_in_the_edit_menu_and_clear_of_link_and_panel_keys(window):
    from PySide6.QtGui import QKeySequence

    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    format_menu = next(a.menu() for a in edit.actions() if a.menu() and a.text() == "F&ormat")
    keys = {a.text(): [s.toString() for s in a.shortcuts()] for a in format_menu.actions()}
    assert keys["&Bold"][0] == "Ctrl+B" and keys["&Italic"][0] == "Ctrl+I"
    assert keys["Heading &2"] == ["Ctrl+Alt+2"] and keys["Heading &3"] == ["Ctrl+Alt+3"]
    assert keys["Bulleted &List"] == ["Ctrl+Shift+8"]
    taken = {QKeySequence(k).toString() for k in ("Ctrl+K", "Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4")}
    assert not taken & {k for ks in keys.values() for k in ks}


def test_ctrl_h_opens_find_and_replace_with_usable_fields(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    window.resize(1280, 720)
    bar = window.find_bar
    window.editor.setFocus()
    qtbot.waitUntil(window.editor.hasFocus)
    qtbot.keyClick(window.editor, Qt.Key.Key_F, CTRL)  # Find: the find row only
    qtbot.waitUntil(lambda: bar.isVisible() and bar.find_field.hasFocus())
    assert not bar.replace_field.isVisible()
    bar.close_bar()
    qtbot.waitUntil(window.editor.hasFocus)
    qtbot.keyClick(window.editor, Qt.Key.Key_H, CTRL)
    qtbot.waitUntil(lambda: bar.isVisible() and bar.replace_field.isVisible())
    qtbot.waitUntil(lambda: bar.find_field.width() >= 200 and bar.replace_field.width() >= 200)
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    replace = next(a for a in edit.actions() if a.text().startswith("Find and &Replace"))
    assert "Ctrl+H" in [k.toString() for k in replace.shortcuts()]
    qtbot.keyClicks(bar.find_field, "night")
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)
    assert window.editor.textCursor().selectedText().lower() == "night"


def test_quick_fix_with_nothing_to_fix_says_so(qtbot, window):
    from editor.ui.editor_panel import NO_FIX

    open_and_wait(qtbot, window, CLEAN)
    qtbot.waitUntil(lambda: window.problems.summary.text() == "No problems in this entry", timeout=10000)
    before = window.editor.toPlainText()
    window.editor.go_to(1, 1)
    qtbot.keyClick(window.editor, Qt.Key.Key_Period, CTRL)
    assert window.statusBar().currentMessage() == NO_FIX
    assert window.editor.toPlainText() == before


def test_new_entry_leaves_the_keyboard_after_the_answer_prefix(qtbot, window, library):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from editor.ui.new_entry import NewEntryDialog

    window.activateWindow()
    window.browser.tree.setFocus()
    qtbot.waitUntil(window.browser.tree.hasFocus)
    proposed = []

    def fill_in():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewEntryDialog):
            QTimer.singleShot(20, fill_in)  # not shown yet
            return
        qtbot.keyClicks(dialog.question, "How do I cope with feeling disconnected from my newborn and from my partner")
        proposed.append(dialog.entry_id.text())
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    QTimer.singleShot(0, fill_in)
    new_entry = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text().startswith("&New Entry"))
    new_entry.trigger()  # returns when the dialog is closed
    assert proposed == ["cope-with-feeling-disconnected"]
    assert window.session.document.path.endswith("/cope-with-feeling-disconnected.md")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor)
    cursor = window.editor.textCursor()
    assert cursor.block().text() == "A: " and cursor.positionInBlock() == 3
    qtbot.keyClicks(window.editor, "It is common")
    assert "\nA: It is common\n" in window.editor.toPlainText()


def test_proposed_ids_end_on_a_whole_phrase():
    from editor.ui.new_entry import ID_MAX_LENGTH, propose_id

    assert propose_id("How can I rest when my baby naps") == "rest-when-baby-naps"
    assert propose_id("Why do I feel disconnected from my partner") == "feel-disconnected-from-partner"
    assert propose_id("Is it normal to feel disconnected from my baby and my partner?") == \
        "normal-feel-disconnected-from-baby"
    assert propose_id("How do I cope with feeling disconnected from my newborn") == "cope-with-feeling-disconnected"
    assert propose_id("I'm worried about my toddler's tantrums") == "worried-about-toddlers-tantrums"
    assert propose_id("What should I talk to my doctor about") == "talk-doctor"
    assert propose_id("Feeling sad", {"feeling-sad", "feeling-sad-2"}) == "feeling-sad-3"
    long = propose_id("Breastfeeding overwhelming exhausting complicated confusing frustrating experience")
    assert len(long) <= ID_MAX_LENGTH and long == "breastfeeding-overwhelming-exhausting"


def test_an_entry_that_begins_with_a_second_byte_order_mark_opens_unmodified_and_saves_its_bytes(qtbot, window,
                                                                                                library):
    """Qt drops a U+FEFF at the start of the text it is shown; an entry whose file holds two (the
    first is the file's byte-order mark, the second its text) keeps both."""
    path = library / CLEAN
    raw = b"\xef\xbb\xbf" + "\ufeff".encode() + path.read_bytes()
    path.write_bytes(raw)
    assert window.open_entry(CLEAN)
    qtbot.waitUntil(lambda: window.editor.text().endswith(path.read_text(encoding="utf-8-sig")[-20:]), timeout=10000)
    assert window.editor.text().startswith("\ufeff---")
    assert not window.session.is_modified
    type_at_end(qtbot, window, "x")
    qtbot.keyClick(window.editor, Qt.Key.Key_Backspace)
    window.save()
    assert path.read_bytes() == raw


def test_a_whole_new_text_whose_change_begins_with_a_u_feff_keeps_it(qtbot, window):
    """A restored version or a field edit is applied as an insert of the part that differs; Qt's
    cursor drops a U+FEFF that begins the inserted text, as it does at the start of a shown one."""
    open_and_wait(qtbot, window, CLEAN)
    current = window.editor.text()
    new = current.replace("A: ", "A: \ufeffZero-width and more. ", 1)
    assert new != current
    window.documents.replace_text(new)
    assert window.editor.text() == new
