"""The Changes panel: what changed since the last commit, each entry's diff word by word,
committing chosen files, and syncing with the shared repository."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QPushButton, QSplitter, QTextBrowser, QVBoxLayout, QWidget)

if TYPE_CHECKING:
    from editor.vcs.status import Status


class ChangesPanel(QWidget):
    diffRequested = Signal(str, str)  # path, kind
    commitRequested = Signal(list, str, str)  # paths, summary, description
    syncRequested = Signal(str)  # fetch, pull, push
    discardRequested = Signal(str)
    resolveRequested = Signal(str, str)  # path, "mine" or "theirs"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Changes")
        self.branch = QLabel("Not a git repository")
        buttons = QHBoxLayout()
        buttons.addWidget(self.branch, 1)
        self.sync_buttons = {}
        for name in ("Fetch", "Pull", "Push"):
            button = QPushButton(name)
            button.clicked.connect(lambda _=False, n=name.lower(): self.syncRequested.emit(n))
            buttons.addWidget(button)
            self.sync_buttons[name.lower()] = button
        self.files = QListWidget()
        self.files.setAccessibleName("Changed files")
        self.files.currentItemChanged.connect(self._selected)
        self.diff = QTextBrowser()
        self.diff.setAccessibleName("Diff")
        self.diff.setOpenLinks(False)
        self.summary = QLineEdit(placeholderText="Summary of the change")
        self.summary.setAccessibleName("Commit summary")
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("Why (optional)")
        self.description.setMaximumHeight(60)
        self.commit_button = QPushButton("Commit Selected")
        self.commit_button.clicked.connect(self._commit)
        self.discard_button = QPushButton("Discard Change\u2026")
        self.discard_button.clicked.connect(self._discard)
        self.use_mine = QPushButton("Use My Version")
        self.use_theirs = QPushButton("Use Their Version")
        for button, side in ((self.use_mine, "mine"), (self.use_theirs, "theirs")):
            button.clicked.connect(lambda _=False, s=side: self._resolve(s))
            button.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.files)
        split.addWidget(self.diff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.description)
        row = QHBoxLayout()
        row.addWidget(self.discard_button)
        row.addWidget(self.use_mine)
        row.addWidget(self.use_theirs)
        row.addStretch(1)
        row.addWidget(self.commit_button)
        layout.addLayout(row)
        layout.addWidget(self.message)

    def show_status(self, state: Status) -> None:
        checked = {self.files.item(i).data(Qt.ItemDataRole.UserRole)[0] for i in range(self.files.count())
                   if self.files.item(i).checkState() == Qt.CheckState.Checked}
        self.branch.setText(f"{state.branch or 'detached'}  \u2191{state.ahead} to push  \u2193{state.behind} to pull"
                            if state.upstream else f"{state.branch or 'detached'} (no shared branch)")
        self.files.clear()
        for change in state.changes:
            item = QListWidgetItem(f"{change.kind:<10} {change.path}")
            item.setData(Qt.ItemDataRole.UserRole, (change.path, change.kind))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if change.path in checked or not checked
                               else Qt.CheckState.Unchecked)
            self.files.addItem(item)
        if not state.changes:
            self.diff.setHtml("<p><i>Nothing to commit: every change is saved in the history.</i></p>")

    def selected_paths(self) -> list[str]:
        return [self.files.item(i).data(Qt.ItemDataRole.UserRole)[0] for i in range(self.files.count())
                if self.files.item(i).checkState() == Qt.CheckState.Checked]

    def _selected(self, item: QListWidgetItem | None, _previous=None) -> None:
        conflicted = item is not None and item.data(Qt.ItemDataRole.UserRole)[1] == "conflicted"
        self.use_mine.setVisible(conflicted)
        self.use_theirs.setVisible(conflicted)
        if item is not None:
            path, kind = item.data(Qt.ItemDataRole.UserRole)
            self.diffRequested.emit(path, kind)

    def _resolve(self, side: str) -> None:
        item = self.files.currentItem()
        if item is not None:
            self.resolveRequested.emit(item.data(Qt.ItemDataRole.UserRole)[0], side)

    def _commit(self) -> None:
        paths = self.selected_paths()
        if not paths:
            self.message.setText("Tick the files to commit.")
            return
        self.commitRequested.emit(paths, self.summary.text(), self.description.toPlainText())

    def _discard(self) -> None:
        item = self.files.currentItem()
        if item is not None:
            self.discardRequested.emit(item.data(Qt.ItemDataRole.UserRole)[0])

    def committed(self) -> None:
        self.summary.clear()
        self.description.clear()
