"""The review board, kept live: built on a worker (``editor.vcs.board``) after every review step,
save, pull, library reload and background fetch, a burst of those coalesced into one build, one
build at a time (a change while one runs builds once more after it). An edit of one entry's fields
changes that one card on the UI thread (``editor.vcs.board_update``, ``moved``), with what the last
build read: at 50,000 entries a build is seconds of Python, whose result the UI thread would feel
in the middle of typing. It also knows who you are to git (read by each build), which decides what
the Review menu offers (``editor.vcs.review_rights``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from editor.lazy import lazy

if TYPE_CHECKING:
    from editor.session.session import Session

boards = lazy("editor.vcs.board")
updates = lazy("editor.vcs.board_update")

KEY = "review-board"
COALESCE_MS = 150


def _build(root, rows, settings, history):
    from editor.session.library import freeze_long_lived

    board = boards.build_board(root, rows, settings, history=history)
    freeze_long_lived()  # a card an entry, kept until the next build: not for the collector to walk
    return board


def _dismantle(board, keep) -> None:
    """Free a board that is no longer shown a piece at a time, on a worker: at 50,000 entries its
    cards, their index and (when HEAD moved) its history take 25 ms or more to free, all in one call
    of C that holds the interpreter lock, wherever the last reference goes (the UI thread, without
    this). A list anyone else still holds is left whole; ``keep``: the history the next board reuses."""
    import sys

    by_path = board._by_path or {}
    while by_path:
        for _ in range(min(len(by_path), 500)):
            by_path.popitem()
    history = board.history.entries if board.history is not None and board.history is not keep else {}
    while history:
        for _ in range(min(len(history), 500)):
            history.popitem()
    for table in (board.columns, board.keys or {}):
        for items in table.values():
            if sys.getrefcount(items) <= 3:  # the table's, the loop's and this call's
                while items:
                    del items[-500:]


class ReviewBoardFeed(QObject):
    changed = Signal(object)  # a Board (editor.vcs.board)
    failed = Signal(object)  # a Failure of a build
    moved = Signal(object)  # a Move (editor.vcs.board_update): one card of ``board`` changed, came or went

    def __init__(self, session: Session):
        super().__init__(session)
        self.session = session
        self.board = None  # the last Board built
        self.stopped = False
        self.wanted = lambda: True  # whether anyone shows the board now (the window says: its dock is visible)
        self.dirty = False  # a change came while nobody showed the board: build when it is shown
        self.builds = 0  # builds finished (tests and benchmarks read it)
        self.building = False  # a build is on a worker ...
        self.again = False  # ... and something changed since it was asked for: build once more after it
        self.since: set[str] = set()  # entries changed since the build on the worker read the rows
        self.timer = QTimer(self, singleShot=True, interval=COALESCE_MS, timeout=self.rebuild)
        for signal in (session.libraryChanged, session.documentSaved, session.repositoryChanged,
                       session.repoStateChanged):
            signal.connect(self.schedule)
        session.rowChanged.connect(self._row_changed)
        files = getattr(session, "files", None)
        if files is not None:
            files.entryRemoved.connect(self._changed)
        if session.loaded is not None:
            self.schedule()

    @property
    def identity(self) -> tuple[str, str] | None:
        return self.board.identity if self.board is not None else None

    @property
    def known(self) -> bool:
        """Whether a build has said who you are and whether this is a git repository."""
        return self.board is not None

    def schedule(self, *_args) -> None:
        """Build again soon. Once a board is known (who you are, for the Review menu), a change while
        nobody shows the board only marks it out of date: at 50,000 entries a build is seconds of
        Python on a worker, which the UI thread feels while the writer types."""
        if self.stopped:
            return
        if self.board is not None and not self.wanted():
            self.dirty = True
            return
        self.timer.start()

    def wake(self) -> None:
        """The board is shown: build it now if a change came while it was hidden."""
        if self.dirty and not self.stopped:
            self.dirty = False
            self.timer.start()

    def stop(self) -> None:
        """The window is closing: no build after this one."""
        self.stopped = True
        self.timer.stop()

    def _row_changed(self, row, old) -> None:
        if old is None or row.review_key != old.review_key:  # typing that changes no card changes nothing
            self._changed(row.path)

    def _changed(self, path: str) -> None:
        """One entry's row changed, came or went: its card, on the board shown now and, when a build
        is on a worker (it read the rows before), on that one when it comes."""
        if self.stopped:
            return
        if self.building:
            self.since.add(path)
        if self.board is not None and self.board.context is None:  # not one a build made: build one
            self.schedule()
        elif self.board is not None:
            move = self._update(self.board, path)
            if move is not None:
                self.moved.emit(move)

    def _update(self, board, path: str):
        row = self.session.library.row(path)
        return updates.update(board, row) if row is not None else updates.remove(board, path)

    def rebuild(self) -> None:
        session = self.session
        if session.loaded is None or self.stopped:
            return
        if self.building:  # one build at a time: two would hold both workers and the interpreter lock
            self.again = True
            return
        self.building, self.again = True, False
        self.since = set()
        history = self.board.history if self.board is not None else None
        session.tasks.submit(KEY, _build, session.root, list(session.rows), session.loaded.repo.settings, history,
                             on_done=self._built, on_error=self._failed, pause_gc=True)

    def _landed(self) -> None:
        self.building = False
        if self.again and not self.stopped:
            self.again = False
            self.timer.start()

    def _failed(self, failure) -> None:
        self._landed()
        if not self.stopped:
            self.failed.emit(failure)

    def _built(self, board) -> None:
        changed, self.since = self.since, set()
        self._landed()
        if self.stopped:
            return
        for path in changed:  # the rows the build read are older than these
            self._update(board, path)
        old, self.board = self.board, board
        self.builds += 1
        self.changed.emit(board)
        if old is not None and old is not board:
            self.session.tasks.submit(f"{KEY}-free", _dismantle, old, board.history)
