"""The Review panel, beside the preview: what changed since the entry was last approved, as the reader
will see it (added words marked green, words taken out struck through in red), the frontmatter
fields that changed, and the comments on the text, open ones first, with Reply, Resolve and Reopen."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTextBrowser, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from editor.render.style import PreviewLook, preview_css

if TYPE_CHECKING:
    from editor.content.comments import Placed
    from editor.vcs.since_approval import SinceApproval

OPEN, OUTDATED, RESOLVED, UNREADABLE = "Open", "Open \u2014 passage rewritten", "Resolved", "Cannot be read"


def state_of(placed: Placed) -> str:
    thread = placed.thread
    if thread.problem is not None:
        return UNREADABLE
    if thread.resolved is not None:
        return RESOLVED
    return OUTDATED if placed.span is None else OPEN


class ReviewPanel(QWidget):
    commentRequested = Signal()
    replyRequested = Signal(str)  # thread id
    resolveRequested = Signal(str)
    reopenRequested = Signal(str)
    threadActivated = Signal(str)  # thread id: show its passage in the editor

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Review")
        self.summary = QLabel("Open an entry to see what changed since it was last approved.")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Changes since approval")
        self.fields = QLabel()
        self.fields.setWordWrap(True)
        self.fields.setAccessibleName("Fields changed")
        self.fields.hide()
        self.changes = QTextBrowser()
        self.changes.setOpenLinks(False)
        self.changes.setAccessibleName("The text with its changes since approval marked")
        self.changes.document().setDefaultStyleSheet(preview_css(PreviewLook()))
        self.threads = QTreeWidget()
        self.threads.setAccessibleName("Comments")
        self.threads.setHeaderLabels(["Comment", "State"])
        header = self.threads.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the note gets the room; the state its own
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.threads.setWordWrap(True)
        self.threads.itemActivated.connect(self._activated)
        self.threads.currentItemChanged.connect(lambda *_: self._enable())
        self.comment_button = QPushButton("Comment on Selection\u2026")
        self.comment_button.setToolTip("Select words in the editor, then comment on them (Ctrl+Alt+M)")
        self.reply_button = QPushButton("Reply\u2026")
        self.resolve_button = QPushButton("Resolve")
        self.reopen_button = QPushButton("Reopen")
        self.comment_button.clicked.connect(self.commentRequested)
        for button, signal in ((self.reply_button, self.replyRequested), (self.resolve_button, self.resolveRequested),
                               (self.reopen_button, self.reopenRequested)):
            button.clicked.connect(lambda _=False, s=signal: self._emit_current(s))
        self.comments_label = QLabel("Comments")
        comments_box = QWidget()
        box = QVBoxLayout(comments_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.comments_label)
        box.addWidget(self.threads, 1)
        buttons = QHBoxLayout()
        for button in (self.comment_button, self.reply_button, self.resolve_button, self.reopen_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.changes)
        split.addWidget(comments_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.fields)
        layout.addWidget(split, 1)
        self.placed: list[Placed] = []
        self._enable()

    # ------------------------------------------------------------------ what it shows

    def show_since(self, since: SinceApproval | None, unsaved: bool = False) -> None:
        if since is None:
            self.summary.setText("Open an entry to see what changed since it was last approved.")
            self.fields.hide()
            self.changes.clear()
            return
        self.summary.setText(f"<b>{html.escape(since.summary)}</b>"
                             + (" <i>(as typed: unsaved changes included)</i>" if unsaved else ""))
        if since.fields:
            self.fields.setText("Fields changed: " + "; ".join(html.escape(f.sentence()) for f in since.fields))
            self.fields.show()
        else:
            self.fields.hide()
        bar = self.changes.verticalScrollBar()
        where = bar.value()
        self.changes.setHtml(f"<div class='page'>{since.html}</div>")
        bar.setValue(where)

    def show_threads(self, placed: list[Placed]) -> None:
        current = self.current_id()
        order = {OPEN: 0, OUTDATED: 0, UNREADABLE: 1, RESOLVED: 2}
        self.placed = sorted(placed, key=lambda p: (order[state_of(p)], p.span[0] if p.span else -1))
        self.threads.clear()
        for p in self.placed:
            thread = p.thread
            state = state_of(p)
            if thread.problem is not None:
                text = f"The comment file {thread.path} cannot be read: {thread.problem}"
            else:
                quote = " ".join(thread.quote.split())
                quote = quote if len(quote) <= 80 else quote[:79] + "\u2026"
                text = f"\u201c{quote}\u201d\n{thread.comment.name or thread.comment.by}: {thread.comment.text}"
            row = QTreeWidgetItem([text, state])
            row.setData(0, Qt.ItemDataRole.UserRole, thread.id)
            row.setToolTip(0, text)
            for reply in thread.replies:
                child = QTreeWidgetItem([f"{reply.name or reply.by}: {reply.text}", ""])
                child.setData(0, Qt.ItemDataRole.UserRole, thread.id)
                row.addChild(child)
            self.threads.addTopLevelItem(row)
            row.setExpanded(state != RESOLVED)
            if thread.id == current:
                self.threads.setCurrentItem(row)
        waiting = sum(1 for p in self.placed if p.thread.is_open)
        self.comments_label.setText(f"Comments: {waiting} open, blocking approval" if waiting else
                                    "Comments: none open" if self.placed else "Comments: none yet")
        self._enable()

    def current_id(self) -> str | None:
        item = self.threads.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def _current(self) -> Placed | None:
        wanted = self.current_id()
        return next((p for p in self.placed if p.thread.id == wanted), None)

    def _enable(self) -> None:
        current = self._current()
        usable = current is not None and current.thread.problem is None
        self.reply_button.setEnabled(usable)
        self.resolve_button.setEnabled(usable and current.thread.resolved is None)
        self.reopen_button.setEnabled(usable and current.thread.resolved is not None)
        why = "Choose a comment in the list first"
        for button in (self.reply_button, self.resolve_button, self.reopen_button):
            button.setToolTip("" if button.isEnabled() else why if current is None else
                              "That comment is resolved already" if button is self.resolve_button else
                              "That comment is open" if button is self.reopen_button else why)

    def _emit_current(self, signal) -> None:
        wanted = self.current_id()
        if wanted is not None:
            signal.emit(wanted)

    def _activated(self, item: QTreeWidgetItem) -> None:
        self.threadActivated.emit(item.data(0, Qt.ItemDataRole.UserRole))
