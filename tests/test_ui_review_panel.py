"""The Review panel (issue 17): beside the preview, the same changes since approval as
``malone-editor review diff`` finds, live as the writer types; comments made on a selection in the
window, committed, highlighted in the editor with the note on hover, replied to and resolved; and an
approval the confirmation refuses while a comment is open."""
from __future__ import annotations

import json
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QInputDialog  # noqa: E402

from conftest import git, shared_library  # noqa: E402
from test_ui import make_window, open_and_wait  # noqa: E402

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"
ANA = ("Ana Ruiz", "ana.ruiz@example.org")
PASSAGE = "It can feel unfair and frustrating."


@pytest.fixture
def reviewer(tmp_path, monkeypatch):
    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    (root,) = shared_library(tmp_path, [ANA])
    from editor.content.repository import Repository
    from editor.vcs import review

    review.approve(Repository.open(root), ENTRY)
    text = (root / ENTRY).read_text(encoding="utf-8")
    (root / ENTRY).write_text(text.replace("Many new parents", "Lots of new parents"), encoding="utf-8")
    git(root, "commit", "-qam", "Edit after approval")
    return root


def review_window(qtbot, root):
    window = make_window(qtbot, root)
    open_and_wait(qtbot, window, ENTRY)
    window.review.dock.show()
    window.review.dock.raise_()
    return window


def test_the_panel_shows_what_review_diff_finds(qtbot, reviewer, capsys):
    from editor.cli import main

    capsys.readouterr()
    assert main(["review", "diff", str(reviewer / ENTRY), "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    window = review_window(qtbot, reviewer)
    panel = window.review.panel
    qtbot.waitUntil(lambda: "approval of" in panel.summary.text(), timeout=10000)
    assert expected["summary"] in panel.summary.text().replace("&#x27;", "'")
    shown = panel.changes.toHtml()
    assert "#dff5e1" in shown and "#fde2e2" in shown  # the marks, as the reader's text
    text = panel.changes.toPlainText()
    assert "Lots of" in text and "Many" in text and "**" not in text and "###" not in text

    # live: typing more is marked at once, and the summary says it includes unsaved typing
    editor = window.editor
    cursor = editor.textCursor()
    cursor.setPosition(editor.toPlainText().index("It can feel unfair"))
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "Truly, ")
    qtbot.waitUntil(lambda: "unsaved" in panel.summary.text() and "Truly," in panel.changes.toPlainText(),
                    timeout=10000)
    window.session.discard_changes()


def test_a_comment_on_a_selection_is_committed_highlighted_and_resolved(qtbot, reviewer, monkeypatch):
    window = review_window(qtbot, reviewer)
    editor, panel = window.editor, window.review.panel
    start = editor.toPlainText().index(PASSAGE)
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(PASSAGE), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Could this be gentler?", True))
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.threads.topLevelItemCount() == 1, timeout=10000)
    assert "Could this be gentler?" in panel.threads.topLevelItem(0).text(0)
    assert panel.comments_label.text() == "Comments: 1 open, blocking approval"
    qtbot.waitUntil(lambda: git(reviewer, "log", "-1", "--format=%s").startswith("Comment on "), timeout=10000)
    assert git(reviewer, "status", "--porcelain") == ""  # committed, nothing left over

    # the passage is highlighted in the editor, with the note as its finding
    qtbot.waitUntil(lambda: any(f.rule == "open-comment" for f in editor.findings), timeout=10000)
    (finding,) = [f for f in editor.findings if f.rule == "open-comment"]
    assert "Could this be gentler?" in finding.message
    assert editor.findings_at(start + 3) == [finding]
    highlighted = [s for s in editor.extraSelections() if s.format.background().color().name() == "#fff1b8"]
    assert [(s.cursor.selectionStart(), s.cursor.selectedText()) for s in highlighted] == [(start, PASSAGE)]

    # the approval confirmation refuses while it is open
    window.git.approve()
    qtbot.waitUntil(lambda: getattr(window.git, "approve_dialog", None) is not None, timeout=10000)
    dialog = window.git.approve_dialog
    assert not dialog.approve_button.isEnabled() and "open comment" in dialog.approve_button.toolTip()
    dialog.reject()

    # reply, then resolve, from the panel
    panel.threads.setCurrentItem(panel.threads.topLevelItem(0))
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Softened it.", True))
    qtbot.mouseClick(panel.reply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.threads.topLevelItemCount() == 1 and panel.threads.topLevelItem(0).childCount() == 1,
                    timeout=10000)
    panel.threads.setCurrentItem(panel.threads.topLevelItem(0))
    qtbot.mouseClick(panel.resolve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.comments_label.text() == "Comments: none open", timeout=10000)
    qtbot.waitUntil(lambda: not any(f.rule == "open-comment" for f in editor.findings), timeout=10000)
    qtbot.waitUntil(lambda: git(reviewer, "log", "-1", "--format=%s").startswith("Resolve comment on "), timeout=10000)


def test_commenting_on_unsaved_text_or_nothing_is_refused_in_plain_words(qtbot, reviewer, monkeypatch):
    window = review_window(qtbot, reviewer)
    asked = []
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: asked.append(a) or ("x", True))
    window.review.comment_on_selection()
    assert "Select the words" in window.statusBar().currentMessage()
    editor = window.editor
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, "More words.")
    editor.moveCursor(QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor)
    window.review.comment_on_selection()
    assert "Save the entry first" in window.statusBar().currentMessage() and asked == []
    window.session.discard_changes()


def test_a_comment_pushed_from_another_clone_appears_after_pull(qtbot, tmp_path, monkeypatch):
    from editor.vcs import comment_steps

    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    writer, reviewer = shared_library(tmp_path, [("Wendy Writer", "wendy@example.org"), ANA])
    window = review_window(qtbot, writer)
    panel = window.review.panel
    qtbot.waitUntil(lambda: panel.comments_label.text() == "Comments: none yet", timeout=10000)
    comment_steps.add_on_words(reviewer, ENTRY, PASSAGE, "Could this be gentler?")
    git(reviewer, "push", "-q")
    qtbot.mouseClick(window.git.changes.sync_buttons["pull"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.threads.topLevelItemCount() == 1, timeout=30000)  # a pull on a busy machine
    assert "Could this be gentler?" in panel.threads.topLevelItem(0).text(0)
    qtbot.waitUntil(lambda: any(f.rule == "open-comment" for f in window.editor.findings), timeout=30000)
