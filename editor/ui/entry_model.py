"""The entry list's item model: a thin Qt face on the session's ``EntryList``. It keeps the rows'
text in Qt's own string list (so counting and indexing rows, which a list view does for every row
each time it lays them out, never calls into Python), and follows what the list says changed: a
row in, out, moved or changed, or every row at once after a new arrangement. The roles beyond the
text are answered for the rows the view paints. A group's heading is a row too: bold, not
selectable; clicking it folds or unfolds the group."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt
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
_ROOT = QModelIndex()
_DISPLAY = Qt.ItemDataRole.DisplayRole


class EntryModel(QStringListModel):
    def __init__(self, entries: EntryList, library: Callable[[], LibraryIndex], parent=None):
        super().__init__(parent)
        self.entries = entries
        self.library = library  # the session's current index of rows
        self.resets = 0  # tests read it: a one-entry change resets nothing
        self._bold = QFont()
        self._bold.setBold(True)
        entries.wasReset.connect(self._reset)
        entries.inserted.connect(self._inserted)
        entries.removed.connect(lambda first, last: self.removeRows(first, last - first + 1))
        entries.moved.connect(lambda row, before: self.moveRows(_ROOT, row, 1, _ROOT, before))
        entries.rowsChanged.connect(self._changed)
        if entries.ready:
            self._reset()

    def _reset(self) -> None:
        self.resets += 1
        self.setStringList(self.entries.labels())

    def _inserted(self, first: int, last: int) -> None:
        self.insertRows(first, last - first + 1)
        self._changed(first, last)

    def _changed(self, first: int, last: int) -> None:
        label = self.entries.label
        for row in range(first, last + 1):
            self.setData(self.index(row), label(row), _DISPLAY)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.entries.at(index.row())[0] == HEADING:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        if role == _DISPLAY or role == Qt.ItemDataRole.EditRole:
            return super().data(index, role)
        if not index.isValid() or index.row() >= self.entries.count():
            return None
        kind, value = self.entries.at(index.row())
        if kind == HEADING:
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            return value if role == GROUP_ROLE else None
        if role == PATH_ROLE:
            return value
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
