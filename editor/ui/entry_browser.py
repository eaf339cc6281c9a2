"""The entry browser: every entry by its question, grouped by module or status, with filters for
text (question, id, file and, once the library's texts are read, the whole body), module, status
and "has problems". Down in the filter goes to the results; Enter opens the only or first match.

Thin: the session's ``EntryList`` holds what is shown and keeps it current; this panel hands it
the filter and shows it through ``EntryModel`` in a list view (a heading row per group)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QListView,
                               QMenu, QVBoxLayout, QWidget)

from editor.session.entry_arrange import STATUS_LABELS, ListFilter
from editor.ui.entry_model import GROUP_ROLE, PATH_ROLE, EntryModel, IndentedEntries

if TYPE_CHECKING:
    from editor.content.index import IndexRow
    from editor.session.entry_list import EntryList
    from editor.session.session import Session

__all__ = ["STATUS_LABELS", "ENTRY_ACTIONS", "EntryBrowser"]

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
        self.tree = QListView()  # one row per heading and per entry, all of one height: laid out without asking for them
        self.tree.setAccessibleName("Entry list")
        self.tree.setUniformItemSizes(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setItemDelegate(IndentedEntries(self.tree))
        self.tree.activated.connect(self._activated)
        self.tree.clicked.connect(self._clicked)
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
        self.session: Session | None = None
        self.entries: EntryList | None = None
        self.model: EntryModel | None = None
        self.titles: dict[str, str] = {}
        self.set_loading(True)

    def attach(self, session: Session) -> None:
        """Show the session's entry list (once, when the window is built)."""
        self.session, self.entries = session, session.entry_list
        self.model = EntryModel(self.entries, lambda: session.library, self)
        self.tree.setModel(self.model)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._count_shown)
        if self.entries.ready:
            self._count_shown()

    @property
    def rows(self) -> list[IndexRow]:
        return self.session.rows if self.session is not None else []

    @property
    def problem_paths(self) -> frozenset[str]:
        return self.entries.problems if self.entries is not None else frozenset()

    def set_loading(self, loading: bool) -> None:
        if loading:
            self.count.setText("Loading entries\u2026")

    def set_rows(self, rows: list[IndexRow], titles: dict[str, str]) -> None:
        """The library (re)loaded: the module filter lists its modules (the list itself follows the session)."""
        self.titles = titles
        current = self.module.currentData()
        self.module.blockSignals(True)
        self.module.clear()
        self.module.addItem("All modules", None)
        for slug, title in sorted(titles.items(), key=lambda kv: kv[1].lower()):
            self.module.addItem(title, slug)
        index = self.module.findData(current)
        self.module.setCurrentIndex(max(index, 0))
        self.module.blockSignals(False)
        if self.module.currentData() != current:
            self.refresh()

    def spec(self) -> ListFilter:
        """The filter as the panel's fields have it now."""
        return ListFilter(self.filter.text(), self.module.currentData(), self.status.currentData(),
                          self.problems_only.isChecked(), self.group.currentIndex() == 1)

    def set_problem_paths(self, paths: set[str]) -> None:
        if self.entries is not None:
            self.entries.set_problems(paths)

    def visible_rows(self) -> list[IndexRow]:
        """The rows the filter as typed selects (at once, whether or not the list shows them yet)."""
        return self.entries.matching(self.spec()) if self.entries is not None else []

    def refresh(self) -> None:
        """The list follows the filter (arranged on a worker for a large library)."""
        if self.entries is None:
            return
        spec = self.spec()
        if spec != self.entries.spec or not self.entries.pending:
            self.entries.set_filter(spec)

    def _count_shown(self, *_args) -> None:
        entries = self.entries
        if entries is not None and entries.ready:
            self.count.setText(f"{entries.shown} of {len(self.rows)} entries")

    def item_for(self, path: str) -> QModelIndex | None:
        """The entry's row in the list, if it is shown."""
        return self.model.index_of(path) if self.model is not None else None

    def current_path(self) -> str | None:
        """The entry selected in the list, if one is."""
        index = self.tree.currentIndex()
        return index.data(PATH_ROLE) if index.isValid() else None

    def select(self, path: str) -> bool:
        index = self.item_for(path)
        if index is None:
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def first_entry_item(self) -> QModelIndex | None:
        """The first entry listed (in the first group), as the list shows it."""
        row = self.entries.first_entry() if self.entries is not None else None
        return self.model.index(row) if row is not None else None

    def _settle(self, then) -> None:
        """``then()`` once the list shows the filter as typed now, even if typing has not paused yet."""
        if self._typing.isActive():
            self._typing.stop()
            self.refresh()
        if self.entries is not None:
            self.entries.when_arranged(then)

    def go_to_results(self) -> bool:
        """Down in the filter: the keyboard goes to the list, on its first entry."""
        found = []
        self._settle(lambda: found.append(self._to_first()))
        return bool(found and found[0])

    def _to_first(self) -> bool:
        index = self.first_entry_item()
        if index is None:
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def open_first_match(self) -> None:
        """Enter in the filter: open the only match, or the first one listed."""
        def first() -> None:
            index = self.first_entry_item()
            if index is not None:
                self.tree.setCurrentIndex(index)
                self._activated(index)
        self._settle(first)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.filter and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Down and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if self.go_to_results():
                return True
        return super().eventFilter(watched, event)

    def _context_menu(self, position) -> None:
        index = self.tree.indexAt(position)
        path = index.data(PATH_ROLE) if index.isValid() else None
        if not path:
            return
        self.tree.setCurrentIndex(index)
        menu = QMenu(self)
        for name, label in ENTRY_ACTIONS:
            menu.addAction(label, lambda n=name: self.entryAction.emit(n, path))
        menu.exec(self.tree.viewport().mapToGlobal(position))

    def _clicked(self, index: QModelIndex) -> None:
        group = index.data(GROUP_ROLE)
        if group is not None and self.entries is not None:
            self.entries.toggle(group)  # a heading folds or unfolds its group
        else:
            self._activated(index)

    def _activated(self, index: QModelIndex) -> None:
        path = index.data(PATH_ROLE) if index.isValid() else None
        if path:
            self.entryActivated.emit(path)
