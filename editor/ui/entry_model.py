"""The entry list's item model: a thin Qt face on the session's ``EntryList``. It holds no rows of
its own; it passes on what the list says changes (a row in, out, moved or changed, or a new
arrangement in one reset), and answers ``data`` for the rows the view paints. The view is a list
with rows of one size, which lays out fifty thousand rows without asking for any but those shown.
A group's heading is a row too: bold, not selectable; clicking it folds or unfolds the group."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QStyledItemDelegate

from editor.session.entry_arrange import STATUS_LABELS
from editor.session.entry_list import HEADING

if TYPE_CHECKING:
    from collections.abc import Callable

    from editor.session.entry_list import EntryList
    from editor.session.library import LibraryIndex

PATH_ROLE = Qt.ItemDataRole.UserRole  # an entry's path (None for a heading)
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1  # a heading's group name (None for an entry)
PROBLEM_MARK = " \u26a0"
_ROOT = QModelIndex()


class EntryModel(QAbstractListModel):
    def __init__(self, entries: EntryList, library, parent=None):
        super().__init__(parent)
        self.entries = entries
        self.library: Callable[[], LibraryIndex] = library  # the session's current index of rows
        self.resets = 0  # tests read it: a one-entry change resets nothing
        self._bold = QFont()
        self._bold.setBold(True)
        entries.aboutToReset.connect(self.beginResetModel)
        entries.wasReset.connect(self._reset)
        entries.aboutToInsert.connect(lambda first, last: self.beginInsertRows(_ROOT, first, last))
        entries.inserted.connect(self.endInsertRows)
        entries.aboutToRemove.connect(lambda first, last: self.beginRemoveRows(_ROOT, first, last))
        entries.removed.connect(self.endRemoveRows)
        entries.aboutToMove.connect(lambda row, before: self.beginMoveRows(_ROOT, row, row, _ROOT, before))
        entries.moved.connect(self.endMoveRows)
        entries.rowsChanged.connect(lambda first, last: self.dataChanged.emit(self.index(first), self.index(last)))

    def _reset(self) -> None:
        self.resets += 1
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else self.entries.count()

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        kind, _value = self.entries.at(index.row())
        if kind == HEADING:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= self.entries.count():
            return None
        kind, value = self.entries.at(index.row())
        if kind == HEADING:
            if role == Qt.ItemDataRole.DisplayRole:
                folded = "\u25b8" if value in self.entries.collapsed else "\u25be"
                return f"{folded} {value} ({self.entries.size(value)})"
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            if role == GROUP_ROLE:
                return value
            return None
        if role == PATH_ROLE:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            row = self.library().row(value)
            question = row.question if row is not None else value
            return question + (PROBLEM_MARK if value in self.entries.problems else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            row = self.library().row(value)
            status = STATUS_LABELS.get(row.status, row.status) if row is not None else ""
            return f"{value}\n{status}"
        return None

    def index_of(self, path: str) -> QModelIndex | None:
        row = self.entries.position(path)
        return self.index(row) if row is not None else None


class IndentedEntries(QStyledItemDelegate):
    """Entries sit a step in from their group's heading, as in a tree."""

    STEP = 18

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt's name
        super().initStyleOption(option, index)
        if index.data(PATH_ROLE) is not None:
            option.rect = option.rect.adjusted(self.STEP, 0, 0, 0)
