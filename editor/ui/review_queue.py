"""The review queue: entries in review, approvals voided by later edits, reviews due soon or overdue."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from editor.vcs.review import QueueItem


REASONS = {"void": "Approval void", "overdue": "Review overdue", "in-review": "Waiting for review",
           "changes-requested": "Changes requested", "due": "Review due soon"}


class ReviewQueuePanel(QWidget):
    entryActivated = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Review queue")
        self.summary = QLabel("Open Review \u2192 Review Queue to fill this list.")
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(["Why", "Question", "Detail"])
        self.tree.setColumnWidth(0, 160)
        self.tree.setColumnWidth(1, 520)
        self.tree.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

    def show_items(self, items: list[QueueItem]) -> None:
        self.tree.clear()
        for item in items:
            row = QTreeWidgetItem([REASONS.get(item.reason, item.reason), item.question, item.detail])
            row.setData(0, Qt.ItemDataRole.UserRole, item.path)
            row.setToolTip(1, item.path)
            self.tree.addTopLevelItem(row)
        self.summary.setText(f"{len(items)} entries need a reviewer's attention" if items
                             else "Nothing waits for a reviewer.")

    def _activated(self, row: QTreeWidgetItem) -> None:
        self.entryActivated.emit(row.data(0, Qt.ItemDataRole.UserRole))
