"""The entry browser: every entry by its question, grouped by module or status, with filters for
text (question, id, file and, once the library's texts are read, the whole body), module, status
and "has problems". Down in the filter goes to the results; Enter opens the only or first match."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QMenu, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

if TYPE_CHECKING:
    from editor.content.index import IndexRow

STATUS_LABELS = {"draft": "Draft", "in-review": "In review", "approved": "Approved", None: "No status"}


ENTRY_ACTIONS = (("rename", "Rename Entry\u2026"), ("duplicate", "Duplicate Entry"), ("delete", "Delete Entry\u2026"))


class EntryBrowser(QWidget):
    entryActivated = Signal(str)
    entryAction = Signal(str, str)  # "rename", "duplicate" or "delete", and the entry's path (its context menu)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Entries")
        self.filter = QLineEdit(placeholderText="Search questions, answers, ids and files")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter entries")
        self.group = QComboBox()
        self.group.addItems(["By module", "By status"])
        self.group.setAccessibleName("Group entries")
        self.module = QComboBox()
        self.module.setAccessibleName("Module filter")
        self.status = QComboBox()
        self.status.setAccessibleName("Status filter")
        self.status.addItem("All statuses", None)
        for key in ("draft", "in-review", "approved"):
            self.status.addItem(STATUS_LABELS[key], key)
        self.problems_only = QCheckBox("Has problems")
        self.count = QLabel()
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Entry list")
        self.tree.setHeaderHidden(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.filter.installEventFilter(self)
        self.filter.returnPressed.connect(self.open_first_match)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.filter)
        row = QHBoxLayout()
        row.addWidget(self.group)
        row.addWidget(self.module)
        row.addWidget(self.status)
        layout.addLayout(row)
        row2 = QHBoxLayout()
        row2.addWidget(self.problems_only)
        row2.addStretch(1)
        row2.addWidget(self.count)
        layout.addLayout(row2)
        layout.addWidget(self.tree, 1)
        self._typing = QTimer(self, singleShot=True, interval=150, timeout=self.refresh)
        self.filter.textChanged.connect(self._typing.start)  # refilter when typing pauses
        for signal in (self.group.currentIndexChanged, self.module.currentIndexChanged,
                       self.status.currentIndexChanged, self.problems_only.toggled):
            signal.connect(self.refresh)
        self.rows: list[IndexRow] = []
        self._items: dict[str, QTreeWidgetItem] = {}  # path -> its item in the tree
        self.titles: dict[str, str] = {}
        self.problem_paths: set[str] = set()
        # the full-text search: query -> the paths whose body holds every word (the session's index)
        self.full_text: Callable[[str], frozenset[str]] | None = None
        self.set_loading(True)

    def set_loading(self, loading: bool) -> None:
        if loading:
            self.count.setText("Loading entries\u2026")

    def set_rows(self, rows: list[IndexRow], titles: dict[str, str]) -> None:
        self.rows, self.titles = rows, titles  # the window's library index keeps them current
        current = self.module.currentData()
        self.module.blockSignals(True)
        self.module.clear()
        self.module.addItem("All modules", None)
        for slug, title in sorted(titles.items(), key=lambda kv: kv[1].lower()):
            self.module.addItem(title, slug)
        index = self.module.findData(current)
        self.module.setCurrentIndex(max(index, 0))
        self.module.blockSignals(False)
        self.refresh()

    def update_row(self, row: IndexRow, old: IndexRow | None) -> None:
        """``row`` has replaced ``old`` in the rows (a check after typing, a save; ``old`` is None for
        a new entry): the tree follows in place, without rebuilding thousands of items, unless the
        entry moves to another group or in or out of the filter."""
        if old == row:
            return
        item = self._items.get(row.path)
        if old is None or item is None or (old.module, old.status) != (row.module, row.status) \
                or self._shown(old) != self._shown(row) or not self._shown(row):
            self.refresh()
            return
        item.setText(0, self._label(row))
        item.setToolTip(0, self._tooltip(row))
        if old.question != row.question and item.parent() is not None:
            item.parent().sortChildren(0, Qt.SortOrder.AscendingOrder)

    def set_problem_paths(self, paths: set[str]) -> None:
        self.problem_paths = set(paths)
        self.refresh()

    def visible_rows(self) -> list[IndexRow]:
        shown = self._filter()
        return [r for r in self.rows if shown(r)]

    def _shown(self, row: IndexRow) -> bool:
        return self._filter()(row)

    def _filter(self):
        text = self.filter.text().strip()
        module, status = self.module.currentData(), self.status.currentData()
        only_problems, problems = self.problems_only.isChecked(), self.problem_paths
        found = self.full_text(text) if text and self.full_text is not None else frozenset()
        return lambda r: ((not text or r.path in found or r.matches(text)) and (module is None or r.module == module)
                          and (status is None or r.status == status) and (not only_problems or r.path in problems))

    def _label(self, row: IndexRow) -> str:
        return row.question + (" \u26a0" if row.path in self.problem_paths else "")

    @staticmethod
    def _tooltip(row: IndexRow) -> str:
        return f"{row.path}\n{STATUS_LABELS.get(row.status, row.status)}"

    def refresh(self) -> None:
        rows = self.visible_rows()
        by_status = self.group.currentIndex() == 1
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        self._items = {}
        groups: dict[str, QTreeWidgetItem] = {}
        for row in sorted(rows, key=lambda r: r.question.lower()):
            name = STATUS_LABELS.get(row.status, row.status or "No status") if by_status else \
                self.titles.get(row.module or "", row.module or "No module")
            group = groups.get(name)
            if group is None:
                group = groups[name] = QTreeWidgetItem([name])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item = QTreeWidgetItem([self._label(row)])
            item.setToolTip(0, self._tooltip(row))
            item.setData(0, Qt.ItemDataRole.UserRole, row.path)
            group.addChild(item)
            self._items[row.path] = item
        for name in sorted(groups, key=str.lower):
            self.tree.addTopLevelItem(groups[name])
            groups[name].setText(0, f"{name} ({groups[name].childCount()})")
        self.tree.expandAll()
        self.tree.setUpdatesEnabled(True)
        self.count.setText(f"{len(rows)} of {len(self.rows)} entries")

    def item_for(self, path: str) -> QTreeWidgetItem | None:
        return self._items.get(path)

    def current_path(self) -> str | None:
        """The entry selected in the list, if one is."""
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def first_entry_item(self) -> QTreeWidgetItem | None:
        """The first entry listed (in the first group), as the list shows it."""
        for number in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(number)
            if group.childCount():
                return group.child(0)
        return None

    def _settle(self) -> None:
        """The filter as typed now, even if typing has not paused yet."""
        if self._typing.isActive():
            self._typing.stop()
            self.refresh()

    def go_to_results(self) -> bool:
        """Down in the filter: the keyboard goes to the list, on its first entry."""
        self._settle()
        item = self.first_entry_item()
        if item is None:
            return False
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def open_first_match(self) -> None:
        """Enter in the filter: open the only match, or the first one listed."""
        self._settle()
        item = self.first_entry_item()
        if item is not None:
            self.tree.setCurrentItem(item)
            self._activated(item)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.filter and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Down and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if self.go_to_results():
                return True
        return super().eventFilter(watched, event)

    def _context_menu(self, position) -> None:
        item = self.tree.itemAt(position)
        path = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if not path:
            return
        self.tree.setCurrentItem(item)
        menu = QMenu(self)
        for name, label in ENTRY_ACTIONS:
            menu.addAction(label, lambda n=name: self.entryAction.emit(n, path))
        menu.exec(self.tree.viewport().mapToGlobal(position))

    def _activated(self, item: QTreeWidgetItem) -> None:
        path = item.data(0, Qt.ItemDataRole.UserRole)
        if path:
            self.entryActivated.emit(path)
