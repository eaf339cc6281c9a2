"""Changes, History and Review in the editor window, on real clones of a bare remote."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QInputDialog, QMessageBox  # noqa: E402

from conftest import git, shared_library  # noqa: E402
from test_ui import make_window, open_and_wait, type_at_end  # noqa: E402

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"


@pytest.fixture(autouse=True)
def quiet_dialogs(monkeypatch, tmp_path):
    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


@pytest.fixture
def team(tmp_path):
    return shared_library(tmp_path, [("Maya Chen", "maya.chen@example.org"), ("Ana Ruiz", "ana.ruiz@example.org")])


def edit_and_commit(qtbot, window, text: str, summary: str) -> None:
    """Open the entry, type at its end, save, and commit it; wait until git has the commit."""
    open_and_wait(qtbot, window, ENTRY)
    type_at_end(qtbot, window, text)
    assert window.save()
    window.git.commit([ENTRY], summary, "")
    qtbot.waitUntil(lambda: git(window.root, "log", "-1", "--format=%s").strip() == summary, timeout=15000)


def close(window):
    window.session.discard_changes()
    window.close()
    window.session.tasks.wait(10000)


def test_edit_save_see_change_commit_and_history(qtbot, team):
    writer, _ = team
    window = make_window(qtbot, writer)
    assert window.git.changes.accessibleName() == "Changes" and window.git.history.accessibleName() == "History"
    open_and_wait(qtbot, window, ENTRY)
    qtbot.waitUntil(lambda: window.git.history.list.topLevelItemCount() == 1, timeout=10000)
    type_at_end(qtbot, window, "\nA gentle new sentence.")
    assert window.save()
    changes = window.git.changes
    qtbot.waitUntil(lambda: changes.files.count() == 1, timeout=10000)
    changes.files.setCurrentRow(0)
    qtbot.waitUntil(lambda: "gentle new sentence" in changes.diff.toPlainText(), timeout=10000)
    changes.summary.setText("Add a gentle sentence")
    changes.commit_button.click()
    qtbot.waitUntil(lambda: changes.files.count() == 0, timeout=10000)
    assert git(writer, "log", "-1", "--format=%an|%s").strip() == "Maya Chen|Add a gentle sentence"
    qtbot.waitUntil(lambda: window.git.history.list.topLevelItemCount() == 2, timeout=10000)
    history = window.git.history
    history.list.setCurrentItem(history.list.topLevelItem(1))
    history.restore.click()
    qtbot.waitUntil(lambda: "gentle new sentence" not in window.editor.toPlainText(), timeout=10000)
    assert window.is_modified()
    close(window)


def test_commit_with_errors_needs_a_reason(qtbot, team, monkeypatch):
    writer, _ = team
    window = make_window(qtbot, writer)
    open_and_wait(qtbot, window, ENTRY)
    type_at_end(qtbot, window, "\n[Soon](?tab=modules&module=nowhere)")
    assert window.save()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("the module ships on Monday", True))
    window.git.commit([ENTRY], "Link the new module", "")
    qtbot.waitUntil(lambda: "the module ships on Monday" in git(writer, "log", "-1", "--format=%B"), timeout=15000)
    assert "Committed despite 1 error(s): the module ships on Monday" in git(writer, "log", "-1", "--format=%B")
    close(window)


def test_review_menu_refuses_a_writer_and_approves_for_a_reviewer(qtbot, team):
    writer, reviewer = team
    window = make_window(qtbot, writer)
    open_and_wait(qtbot, window, ENTRY)
    window.git.approve()
    qtbot.waitUntil(lambda: "not a clinical reviewer" in window.git.changes.message.text(), timeout=15000)
    assert "status: in-review" in window.editor.toPlainText()
    close(window)
    window = make_window(qtbot, reviewer)
    open_and_wait(qtbot, window, ENTRY)
    window.git.approve()  # shows what would be approved; approving is a click on it
    qtbot.waitUntil(lambda: getattr(window.git, "approve_dialog", None) is not None, timeout=15000)
    window.git.approve_dialog.approve_button.click()
    qtbot.waitUntil(lambda: window.git.changes.message.text().startswith("Done:"), timeout=15000)
    assert "status: approved" in window.editor.toPlainText() and "body_sha256:" in window.editor.toPlainText()
    assert "Reviewed-by: Ana Ruiz <ana.ruiz@example.org>" in git(reviewer, "log", "-1", "--format=%B")
    close(window)


def test_push_and_pull_from_the_panel(qtbot, team):
    writer, reviewer = team
    window = make_window(qtbot, writer)
    edit_and_commit(qtbot, window, "\nShared with the team.", "Share")
    window.git.sync("push")
    qtbot.waitUntil(lambda: window.git.changes.message.text() == "Pushed.", timeout=15000)
    close(window)
    other = make_window(qtbot, reviewer)
    open_and_wait(qtbot, other, ENTRY)
    other.git.sync("pull")
    qtbot.waitUntil(lambda: "Shared with the team." in other.editor.toPlainText(), timeout=15000)
    close(other)


def test_diverged_pull_offers_rebase_and_merge(qtbot, team):
    writer, reviewer = team
    path = reviewer / "entries/sleep/worry-at-bedtime.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nTheirs.\n", encoding="utf-8")
    git(reviewer, "commit", "-qam", "theirs\n")
    git(reviewer, "push", "-q", "origin", "main")
    window = make_window(qtbot, writer)
    edit_and_commit(qtbot, window, "\nMine.", "Mine")
    window.git.sync("pull")
    qtbot.waitUntil(lambda: "Rebase Mine on Top" in window.banner.buttons, timeout=15000)
    window.banner.buttons["Rebase Mine on Top"].click()
    qtbot.waitUntil(lambda: "Pulled" in window.git.changes.message.text(), timeout=15000)
    assert "Theirs." in (writer / "entries/sleep/worry-at-bedtime.md").read_text(encoding="utf-8")
    assert window.editor.toPlainText().endswith("Mine.")
    close(window)


def test_conflict_shows_both_versions_and_a_choice_settles_it(qtbot, team):
    writer, reviewer = team
    for root, words in ((reviewer, "A: Theirs. "), (writer, "A: Mine. ")):
        path = root / ENTRY
        path.write_text(path.read_text(encoding="utf-8").replace("A: ", words, 1), encoding="utf-8")
        git(root, "commit", "-qam", f"{words}\n")
    git(reviewer, "push", "-q", "origin", "main")
    window = make_window(qtbot, writer)
    window.git.sync("pull", "merge")
    changes = window.git.changes
    qtbot.waitUntil(lambda: any("conflicted" in changes.files.item(i).text() for i in range(changes.files.count())),
                    timeout=15000)
    row = next(i for i in range(changes.files.count()) if "conflicted" in changes.files.item(i).text())
    changes.files.setCurrentRow(row)
    qtbot.waitUntil(lambda: "Ana Ruiz's version, on the shared library" in changes.diff.toPlainText(), timeout=10000)
    text = changes.diff.toPlainText()
    assert "A: Mine." in text and "A: Theirs." in text and changes.use_theirs.isVisible()
    assert changes.use_theirs.text() == "Use Ana Ruiz's Version (on the shared library)"
    changes.use_theirs.click()
    qtbot.waitUntil(lambda: "press Continue" in changes.message.text(), timeout=15000)
    assert "A: Theirs." in (writer / ENTRY).read_text(encoding="utf-8")
    qtbot.waitUntil(lambda: "continue" in changes.state.buttons, timeout=15000)
    changes.state.buttons["continue"].click()  # a merge is finished by Continue, not by a commit of chosen files
    qtbot.waitUntil(lambda: git(writer, "log", "-1", "--format=%s").startswith("Merge"), timeout=15000)
    assert git(writer, "log", "-1", "--format=%p").count(" ") == 1  # a merge commit: two parents
    close(window)


def test_review_board_opens_entries(qtbot, team):
    _, reviewer = team
    window = make_window(qtbot, reviewer)
    window.git.review.show_board()
    board = window.git.review.board
    qtbot.waitUntil(lambda: len(board.cards("in-review")) == 5, timeout=10000)
    view = board.views["in-review"]
    first = board.models["in-review"].index(0)
    view.activated.emit(first)
    qtbot.waitUntil(lambda: window.session.document is not None and window.session.document.path == first.data(256))
    close(window)
