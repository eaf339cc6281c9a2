"""Approve means what the reviewer read (issue 14): unsaved typing is never approved, the
confirmation shows the saved text as the reader sees it with the changes since the last approval
marked, and an approval is refused when the saved text is no longer the one shown."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QMessageBox  # noqa: E402

from conftest import git, shared_library  # noqa: E402
from test_ui import make_window, open_and_wait, type_at_end  # noqa: E402

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"
ANA = ("Ana Ruiz", "ana.ruiz@example.org")


@pytest.fixture
def team(tmp_path, monkeypatch):
    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    return shared_library(tmp_path, [("Maya Chen", "maya.chen@example.org"), ANA])


def _approve_in_core(root):
    from editor.content.repository import Repository
    from editor.vcs import review

    return review.approve(Repository.open(root), ENTRY)


def test_the_preview_marks_words_changed_since_the_last_approval(team):
    from editor.session.approval import preview
    from editor.session.failures import FailureError

    writer, reviewer = team
    first = preview(reviewer, ENTRY)
    assert first.summary.startswith("Never approved") and 'class="inserted"' in first.html
    with pytest.raises(FailureError) as refused:  # a writer is told before anything is shown
        preview(writer, ENTRY)
    assert "not a clinical reviewer" in refused.value.failure.message
    _approve_in_core(reviewer)
    assert preview(reviewer, ENTRY).already_approved
    path = reviewer / ENTRY
    text = path.read_text(encoding="utf-8")
    answer = text.index("A: ")
    path.write_text(text[:answer + 3] + "Gently, " + text[answer + 3:], encoding="utf-8")
    git(reviewer, "commit", "-qam", "edit after approval")
    shown = preview(reviewer, ENTRY)
    assert "Ana Ruiz's approval" in shown.summary and not shown.already_approved
    assert '<span class="inserted"' in shown.html and "Gently,</span>" in shown.html
    assert 'class="deleted"' not in shown.html  # nothing was taken out


def test_an_approval_is_refused_when_the_saved_text_changed_after_it_was_shown(team):
    from editor.session.approval import approve_shown, preview
    from editor.session.failures import FailureError

    _, reviewer = team
    shown = preview(reviewer, ENTRY)
    path = reviewer / ENTRY
    before = path.read_bytes()
    path.write_bytes(before + b"\nA sentence typed after the reviewer read it.\n")
    with pytest.raises(FailureError) as refused:
        approve_shown(reviewer, ENTRY, shown.body_sha256)
    assert "changed after you read it" in refused.value.failure.message
    assert b"status: approved" not in path.read_bytes()


@pytest.mark.ui
def test_unsaved_typing_is_never_approved_and_the_confirmation_shows_the_saved_text(qtbot, team, monkeypatch):
    _, reviewer = team
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.Cancel)
    window = make_window(qtbot, reviewer)
    open_and_wait(qtbot, window, ENTRY)
    type_at_end(qtbot, window, "\nA typo tpyed and never saved.\n")
    window.git.approve()
    assert asked == ["Approve the saved text only"]
    assert "Not approved" in window.git.changes.message.text()
    assert getattr(window.git, "approve_dialog", None) is None
    assert "status: approved" not in (reviewer / ENTRY).read_text(encoding="utf-8")
    # on the reviewer's explicit choice the text is saved first, then shown before approving
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    window.git.approve()
    qtbot.waitUntil(lambda: getattr(window.git, "approve_dialog", None) is not None, timeout=15000)
    dialog = window.git.approve_dialog
    assert "tpyed" in dialog.text.toPlainText() and dialog.preview.summary.startswith("Never approved")
    board = window.git.review.board
    qtbot.waitUntil(lambda: len(board.cards("in-review")) > 0, timeout=10000)
    waiting = len(board.cards("in-review"))
    dialog.approve_button.click()
    qtbot.waitUntil(lambda: window.git.changes.message.text().startswith("Done:"), timeout=15000)
    qtbot.waitUntil(lambda: len(board.cards("in-review")) == waiting - 1, timeout=10000)  # the board follows
    saved = (reviewer / ENTRY).read_text(encoding="utf-8")
    assert "status: approved" in saved and "tpyed" in saved
    assert "Reviewed-by: Ana Ruiz" in git(reviewer, "log", "-1", "--format=%B")
    window.session.discard_changes()
    window.close()
    window.session.tasks.wait(10000)


@pytest.mark.ui
def test_a_reviewers_note_reaches_the_writer_on_the_entry_and_in_history(qtbot, team):
    from editor.content.repository import Repository
    from editor.vcs import review

    writer, reviewer = team
    note = "Please add the crisis line.\nAnd say when to call the midwife."
    review.request_changes(Repository.open(reviewer), ENTRY, note)
    git(reviewer, "push", "-q", "origin", "HEAD")
    git(writer, "pull", "-q", "--ff-only")
    window = make_window(qtbot, writer)
    open_and_wait(qtbot, window, ENTRY)
    qtbot.waitUntil(lambda: "Changes requested by Ana Ruiz" in window.banner.label.text(), timeout=10000)
    assert "Please add the crisis line." in window.banner.label.text()
    qtbot.waitUntil(lambda: window.git.history.list.topLevelItemCount() > 0, timeout=15000)
    window.git.history.list.setCurrentItem(window.git.history.list.topLevelItem(0))
    qtbot.waitUntil(lambda: "say when to call the midwife" in window.git.history.diff.toPlainText(), timeout=15000)
    window.session.discard_changes()
    window.close()
    window.session.tasks.wait(10000)
