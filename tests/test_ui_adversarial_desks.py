"""An adversary's window tests of the desks (issue 17): the Review menu against git's view of who you
are, and the board after a commit made in a terminal. A test marked xfail(strict) is a bug found."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from conftest import git, shared_library  # noqa: E402
from test_ui import make_window, open_and_wait  # noqa: E402

DRAFT = "entries/sleep/worry-at-bedtime.md"
IN_REVIEW = "entries/sleep/cant-sleep-when-baby-sleeps.md"


@pytest.fixture(autouse=True)
def quiet(monkeypatch, tmp_path):
    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def close(window):
    window.session.discard_changes()
    window.close()
    window.session.tasks.wait(10000)


def built(qtbot, window):
    review = window.git.review
    qtbot.waitUntil(lambda: review.feed.board is not None and bool(review.board.cards("draft")), timeout=15000)
    return review


def test_approve_says_when_the_git_name_is_not_the_listed_one(qtbot, tmp_path):
    (root,) = shared_library(tmp_path, [("A. Ruiz", "ana.ruiz@example.org")])
    window = make_window(qtbot, root)
    review = built(qtbot, window)
    open_and_wait(qtbot, window, IN_REVIEW)
    qtbot.waitUntil(lambda: not review.actions["approve"].toolTip().startswith(("Open", "Checking", "Reading")),
                    timeout=10000)
    try:
        assert not review.actions["approve"].isEnabled()
        assert "Ana Ruiz" in review.actions["approve"].toolTip()
    finally:
        close(window)


def test_a_commit_in_a_terminal_shows_on_the_board_when_the_window_is_back(qtbot, tmp_path):
    (root,) = shared_library(tmp_path, [("Maya Chen", "maya.chen@example.org")])
    window = make_window(qtbot, root)
    review = built(qtbot, window)
    assert DRAFT in [card.path for card in review.board.cards("draft")]
    file = root / DRAFT
    file.write_text(file.read_text(encoding="utf-8").replace("status: draft", "status: in-review"), encoding="utf-8")
    git(root, "-c", "user.name=Terminal Tess", "-c", "user.email=tess@example.org", "commit", "-qam", "From a shell")
    builds = review.feed.builds
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))  # the writer comes back to the window
    window.activateWindow()
    qtbot.waitUntil(lambda: DRAFT in [card.path for card in review.board.cards("in-review")], timeout=15000)
    assert review.feed.builds > builds
    assert review.feed.board.card(DRAFT).writer == "Terminal Tess"
    close(window)
