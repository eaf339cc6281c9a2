"""Adversarial tests of the Review panel and Comment on Selection in the window (issue 17): a CRLF
entry, characters outside the BMP before the passage (Qt counts UTF-16 units), opening another entry
while a comment step runs, two windows on one library, and a hook that refuses the commit. Bugs are
``xfail(strict=True)`` with a one-line reason."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QInputDialog  # noqa: E402

from conftest import git, shared_library  # noqa: E402
from test_ui import make_window, open_and_wait  # noqa: E402

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"
OTHER = "entries/sleep/coping-with-sleep-deprivation.md"
ANA = ("Ana Ruiz", "ana.ruiz@example.org")
PASSAGE = "It can feel unfair and frustrating."


@pytest.fixture
def library(tmp_path, monkeypatch):
    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    (root,) = shared_library(tmp_path, [ANA])
    return root


def rewrite(root, change) -> None:
    """Change the entry's bytes and commit them."""
    raw = (root / ENTRY).read_bytes()
    (root / ENTRY).write_bytes(change(raw))
    git(root, "commit", "-qam", "Prepare")


def select(editor, words: str) -> int:
    """Select ``words`` in the editor as a mouse would (Qt positions are UTF-16 units)."""
    text = editor.toPlainText()
    index = text.index(words)
    start = len(text[:index].encode("utf-16-le")) // 2
    end = start + len(words.encode("utf-16-le")) // 2
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    return start


def comment_here(qtbot, window, monkeypatch, note="Could this be gentler?"):
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: (note, True))
    window.editor.setFocus()
    qtbot.keyClick(window.editor, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)


def wait_for_thread(qtbot, window, path=ENTRY):
    desk = window.session.git.comments
    qtbot.waitUntil(lambda: len(desk.threads_for(path)) == 1, timeout=10000)
    return desk.threads_for(path)[0]


def highlighted(editor) -> list[str]:
    return [s.cursor.selectedText() for s in editor.extraSelections()
            if s.format.background().color().name() == "#fff1b8"]


def test_a_comment_after_astral_characters_lands_on_the_words_selected(qtbot, library, monkeypatch):
    rewrite(library, lambda raw: raw.replace(b"A: You're", "A: \U0001f600\U0001d49c e\u0301 You're".encode()))
    window = make_window(qtbot, library)
    open_and_wait(qtbot, window, ENTRY)
    select(window.editor, PASSAGE)
    comment_here(qtbot, window, monkeypatch)
    thread = wait_for_thread(qtbot, window)
    assert thread.quote == PASSAGE
    qtbot.waitUntil(lambda: highlighted(window.editor) == [PASSAGE], timeout=10000)


def test_a_comment_in_a_crlf_entry_lands_on_the_words_selected(qtbot, library, monkeypatch):
    rewrite(library, lambda raw: raw.replace(b"\n", b"\r\n"))
    window = make_window(qtbot, library)
    open_and_wait(qtbot, window, ENTRY)
    assert not window.session.is_modified
    select(window.editor, PASSAGE)
    comment_here(qtbot, window, monkeypatch)
    thread = wait_for_thread(qtbot, window)
    assert thread.quote == PASSAGE


def test_opening_another_entry_while_a_comment_step_runs(qtbot, library, monkeypatch):
    window = make_window(qtbot, library)
    open_and_wait(qtbot, window, ENTRY)
    select(window.editor, PASSAGE)
    comment_here(qtbot, window, monkeypatch)
    assert window.open_entry(OTHER)  # at once, while the step is on the queue
    qtbot.waitUntil(lambda: "Comment added" in window.statusBar().currentMessage(), timeout=10000)
    window.session.tasks.wait(10000)
    assert window.session.document.path == OTHER
    assert window.review.panel.threads.topLevelItemCount() == 0  # the other entry has none
    assert not any(f.rule == "open-comment" for f in window.editor.findings)
    assert git(library, "log", "-1", "--format=%s").startswith("Comment on ")
    open_and_wait(qtbot, window, ENTRY)
    qtbot.waitUntil(lambda: window.review.panel.threads.topLevelItemCount() == 1, timeout=10000)


def test_a_refusing_hook_is_said_in_plain_words_and_leaves_nothing(qtbot, library, monkeypatch):
    hook = library / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'No commits today.'\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    window = make_window(qtbot, library)
    open_and_wait(qtbot, window, ENTRY)
    select(window.editor, PASSAGE)
    comment_here(qtbot, window, monkeypatch)
    qtbot.waitUntil(lambda: "No commits today" in window.statusBar().currentMessage(), timeout=10000)
    message = window.statusBar().currentMessage()
    assert "Traceback" not in message and "nothing changed" in message
    assert git(library, "status", "--porcelain", "--untracked-files=all") == ""
    # the file was there for a moment (the folder is watched); read again once it was taken away
    qtbot.waitUntil(lambda: window.review.panel.threads.topLevelItemCount() == 0, timeout=10000)


def test_a_selection_in_the_frontmatter_is_refused(qtbot, library, monkeypatch):
    window = make_window(qtbot, library)
    open_and_wait(qtbot, window, ENTRY)
    asked = []
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: asked.append(a) or ("x", True))
    select(window.editor, "module: sleep")
    window.review.comment_on_selection()
    assert "below the frontmatter" in window.statusBar().currentMessage() and asked == []


def test_a_selection_from_the_frontmatter_into_the_body_is_refused(qtbot, library, monkeypatch):
    window = make_window(qtbot, library)
    open_and_wait(qtbot, window, ENTRY)
    asked = []
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: asked.append(a) or ("x", True))
    select(window.editor, "---\n### Q: People say")
    window.review.comment_on_selection()
    assert asked == [] and "below the frontmatter" in window.statusBar().currentMessage()


def test_two_windows_on_one_library_see_each_others_comments(qtbot, library, monkeypatch):
    first = make_window(qtbot, library)
    open_and_wait(qtbot, first, ENTRY)
    second = make_window(qtbot, library)
    open_and_wait(qtbot, second, ENTRY)
    select(first.editor, PASSAGE)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Gentler?", True))
    first.review.comment_on_selection()  # (the shortcut goes to the active window)
    wait_for_thread(qtbot, first)
    qtbot.waitUntil(lambda: len(second.session.git.comments.threads_for(ENTRY)) == 1, timeout=5000)
