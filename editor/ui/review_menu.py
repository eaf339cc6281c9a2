"""The Review menu and the review board in the window: Request Review (whom to ask, a note),
Approve (after reading exactly what is approved), Request Changes (a note for the writer), each
offered only to whoever may take it on the open entry (or the board's selected card), with the
reason in the tooltip when not; and the board's dock, kept live by the session's
``ReviewBoardFeed``. Every step is ``session.git``'s, on its serial queue."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMessageBox

from editor.lazy import lazy
from editor.session.review_board import ReviewBoardFeed
from editor.ui.review_board import ReviewBoardPanel

if TYPE_CHECKING:
    from editor.ui.git_controller import GitController

review_rights = lazy("editor.vcs.review_rights")

REVIEW_RESULT = {"request": "in review", "approve": "approved", "changes": "a draft again"}


class ReviewMenu(QObject):
    def __init__(self, controller: GitController):
        super().__init__(controller)
        self.controller = controller
        self.session = session = controller.session
        self.git = controller.git
        self.window = controller.window
        self.approve_dialog = None
        self.request_dialog = None
        self.actions: dict[str, QAction] = {}
        self.feed = ReviewBoardFeed(session)
        self.board = ReviewBoardPanel()
        self.board_dock = controller._dock("Review Board", self.board)
        self.board.entryActivated.connect(self.window.open_entry)
        self.board.stepRequested.connect(self._board_step)
        self.board.selectionChanged.connect(self.update_rights)
        self.feed.changed.connect(self._board_built)
        self.feed.moved.connect(self.board.apply_move)  # one card: the Review menu follows by rowChanged
        self.feed.wanted = self.board_dock.isVisible  # hidden, it is built again when shown
        self.board_dock.visibilityChanged.connect(lambda visible: self.feed.wake() if visible else None)
        self.feed.failed.connect(lambda failure: self.board.summary.setText(
            f"The board could not be read: {failure.message}"))
        for signal in (session.documentOpened, session.rowChanged, session.repoStateChanged, session.libraryChanged):
            signal.connect(self.update_rights)
        self.window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """Back at the front: your git identity may have been set in a terminal, so the board (which
        reads it) is built again. Closing: no build starts after the window has gone."""
        if watched is self.window:
            if event.type() == QEvent.Type.ActivationChange and self.window.isActiveWindow():
                self.feed.schedule()
            elif event.type() == QEvent.Type.Close:  # closed, unless the writer cancels it (unsaved changes)
                QTimer.singleShot(0, self, lambda: None if self.window.isVisible() else self.feed.stop())
        return False

    def build_menu(self, docks: list) -> None:
        menu = self.window.menuBar().addMenu("&Review")
        menu.setToolTipsVisible(True)
        for step, text, slot in (("request", "Request &Review\u2026", self.request_review),
                                 ("approve", "&Approve\u2026", self.approve),
                                 ("changes", "Request &Changes\u2026", self.request_changes)):
            action = QAction(text, self.window)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.actions[step] = action
        board = QAction("Review &Board", self.window)
        board.setToolTip("Every entry by where it stands in review")
        board.triggered.connect(self.show_board)
        menu.addAction(board)
        menu.addSeparator()
        for dock in docks:  # the board's own dock is shown by Review Board and closed by its button
            menu.addAction(dock.toggleViewAction())
        self.update_rights()

    # ------------------------------------------------------------------ who may do what

    def _rights(self, column, flag: str, open_entry: bool) -> dict:
        board = self.feed.board
        state = self.git.state
        repository = board.repository if board is not None else None
        if state is not None and not state.repository:
            repository = False
        settings = self.session.loaded.repo.settings if self.session.loaded else None
        return review_rights.rights(column, flag, open_entry=open_entry, repository=repository,
                                    identity=self.feed.identity, known=board is not None, settings=settings)

    def update_rights(self, *_args) -> None:
        """The menu's steps for the open entry, the board's buttons for its selected card."""
        path = self.controller._open_path()
        card = self.feed.board.card(path) if path is not None and self.feed.board is not None else None
        found = self._rights(card.column if card else None, card.flag if card else "", path is not None)
        for step, action in self.actions.items():
            action.setEnabled(found[step].enabled)
            action.setToolTip(found[step].reason)
        card = self.board.selected()
        self.board.set_rights(self._rights(card.column, card.flag, True) if card is not None else None)

    def _board_built(self, board) -> None:
        self.board.show_board(board)
        self.update_rights()

    def show_board(self) -> None:
        """Bring the board forward, with room for a few cards a column (the strip stays under half
        the window, as the layout check wants)."""
        from PySide6.QtCore import Qt

        self.board_dock.show()
        self.board_dock.raise_()
        if not self.board_dock.isFloating() and self.board_dock.height() < self.window.height() * 0.35:
            self.window.resizeDocks([self.board_dock], [int(self.window.height() * 0.4)], Qt.Orientation.Vertical)
        self.feed.schedule()

    def _board_step(self, step: str, path: str) -> None:
        """A board button: the step on the selected card's entry, opened first."""
        if self.controller._open_path() != path and not self.window.open_entry(path):
            return
        {"request": self.request_review, "approve": self.approve, "changes": self.request_changes}[step]()

    # ------------------------------------------------------------------ the steps

    def _review_step(self, step: str, note: str | None = None, reviewer: str | None = None) -> None:
        path = self.controller._open_path()
        if path is None or not self.controller._save_first():
            return
        self.controller._say("Working\u2026")
        self.git.review(step, path, note, lambda _: self._reviewed(path, step), self.controller._failed,
                        reviewer=reviewer)

    def _reviewed(self, path: str, step: str) -> None:
        if self.controller._open_path() == path and not self.session.is_modified:
            self.window.open_entry(path, force=True)
        self.controller._say(f"Done: {path} is now {REVIEW_RESULT[step]}")
        self.controller.entry_opened(path)  # the board follows by itself (session.repositoryChanged)

    def request_review(self) -> None:
        """Ask whom to ask (a reviewer of content.yaml, or any) and for a note, then request."""
        from editor.ui.request_review_dialog import RequestReviewDialog

        path = self.controller._open_path()
        if path is None:
            return
        settings = self.session.loaded.repo.settings if self.session.loaded else None
        row = self.session.library.row(path)
        preferred = row.review_note.by if row is not None and row.review_note is not None else ""
        question = row.question if row is not None else path
        dialog = RequestReviewDialog(self.window, question, settings.reviewers if settings else [], preferred)
        dialog.accepted.connect(lambda: self._review_step("request", dialog.note_text() or None, dialog.reviewer()))
        self.request_dialog = dialog
        dialog.open()

    def approve(self) -> None:
        """Show exactly what would be approved; approve only when the reviewer confirms it. Unsaved
        text is never approved: it is saved first only if the reviewer says so."""
        path = self.controller._open_path()
        if path is None:
            return
        if self.session.is_modified:
            answer = QMessageBox.question(
                self.window, "Approve the saved text only",
                "This entry has changes that are not saved, and an approval covers only saved text.\n\n"
                "Save them, then see what you would approve?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Save or not self.window.documents.save():
                self.controller._say("Not approved: the entry has unsaved changes.")
                return
        self.controller._say("Preparing what you would approve\u2026")
        self.git.approval_preview(path, self._show_approval, self.controller._failed)

    def _show_approval(self, preview) -> None:
        from editor.ui.approve_dialog import ApproveDialog

        self.approve_dialog = ApproveDialog(self.window, preview)
        self.approve_dialog.confirmed.connect(lambda: self._approve_shown(preview))
        self.approve_dialog.open()
        self.controller._say("Read what you would approve, then approve it or cancel.")

    def _approve_shown(self, preview) -> None:
        if self.controller._open_path() == preview.path and self.session.is_modified:
            self.controller._say("Not approved: the text was changed while you read it. Save, and approve again.")
            return
        self.controller._say("Approving\u2026")
        self.git.approve_shown(preview.path, preview.body_sha256, lambda _: self._reviewed(preview.path, "approve"),
                               self.controller._failed)

    def request_changes(self) -> None:
        note, ok = QInputDialog.getMultiLineText(self.window, "Request changes", "What needs to change?")
        if ok and note.strip():
            self._review_step("changes", note.strip())
