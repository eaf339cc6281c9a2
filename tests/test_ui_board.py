"""The review board in the window (issue 17): it fills by itself, follows every review step, save and
pull without a refresh, and the Review menu and the board's buttons offer a step only to whoever may
take it, with the reason on hover."""
from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from conftest import ROOT, git, shared_library  # noqa: E402
from test_ui import make_window, open_and_wait  # noqa: E402

DRAFT = "entries/sleep/worry-at-bedtime.md"
IN_REVIEW = "entries/sleep/cant-sleep-when-baby-sleeps.md"


@pytest.fixture(autouse=True)
def quiet(monkeypatch, tmp_path):
    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


@pytest.fixture
def team(tmp_path):
    return shared_library(tmp_path, [("Maya Chen", "maya.chen@example.org"), ("Ana Ruiz", "ana.ruiz@example.org")])


def close(window):
    window.session.discard_changes()
    window.close()
    window.session.tasks.wait(10000)


def paths(board, column):
    return [card.path for card in board.cards(column)]


def built(qtbot, window):
    review = window.git.review
    qtbot.waitUntil(lambda: review.feed.board is not None and bool(review.board.cards("draft")), timeout=15000)
    return review


def test_the_board_fills_by_itself_with_every_entry_in_its_column(qtbot, team):
    writer, _ = team
    window = make_window(qtbot, writer)
    review = built(qtbot, window)
    board = review.board
    counts = {column: len(board.cards(column)) for column in ("draft", "in-review", "changes-requested", "approved",
                                                             "due")}
    assert counts["in-review"] == 5 and counts["approved"] == 16 and counts["changes-requested"] == 0
    assert sum(counts.values()) == len(window.session.rows)
    assert board.titles["in-review"].text() == "In review (5)"
    index = board.models["in-review"].index(0)
    question, line = index.data().split("\n")
    assert question == board.cards("in-review")[0].question
    assert line.startswith("Setup \u00b7 for ")  # the writer, then how long it has waited
    assert review.board_dock.isVisibleTo(window) or review.board_dock.toggleViewAction().isChecked() is not None
    board.views["in-review"].setCurrentIndex(index)
    qtbot.keyClick(board.views["in-review"], Qt.Key.Key_Return)  # activating a card opens its entry
    qtbot.waitUntil(lambda: window.session.document is not None
                    and window.session.document.path == board.cards("in-review")[0].path, timeout=10000)
    close(window)


def test_request_review_asks_whom_and_a_note_and_the_card_moves_without_a_refresh(qtbot, team):
    writer, _ = team
    window = make_window(qtbot, writer)
    review = built(qtbot, window)
    assert DRAFT in paths(review.board, "draft")
    open_and_wait(qtbot, window, DRAFT)
    action = review.actions["request"]
    qtbot.waitUntil(action.isEnabled, timeout=10000)
    action.trigger()
    dialog = review.request_dialog
    listed = [dialog.reviewers.item(n).text() for n in range(dialog.reviewers.count())]
    assert listed == ["Any listed reviewer", "Ana Ruiz \u2014 Perinatal psychologist\nana.ruiz@example.org",
                      "Grace Miller \u2014 Certified nurse-midwife\ngrace.miller@example.org"]
    dialog.reviewers.setCurrentRow(2)
    qtbot.keyClicks(dialog.note, "Please check the bedtime advice")
    qtbot.mouseClick(dialog.request_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: DRAFT in paths(review.board, "in-review"), timeout=15000)
    assert DRAFT not in paths(review.board, "draft")
    card = next(c for c in review.board.cards("in-review") if c.path == DRAFT)
    assert card.asked == "Grace Miller" and "asked Grace Miller" in review.board.models["in-review"].data(
        review.board.models["in-review"].index(review.board.cards("in-review").index(card)))
    text = (writer / DRAFT).read_text(encoding="utf-8")
    assert "review_request:" in text and "reviewer: grace.miller@example.org" in text
    assert "note: Please check the bedtime advice" in text and "by: maya.chen@example.org" in text
    # the card moves with the entry's row (the file written), the commit may still be on its way
    qtbot.waitUntil(lambda: "Review-requested-from" in git(writer, "log", "-1", "--format=%B"), timeout=15000)
    message = git(writer, "log", "-1", "--format=%B")
    assert "Please check the bedtime advice" in message and "Review-requested-from: Grace Miller" in message
    qtbot.waitUntil(lambda: not action.isEnabled(), timeout=10000)  # in review now: not again
    assert action.toolTip() == "This entry is already waiting for a review"
    close(window)


def test_approve_is_disabled_with_the_reason_for_a_writer_and_offered_to_a_reviewer(qtbot, team):
    writer, reviewer = team
    window = make_window(qtbot, writer)
    review = built(qtbot, window)
    assert not review.actions["approve"].isEnabled()
    assert review.actions["approve"].toolTip().startswith("Open an entry first")
    open_and_wait(qtbot, window, IN_REVIEW)
    menu = review.actions["approve"].associatedObjects()[-1]
    assert menu.toolTipsVisible()
    qtbot.waitUntil(lambda: "Only a clinical reviewer" in review.actions["approve"].toolTip(), timeout=10000)
    assert not review.actions["approve"].isEnabled() and not review.actions["changes"].isEnabled()
    assert "maya.chen@example.org" in review.actions["approve"].toolTip()
    assert "Ana Ruiz, Grace Miller" in review.actions["approve"].toolTip()
    review.board.select(IN_REVIEW)
    assert not review.board.buttons["approve"].isEnabled()
    assert review.board.buttons["approve"].toolTip() == review.actions["approve"].toolTip()
    close(window)

    window = make_window(qtbot, reviewer)
    review = built(qtbot, window)
    open_and_wait(qtbot, window, IN_REVIEW)
    qtbot.waitUntil(review.actions["approve"].isEnabled, timeout=10000)
    assert review.actions["changes"].isEnabled() and not review.actions["request"].isEnabled()
    assert review.actions["approve"].toolTip().startswith("Approve the saved text")
    review.board.select(DRAFT)  # the board's buttons follow the selected card, not the open entry
    assert not review.board.buttons["approve"].isEnabled() and review.board.buttons["request"].isEnabled()
    assert "a draft" in review.board.buttons["approve"].toolTip()
    review.board.select(IN_REVIEW)
    assert review.board.buttons["approve"].isEnabled()
    review.board.buttons["approve"].click()  # shows what would be approved, as the menu does
    qtbot.waitUntil(lambda: window.git.approve_dialog is not None, timeout=15000)
    window.git.approve_dialog.approve_button.click()
    qtbot.waitUntil(lambda: IN_REVIEW in paths(review.board, "approved"), timeout=15000)
    close(window)


def test_a_pull_and_a_save_move_cards_by_themselves(qtbot, team):
    writer, reviewer = team
    window = make_window(qtbot, writer)
    review = built(qtbot, window)
    from editor.content.repository import Repository
    from editor.vcs import review as steps

    steps.request_changes(Repository.open(reviewer), IN_REVIEW, "One more source, please")
    git(reviewer, "push", "-q", "origin", "HEAD")
    window.git.sync("pull")
    qtbot.waitUntil(lambda: IN_REVIEW in paths(review.board, "changes-requested"), timeout=20000)
    card = review.board.cards("changes-requested")[0]
    assert card.writer == "Setup" and "One more source, please" in card.detail
    open_and_wait(qtbot, window, DRAFT)
    window.metadata.status.setCurrentText("in-review")
    window.metadata.status.activated.emit(window.metadata.status.currentIndex())
    assert window.save()
    qtbot.waitUntil(lambda: DRAFT in paths(review.board, "in-review"), timeout=15000)
    card = next(c for c in review.board.cards("in-review") if c.path == DRAFT)
    assert card.uncommitted and card.writer == "Maya Chen"
    close(window)


def test_a_plain_folder_says_why_no_step_is_offered(qtbot, tmp_path):
    root = tmp_path / "plain"
    shutil.copytree(ROOT / "sample_content", root)
    window = make_window(qtbot, root)
    review = built(qtbot, window)
    open_and_wait(qtbot, window, DRAFT)
    qtbot.waitUntil(lambda: "not a git repository" in review.actions["request"].toolTip(), timeout=10000)
    assert not any(action.isEnabled() for action in review.actions.values())
    assert "not a git repository" in review.board.summary.text()
    close(window)


def test_an_identity_set_outside_the_editor_counts_when_the_window_comes_back(qtbot, team):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    writer, _ = team
    window = make_window(qtbot, writer)
    review = built(qtbot, window)
    open_and_wait(qtbot, window, IN_REVIEW)
    qtbot.waitUntil(lambda: "Only a clinical reviewer" in review.actions["approve"].toolTip(), timeout=10000)
    git(writer, "config", "user.name", "Ana Ruiz")  # in a terminal, while the editor is in the background
    git(writer, "config", "user.email", "ana.ruiz@example.org")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    qtbot.waitUntil(review.actions["approve"].isEnabled, timeout=10000)
    assert review.feed.identity == ("Ana Ruiz", "ana.ruiz@example.org")
    close(window)
