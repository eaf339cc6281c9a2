"""The History panel: the open entry's commits (author, date, message, reviewer), each diff word by
word, and "Restore This Version" as a new, undoable change."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QSplitter, QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from editor.vcs.git import Revision


class HistoryPanel(QWidget):
    revisionSelected = Signal(str)  # sha
    restoreRequested = Signal(str)  # sha

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("History")
        self.list = QTreeWidget()
        self.list.setAccessibleName("Revisions")
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels(["When", "Who", "What", "Reviewed by"])
        self.list.currentItemChanged.connect(self._selected)
        self.diff = QTextBrowser()
        self.diff.setAccessibleName("Revision diff")
        self.restore = QPushButton("Restore This Version")
        self.restore.setEnabled(False)
        self.restore.clicked.connect(self._restore)
        split = QSplitter(Qt.Orientation.Horizontal)  # the diff gets the panel's whole height
        split.addWidget(self.list)
        split.addWidget(self.diff)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(split, 1)
        layout.addWidget(self.restore)

    def show_history(self, revisions: list[Revision]) -> None:
        self.list.clear()
        self.diff.clear()
        self.revisions = {revision.sha: revision for revision in revisions}
        for revision in revisions:
            item = QTreeWidgetItem([revision.date[:10], revision.author_name, revision.subject, revision.reviewed_by])
            item.setData(0, Qt.ItemDataRole.UserRole, revision.sha)
            whole = revision.subject + (f"\n\n{revision.body.strip()}" if revision.body.strip() else "")
            item.setToolTip(2, f"{whole}\n\n{revision.sha[:10]} {revision.author_email}")
            self.list.addTopLevelItem(item)
        self.restore.setEnabled(False)
        if not revisions:
            self.diff.setHtml("<p><i>This entry has no history yet.</i></p>")

    def show_revision(self, sha: str, diff_html: str) -> None:
        """A commit's whole message (a reviewer's note in full), then its changes."""
        import html

        revision = getattr(self, "revisions", {}).get(sha)
        message = ""
        if revision is not None:
            body = html.escape(revision.body.strip()).replace("\n", "<br/>")
            message = f"<p><b>{html.escape(revision.subject)}</b></p>" + (f"<p>{body}</p>" if body else "") + "<hr/>"
        self.diff.setHtml(message + diff_html)

    def _selected(self, item, _previous=None) -> None:
        self.restore.setEnabled(item is not None)
        if item is not None:
            self.revisionSelected.emit(item.data(0, Qt.ItemDataRole.UserRole))

    def _restore(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.restoreRequested.emit(item.data(0, Qt.ItemDataRole.UserRole))
