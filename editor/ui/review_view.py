"""The Review panel in the window: it follows the open entry (its changes since approval worked out on
a worker after each pause in typing, save and git step, only while the panel is in view), shows its
comment threads where their passages are in the text now, and runs the comment steps: Comment on
Selection (Ctrl+Alt+M, also in the editor's context menu), Reply, Resolve, Reopen."""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QDockWidget, QInputDialog

from editor.lazy import lazy
from editor.session.session import ENTRY
from editor.ui.review_panel import ReviewPanel

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow

facts_of = lazy("editor.session.entry_facts")
comments = lazy("editor.content.comments")
since = lazy("editor.vcs.since_approval")

KEY = "since-approval"
SETTLE_MS = 150  # bursts of news (a save and its git step) give one refresh


def _index_of(text: str, position: int) -> int:
    """The character index of Qt's ``position`` (UTF-16 units) in ``text``."""
    return len(text.encode("utf-16-le")[: 2 * position].decode("utf-16-le", "ignore"))


def _position_of(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


SHOWN_HTML = 60_000  # characters of the marked-up text the panel lays out (Qt takes over 100 ms for more)


def _compute(repo, path: str, text: str):
    """On a worker: the changes since approval, with a page the panel can lay out in a moment."""
    from editor.ui.preview import breakable

    found = since.since_approval(repo, path, text)
    if len(found.html) > SHOWN_HTML:
        page = (f"<p><b>This entry is too long to show its changes here ({len(text):,} characters).</b> The "
                "summary above and the fields changed are of all of it.</p>")
    else:
        page = breakable(found.html)
    return dataclasses.replace(found, html=page)


class ReviewView(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.session = session = window.session
        self.desk = session.git.comments
        self.panel = ReviewPanel()
        self.dock = QDockWidget("Review", window)
        self.dock.setObjectName("dock-review")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.preview_dock, self.dock)
        window.preview_dock.raise_()
        self.timer = QTimer(self, singleShot=True, interval=SETTLE_MS, timeout=self.refresh)
        self.dock.visibilityChanged.connect(lambda shown: shown and self.timer.start())
        session.documentOpened.connect(lambda _path: self._opened())
        session.documentSaved.connect(lambda _path: self.timer.start())
        session.repositoryChanged.connect(self.timer.start)
        session.findingsChanged.connect(lambda scope: scope == ENTRY and self.timer.start())
        self.desk.changed.connect(lambda path: self._threads_changed(path))
        self.panel.commentRequested.connect(self.comment_on_selection)
        self.panel.replyRequested.connect(self.reply)
        self.panel.resolveRequested.connect(lambda thread_id: self._step("resolve", thread_id))
        self.panel.reopenRequested.connect(lambda thread_id: self._step("reopen", thread_id))
        self.panel.threadActivated.connect(self.show_passage)
        self.comment_action = QAction("Co&mment on Selection\u2026", window)
        self.comment_action.setShortcut(QKeySequence("Ctrl+Alt+M"))
        self.comment_action.triggered.connect(self.comment_on_selection)
        window.editor.context_actions.append(self.comment_action)
        self._add_to_review_menu()

    def _add_to_review_menu(self) -> None:
        menu = next((a.menu() for a in self.window.menuBar().actions() if a.text().replace("&", "") == "Review"), None)
        if menu is None:
            self.window.addAction(self.comment_action)
            return
        menu.addSeparator()
        menu.addAction(self.comment_action)
        toggle = self.dock.toggleViewAction()
        toggle.setText("Review &Panel: Changes Since Approval, Comments")
        menu.addAction(toggle)

    # ------------------------------------------------------------------ following the open entry

    def _opened(self) -> None:
        self.panel.show_threads([])
        self.panel.show_since(None)
        self.timer.start()

    def _threads_changed(self, path: str) -> None:
        document = self.session.document
        if document is not None and document.path == path:
            self.show_threads()

    def show_threads(self) -> None:
        document = self.session.document
        if document is None:
            self.panel.show_threads([])
            return
        threads = self.desk.threads_for(document.path)
        body = document.text[facts_of.body_offset(document.text):] if threads else ""  # no YAML read here
        self.panel.show_threads(comments.place(threads, body))

    def refresh(self) -> None:
        """Work out the changes since approval again (only while the panel is in view)."""
        document, loaded = self.session.document, self.session.loaded
        if document is None or loaded is None:
            return
        self.show_threads()
        if self.dock.visibleRegion().isEmpty() and not self.dock.isVisible():
            return
        text = document.text
        self.session.tasks.submit(KEY, _compute, loaded.repo, document.path, text, pause_gc=True,
                                  on_done=lambda result: self._computed(document.path, text, result),
                                  on_error=lambda failure: self.panel.summary.setText(failure.message))

    def _computed(self, path: str, text: str, result) -> None:
        document = self.session.document
        if document is None or document.path != path:
            return
        self.panel.show_since(result, unsaved=document.modified)

    # ------------------------------------------------------------------ comment steps

    def _say(self, text: str) -> None:
        self.window.say(text, 8000)

    def comment_on_selection(self) -> None:
        document = self.session.document
        if document is None:
            self._say("Open an entry and select the words to comment on.")
            return
        cursor = self.window.editor.textCursor()
        text = self.window.editor.text()
        start, end = _index_of(text, cursor.selectionStart()), _index_of(text, cursor.selectionEnd())
        offset = facts_of.body_offset(text)
        if end <= start or not text[start:end].strip():
            self._say("Select the words the comment is about first.")
            return
        if start < offset:
            self._say("Comments are on the answer's text: select words below the frontmatter.")
            return
        if self.session.is_modified:
            self._say("Save the entry first: a comment is made on the saved text, so everyone sees it on the same "
                      "words.")
            return
        note, ok = QInputDialog.getMultiLineText(self.window, "Comment", f"Your comment on \u201c"
                                                 f"{' '.join(text[start:end].split())[:80]}\u201d:")
        if not ok or not note.strip():
            return
        self._say("Adding the comment\u2026")
        self.desk.step("add", document.path, start - offset, end - offset, note.strip(),
                       on_done=lambda _t: self._say("Comment added and committed; push to share it."),
                       on_error=lambda failure: self._say(failure.message))
        self.dock.show()
        self.dock.raise_()

    def reply(self, thread_id: str) -> None:
        note, ok = QInputDialog.getMultiLineText(self.window, "Reply", "Your reply:")
        if ok and note.strip():
            self._step("reply", thread_id, note.strip())

    def _step(self, step: str, thread_id: str, *args) -> None:
        document = self.session.document
        if document is None:
            return
        done = {"reply": "Reply added", "resolve": "Comment resolved", "reopen": "Comment reopened"}[step]
        self.desk.step(step, document.path, thread_id, *args,
                       on_done=lambda _t: self._say(f"{done} and committed; push to share it."),
                       on_error=lambda failure: self._say(failure.message))

    def show_passage(self, thread_id: str) -> None:
        """Select the thread's passage in the editor, where it is in the text now."""
        document = self.session.document
        placed = next((p for p in self.panel.placed if p.thread.id == thread_id), None)
        if document is None or placed is None:
            return
        if placed.span is None:
            self._say("The words this comment was on have been rewritten; it is shown in the list with its quote.")
            return
        text = self.window.editor.text()
        offset = facts_of.body_offset(text)
        cursor = QTextCursor(self.window.editor.document())
        cursor.setPosition(_position_of(text, offset + placed.span[0]))
        cursor.setPosition(_position_of(text, offset + placed.span[1]), QTextCursor.MoveMode.KeepAnchor)
        self.window.editor.setTextCursor(cursor)
        self.window.editor.centerCursor()
        self.window.editor.setFocus()
