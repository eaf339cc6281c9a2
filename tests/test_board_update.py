"""The review board changed one entry at a time (issue 20): after any run of one-entry changes (status,
the review block's fields, a reviewer's note, a request for review, the question, an entry added or
deleted), what the board shows is exactly what a build from scratch of the same rows shows, read
by ``build_board`` itself (git's history and status, the comment files) at the same clock: the
columns, the cards in their order, each model's rows, the titles and the summary, and the card
selected stays selected wherever it went. No build runs for such a change, a change while a build
is on a worker is in the board it brings, and only one build runs at a time."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import threading
from types import SimpleNamespace

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject, Signal  # noqa: E402

from conftest import git, shared_library  # noqa: E402
from editor.content.index import ReviewMark, build_index  # noqa: E402
from editor.content.repository import Repository  # noqa: E402
from editor.session import review_board as feeds  # noqa: E402
from editor.session.library import LibraryIndex  # noqa: E402
from editor.session.tasks import TaskRunner  # noqa: E402
from editor.vcs import board as boards  # noqa: E402

STATUSES = ("draft", "in-review", "approved", None, "retired")
PEOPLE = ("ana.ruiz@example.org", "grace.miller@example.org", "someone@else.org", "")


class Files(QObject):
    entryRemoved = Signal(str)


class FakeSession(QObject):
    """What the feed reads of a session: its signals, rows, settings and task runner."""

    libraryChanged = Signal()
    documentSaved = Signal(str)
    repositoryChanged = Signal()
    repoStateChanged = Signal(object)
    rowChanged = Signal(object, object)

    def __init__(self, root):
        super().__init__()
        self.root = root
        repo = Repository.open(root)
        self.loaded = SimpleNamespace(repo=repo)
        self.library = LibraryIndex(build_index(repo.root, repo.paths))
        self.tasks = TaskRunner(self)
        self.files = Files(self)

    rows = property(lambda self: self.library.rows)

    def change(self, row) -> None:  # as Session._update_row
        self.rowChanged.emit(row, self.library.update(row))

    def delete(self, path: str) -> None:  # as LibraryFiles._forget
        self.library.remove(path)
        self.files.entryRemoved.emit(path)


@pytest.fixture
def library(tmp_path):
    """The sample library with history of two people, a comment, an entry edited and not committed
    and one that was never committed."""
    from editor.vcs import comment_steps

    root = shared_library(tmp_path, [("Maya Chen", "maya.chen@example.org")])[0]
    comment_steps.add_on_words(root, "entries/sleep/cant-sleep-when-baby-sleeps.md", "A:", "Cite the source")
    target = root / "entries/sleep/worry-at-bedtime.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "-c", "user.name=Side Person", "-c", "user.email=side@example.org", "commit", "-qm", "Edit")
    target.write_text(target.read_text(encoding="utf-8") + "\nNot committed.\n", encoding="utf-8")
    fresh = root / "entries/sleep/never-committed.md"
    fresh.write_text(target.read_text(encoding="utf-8").replace("id: ", "id: never-", 1), encoding="utf-8")
    return root


def _day(rng: random.Random, today: dt.date) -> str | None:
    pick = rng.random()
    if pick < 0.1:
        return None
    if pick < 0.15:
        return "not a date"
    return (today + dt.timedelta(days=rng.randint(-1300, 60))).isoformat()


def changed_row(rng: random.Random, row, today: dt.date):
    """``row`` with one to three of the fields the board shows changed at random."""
    fields = {
        "status": lambda: rng.choice(STATUSES),
        "question": lambda: rng.choice(["How do I rest?", row.question + " again", "Zz " * rng.randint(1, 3), ""]),
        "reviewer": lambda: rng.choice(PEOPLE) or None,
        "reviewed_on": lambda: _day(rng, today),
        "next_review": lambda: _day(rng, today) if rng.random() < 0.5 else None,
        "approval": lambda: rng.choice(["current", "current", "void", None]),
        "review_note": lambda: None if rng.random() < 0.5 else ReviewMark(
            rng.choice(PEOPLE), _day(rng, today) or "", rng.choice(["Cite it", "Too   long\nnow"])),
        "review_request": lambda: None if rng.random() < 0.4 else ReviewMark(
            rng.choice(PEOPLE), _day(rng, today) or "", rng.choice(["", "Please  look"]), rng.choice(PEOPLE)),
    }
    chosen = rng.sample(sorted(fields), rng.randint(1, 3))
    return dataclasses.replace(row, **{name: fields[name]() for name in chosen})


def random_change(rng: random.Random, session: FakeSession, gone: list, today: dt.date, number: int) -> None:
    rows = session.rows
    pick = rng.random()
    if pick < 0.12 and len(rows) > 3:
        path = rng.choice(rows).path
        gone.append(session.library.row(path))
        session.delete(path)
    elif pick < 0.2 and gone:  # an entry deleted before comes back
        session.change(changed_row(rng, gone.pop(rng.randrange(len(gone))), today))
    elif pick < 0.27:  # a new entry, its file not written yet
        row = dataclasses.replace(rows[0], path=f"entries/sleep/new-{number}.md", id=f"new-{number}")
        session.change(changed_row(rng, row, today))
    elif pick < 0.32:  # a change the board does not show: no card moves
        row = rng.choice(rows)
        session.change(dataclasses.replace(row, module="elsewhere", id=(row.id or "") + "x"))
    else:
        session.change(changed_row(rng, rng.choice(rows), today))


def oracle(session: FakeSession, board):
    """The board a build of the session's rows makes, read afresh (git, comments), at ``board``'s clock."""
    context = board.context
    return boards.build_board(session.root, list(session.rows), session.loaded.repo.settings,
                              today=context.today, now=context.now)


def assert_shows(panel, expected) -> None:
    from editor.ui.review_board import COLUMNS, ReviewBoardPanel

    fresh = ReviewBoardPanel()
    fresh.show_board(expected)
    for column in COLUMNS:
        assert panel.cards(column) == expected.columns[column], column
        assert panel.models[column].rowCount() == len(expected.columns[column])
        assert panel.titles[column].text() == fresh.titles[column].text()
    assert panel.summary.text() == fresh.summary.text()
    board = panel.board
    assert board._by_path == {card.path: card for cards in expected.columns.values() for card in cards}
    assert board.keys == {column: [boards.sort_key(card) for card in cards] for column, cards in expected.columns.items()}
    fresh.deleteLater()


def start(qtbot, root):
    from editor.ui.review_board import ReviewBoardPanel

    session = FakeSession(root)
    feed = feeds.ReviewBoardFeed(session)
    panel = ReviewBoardPanel()
    qtbot.addWidget(panel)
    feed.changed.connect(panel.show_board)
    feed.moved.connect(panel.apply_move)
    qtbot.waitUntil(lambda: feed.builds == 1 and not feed.building, timeout=20000)
    return session, feed, panel


@pytest.mark.parametrize("seed", range(4))
def test_one_entry_changes_show_what_a_build_of_every_row_shows(qtbot, library, seed):
    session, feed, panel = start(qtbot, library)
    rng = random.Random(seed)
    today = feed.board.context.today
    assert_shows(panel, oracle(session, feed.board))
    selected = rng.choice(session.rows).path
    assert panel.select(selected)
    gone: list = []
    moves: list = []
    feed.moved.connect(moves.append)
    for number in range(60):
        random_change(rng, session, gone, today, number)
        assert feed.builds == 1 and not feed.timer.isActive() and not feed.building  # no build for one entry
        assert_shows(panel, oracle(session, feed.board))
        if feed.board.card(selected) is None:  # its entry was deleted: nothing is selected
            assert panel.selected_path is None and panel.selected() is None
            selected = rng.choice(session.rows).path
            assert panel.select(selected)
        assert panel.selected_path == selected and panel.selected() == feed.board.card(selected)
        assert sum(view.currentIndex().isValid() for view in panel.views.values()) == 1
    kinds = {"came" if m.old is None else "went" if m.new is None else "in place" if m.old == m.new
             else "within" if m.old[0] == m.new[0] else "across" for m in moves}
    assert kinds >= {"came", "went", "in place", "across"}, kinds  # the run tried every kind of change
    session.tasks.wait(10000)


def test_a_change_while_a_build_runs_is_in_the_board_it_brings_and_builds_run_one_at_a_time(qtbot, library,
                                                                                            monkeypatch):
    gate, lock = threading.Event(), threading.Lock()
    running = {"now": 0, "most": 0}
    build = feeds._build

    def held(*args):
        with lock:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
        try:
            gate.wait(20)
            return build(*args)
        finally:
            with lock:
                running["now"] -= 1

    monkeypatch.setattr(feeds, "_build", held)
    gate.set()
    session, feed, panel = start(qtbot, library)
    rng = random.Random(7)
    today = feed.board.context.today
    gate.clear()
    feed.rebuild()  # a build on a worker, held there: it read the rows as they are now
    assert feed.building
    for number in range(15):
        random_change(rng, session, [], today, number)
        assert_shows(panel, oracle(session, feed.board))  # the board shown follows at once
    session.repositoryChanged.emit()  # something library-wide while the build runs ...
    qtbot.waitUntil(lambda: not feed.timer.isActive(), timeout=5000)
    assert feed.again and running["most"] == 1  # ... builds once more after it, not beside it
    gate.set()
    qtbot.waitUntil(lambda: feed.builds == 2, timeout=20000)
    assert_shows(panel, oracle(session, feed.board))  # the changes since it read the rows are in it
    qtbot.waitUntil(lambda: feed.builds == 3 and not feed.building, timeout=20000)
    assert_shows(panel, oracle(session, feed.board))
    assert running["most"] == 1
    session.tasks.wait(10000)
