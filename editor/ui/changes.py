"""The Changes panel: the repository's state and what fits it, what changed since the last commit,
each entry's diff word by word (both versions of an entry changed on both sides, with the choices
named by person and place), committing chosen files, and syncing with the shared repository."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QPushButton, QSplitter, QTextBrowser, QVBoxLayout, QWidget)

from editor.ui.repo_state import StateBar

if TYPE_CHECKING:
    from editor.vcs.advice import Advice
    from editor.vcs.state import RepoState
    from editor.vcs.status import Status

CHOSEN = {"mine": "your version chosen", "theirs": "their version chosen", "edited": "edited by hand"}


class ChangesPanel(QWidget):
    diffRequested = Signal(str, str)  # path, kind
    commitRequested = Signal(list, str, str)  # paths, summary, description
    syncRequested = Signal(str)  # fetch, pull, push
    discardRequested = Signal(str)
    resolveRequested = Signal(str, str)  # path, "mine" or "theirs"
    actionRequested = Signal(str)  # an action the state offers: "continue", "abort", "publish" ...

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Changes")
        self.branch = QLabel("Not a git repository")
        self.branch.setAccessibleName("Branch")
        self.state = StateBar()
        self.state.actionRequested.connect(self.actionRequested)
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
        self.use_mine = QPushButton("Use Your Version (not yet shared)")
        self.use_theirs = QPushButton("Use Their Version (on the shared library)")
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
        layout.addWidget(self.state)
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

    def show_state(self, state: RepoState, advice: Advice, labels: dict[str, str]) -> None:
        """The repository's state: the branch line, the state explained with its actions, the files."""
        self.state.show_advice(advice, labels)
        operation = state.operation
        chosen = {c.path: c.chosen for c in operation.conflicts} if operation else {}
        self.show_status(state.status, chosen)
        if not state.repository or state.problem:
            self.branch.setText("No history here" if not state.repository else "git cannot work here")
        elif operation is not None:
            self.branch.setText(f"{operation.branch or state.branch or 'not on a branch'} ({operation.kind} unfinished)")
        elif state.branch is None:
            self.branch.setText("not on a branch" if state.head else "no commits yet")
        elif state.upstream:
            self.branch.setText(f"{state.branch}  \u2191{state.ahead} to push  \u2193{state.behind} to pull")
        else:
            self.branch.setText(f"{state.branch} (not shared yet)")

    def show_status(self, state: Status, chosen: dict[str, str | None] | None = None) -> None:
        chosen = chosen or {}
        checked = {self.files.item(i).data(Qt.ItemDataRole.UserRole)[0] for i in range(self.files.count())
                   if self.files.item(i).checkState() == Qt.CheckState.Checked}
        current = self.files.currentItem()
        current = current.data(Qt.ItemDataRole.UserRole)[0] if current is not None else None
        self.branch.setText(f"{state.branch or 'detached'}  \u2191{state.ahead} to push  \u2193{state.behind} to pull"
                            if state.upstream else f"{state.branch or 'detached'} (no shared branch)")
        self.files.blockSignals(True)
        self.files.clear()
        for change in state.changes:
            note = f"  \u2014 {CHOSEN.get(chosen.get(change.path) or '', 'choose a version')}" \
                if change.kind == "conflicted" else ""
            item = QListWidgetItem(f"{change.kind:<10} {change.path}{note}")
            item.setData(Qt.ItemDataRole.UserRole, (change.path, change.kind))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if change.path in checked or not checked
                               else Qt.CheckState.Unchecked)
            self.files.addItem(item)
            if change.path == current:
                self.files.setCurrentItem(item)
        self.files.blockSignals(False)
        if self.files.currentItem() is None:
            self.use_mine.hide()
            self.use_theirs.hide()
        if not state.changes:
            self.diff.setHtml("<p><i>Nothing to commit: every change is saved in the history.</i></p>")

    def show_conflict(self, view) -> None:
        """Both versions of a conflicted entry (a ConflictView), and its two choices named by person and place."""
        item = self.files.currentItem()
        if item is None or item.data(Qt.ItemDataRole.UserRole)[0] != view.path:
            return
        self.diff.setHtml(view.html)
        self.use_mine.setText(view.mine_choice)
        self.use_theirs.setText(view.theirs_choice)
        self.use_mine.show()
        self.use_theirs.show()

    def selected_paths(self) -> list[str]:
        return [self.files.item(i).data(Qt.ItemDataRole.UserRole)[0] for i in range(self.files.count())
                if self.files.item(i).checkState() == Qt.CheckState.Checked]

    def _selected(self, item: QListWidgetItem | None, _previous=None) -> None:
        self.use_mine.hide()  # shown with the versions, once their authors are known
        self.use_theirs.hide()
        if item is not None:
            path, kind = item.data(Qt.ItemDataRole.UserRole)
            self.diffRequested.emit(path, kind)

    def _resolve(self, side: str) -> None:
        item = self.files.currentItem()
        if item is not None:
            self.resolveRequested.emit(item.data(Qt.ItemDataRole.UserRole)[0], side)

    def _commit(self) -> None:
        paths = self.selected_paths()  # none ticked: the controller says what fits the state
        self.commitRequested.emit(paths, self.summary.text(), self.description.toPlainText())

    def _discard(self) -> None:
        item = self.files.currentItem()
        if item is not None:
            self.discardRequested.emit(item.data(Qt.ItemDataRole.UserRole)[0])

    def committed(self) -> None:
        self.summary.clear()
        self.description.clear()
