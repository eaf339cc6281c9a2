"""The Link Health panel: every link target (in-app and web) with its status and the entries
that use it, broken first, filtered by module and by text; or, for one module, what links here:
every entry that links to it, with counts. A target's uses are made when it is opened (a link in
ten thousand entries would otherwise cost a second to list); activating a use opens the entry at
the link. The model comes from the session (``editor.checks.link_health``); this only shows it."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QComboBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QStyle, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from editor.checks.link_health import BROKEN, OK, UNCHECKED, WARNING, Backlinks, LinkHealth, TargetRow

ROLE = Qt.ItemDataRole.UserRole  # a use: (path, line, column); a target: its key
FILLED = ROLE + 1  # a target's uses were made
STATUS_WORD = {BROKEN: "Broken", WARNING: "Warning", UNCHECKED: "Not checked", OK: "OK"}
STATUS_ICON = {BROKEN: QStyle.StandardPixmap.SP_MessageBoxCritical,
               WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
               UNCHECKED: QStyle.StandardPixmap.SP_MessageBoxQuestion,
               OK: QStyle.StandardPixmap.SP_DialogApplyButton}
LINKS, BACKLINKS = "links", "backlinks"
FILTER_DELAY_MS = 150
BIG_MODEL = 5000  # uses
COLUMNS = {LINKS: ("Status", "Link", "Entries / line", "Detail"), BACKLINKS: ("Entry", "Links", "Line", "Detail")}


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


class LinkHealthPanel(QWidget):
    useActivated = Signal(str, int, int)  # path, line, column
    checkWebRequested = Signal()
    cancelRequested = Signal()
    backlinksRequested = Signal()  # "What links here" for the open entry's module

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Link Health")
        self.model: LinkHealth | None = None
        self.mode = LINKS
        self.module = QComboBox()
        self.module.setAccessibleName("Module")
        self.module.setToolTip("All modules, or one: in-app links that open it, and the web links of its entries")
        self.module.addItem("All modules", None)
        self.module.setMinimumContentsLength(18)
        self.module.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.filter = QLineEdit()
        self.filter.setAccessibleName("Filter links")
        self.filter.setPlaceholderText("Filter by address, entry or question")
        self.filter.setClearButtonEnabled(True)
        self.backlinks = QPushButton("What Links Here")
        self.backlinks.setCheckable(True)
        self.backlinks.setToolTip("Every entry that links to the module chosen (any section), with counts; "
                                  "with all modules, to the open entry's module")
        self.check_web = QPushButton("Check Web Links")
        self.check_web.setToolTip("Fetch every web address once (online); nothing is fetched otherwise")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Cancel Check Web Links")
        self.cancel.hide()
        self.summary = QLabel("Reading the library\u2019s links\u2026")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(QLabel("&Module:", buddy=self.module))
        top.addWidget(self.module)
        top.addWidget(self.filter, 1)
        for widget in (self.backlinks, self.progress, self.cancel, self.check_web):
            top.addWidget(widget)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Links")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setExpandsOnDoubleClick(False)  # activating a target opens it, once
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        style = QApplication.style()
        self._icons = {status: style.standardIcon(pixmap) for status, pixmap in STATUS_ICON.items()}
        self._rows: dict[str, object] = {}  # a top-level item's key -> what it shows
        self._set_columns()
        self.module.currentIndexChanged.connect(self._module_changed)
        self.filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS, timeout=self.refill)
        self.filter.textChanged.connect(self._filter_changed)
        self.backlinks.toggled.connect(self._backlinks_toggled)
        self.check_web.clicked.connect(self.checkWebRequested)
        self.cancel.clicked.connect(self.cancelRequested)
        self.tree.itemExpanded.connect(self._fill_children)
        self.tree.itemActivated.connect(self._activated)

    # ------------------------------------------------------------------ what the writer chose

    @property
    def chosen_module(self) -> str | None:
        return self.module.currentData()

    def set_modules(self, titles: dict[str, str]) -> None:
        """The modules of modules.yaml, by title; the one chosen stays chosen (if it still exists)."""
        chosen = self.chosen_module
        self.module.blockSignals(True)
        self.module.clear()
        self.module.addItem("All modules", None)
        for slug, title in sorted(titles.items(), key=lambda item: item[1].lower()):
            self.module.addItem(title, slug)
            self.module.setItemData(self.module.count() - 1, slug, Qt.ItemDataRole.ToolTipRole)
        if chosen is not None and self.module.findData(chosen) < 0:
            self.module.addItem(chosen, chosen)  # not in modules.yaml (yet): links to it are still listed
        self.module.setCurrentIndex(max(self.module.findData(chosen), 0))
        self.module.blockSignals(False)

    def show_backlinks(self, module: str) -> None:
        """What links to ``module``: chosen in the filter, the text filter cleared."""
        index = self.module.findData(module)
        if index < 0:
            self.module.addItem(module, module)  # a link to a module modules.yaml does not have
            index = self.module.count() - 1
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.blockSignals(False)
        self.module.blockSignals(True)
        self.module.setCurrentIndex(index)
        self.module.blockSignals(False)
        self.backlinks.blockSignals(True)
        self.backlinks.setChecked(True)
        self.backlinks.blockSignals(False)
        self.mode = BACKLINKS
        self.refill()

    def _filter_changed(self, _text: str) -> None:
        """Each key filters at once in a library of a few hundred entries; in a big one (a filter
        reads every use's question), once typing pauses."""
        if self.model is not None and sum(len(r.uses) for r in self.model.rows) > BIG_MODEL:
            self.filter_timer.start()
        else:
            self.refill()

    def _module_changed(self) -> None:
        if self.chosen_module is None and self.backlinks.isChecked():
            self.backlinks.setChecked(False)  # refills
            return
        self.refill()

    def _backlinks_toggled(self, on: bool) -> None:
        if on and self.chosen_module is None:
            self.backlinks.blockSignals(True)
            self.backlinks.setChecked(False)  # checked again when the open entry's module is shown
            self.backlinks.blockSignals(False)
            self.backlinksRequested.emit()
            return
        self.mode = BACKLINKS if on else LINKS
        self.refill()

    # ------------------------------------------------------------------ showing the model

    def set_model(self, model: LinkHealth) -> None:
        self.model = model
        self.refill()

    def set_reading(self, done: int, total: int) -> None:
        """The library's links are being read for the first time (a big library, no cache yet)."""
        if self.model is None:
            self.summary.setText(f"Reading the library\u2019s links\u2026 {done} of {total} entries"
                                 if total else "Reading the library\u2019s links\u2026")

    def set_web_progress(self, done: int, total: int, running: bool = True) -> None:
        self.progress.setVisible(running)
        self.cancel.setVisible(running)
        self.check_web.setEnabled(not running)
        if running:
            self.progress.setRange(0, total)  # 0, 0: busy, while the entries are read
            self.progress.setValue(done)
            self.progress.setFormat("Web links %v/%m" if total else "Web links\u2026")

    def _set_columns(self) -> None:
        self.tree.setHeaderLabels(list(COLUMNS[self.mode]))
        widths = (140, 420, 90) if self.mode == LINKS else (420, 60, 60)
        for column, width in enumerate(widths):
            self.tree.setColumnWidth(column, width)

    def _state(self) -> tuple[set, object, int]:
        expanded = {self.tree.topLevelItem(i).data(0, ROLE) for i in range(self.tree.topLevelItemCount())
                    if self.tree.topLevelItem(i).isExpanded()}
        current = self.tree.currentItem()
        return expanded, current.data(0, ROLE) if current is not None else None, self.tree.verticalScrollBar().value()

    def refill(self) -> None:
        self.filter_timer.stop()
        if self.model is None:
            return
        same_mode = self.tree.headerItem().text(0) == COLUMNS[self.mode][0]
        expanded, current, scroll = self._state() if same_mode else (set(), None, 0)
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        self._rows = {}
        self._set_columns()
        if self.mode == BACKLINKS:
            self._fill_backlinks(self.model.backlinks(self.chosen_module))
        else:
            self._fill_links(self.model.filtered(self.chosen_module, self.filter.text()))
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, ROLE) in expanded:
                item.setExpanded(True)
        found = self._find(current) if current is not None else None
        if found is not None:
            self.tree.setCurrentItem(found)
        self.tree.setUpdatesEnabled(True)
        self.tree.verticalScrollBar().setValue(scroll)

    def _find(self, key) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, ROLE) == key:
                return item
            for j in range(item.childCount()):
                if item.child(j).data(0, ROLE) == key:
                    return item.child(j)
        return None

    def _top(self, key, texts: tuple[str, ...], row) -> QTreeWidgetItem:
        item = QTreeWidgetItem(list(texts))
        item.setData(0, ROLE, key)
        item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        self._rows[key] = row
        self.tree.addTopLevelItem(item)
        return item

    def _fill_links(self, rows: list[TargetRow]) -> None:
        counts = {status: 0 for status in STATUS_WORD}
        for row in rows:
            counts[row.status] += 1
            item = self._top(("target", row.kind, row.target), (STATUS_WORD[row.status], row.target,
                                                                  str(row.entries), row.detail), row)
            item.setIcon(0, self._icons[row.status])
            tip = f"{STATUS_WORD[row.status]}: {row.target}\n{row.detail}\n" \
                  f"Used {plural(len(row.uses), 'time')} in {plural(row.entries, 'entry', 'entries')}"
            for column in range(4):
                item.setToolTip(column, tip)
        where = "" if self.chosen_module is None else f" for {self.module.currentText()}"
        if not rows:
            self.summary.setText("No links match the filter." if self.filter.text().strip() or self.chosen_module
                                 else "No entry has links yet.")
            return
        parts = [f"{counts[BROKEN]} broken"] if counts[BROKEN] else []
        parts += [plural(counts[WARNING], "warning")] if counts[WARNING] else []
        parts += [f"{counts[s]} {word}" for s, word in ((UNCHECKED, "not checked"), (OK, "OK")) if counts[s]]
        self.summary.setText(f"{plural(len(rows), 'link target')}{where}: {', '.join(parts)}. "
                             "Open a target to see the entries that use it.")

    def _fill_backlinks(self, found: Backlinks) -> None:
        statuses = self._in_app_rows()
        for path, question, links in found.entries:
            broken = sum(1 for target, _ in links if target in statuses and statuses[target].status == BROKEN)
            item = self._top(("entry", path), (question, str(len(links)), "", path), links)
            item.setToolTip(0, f"{question}\n{path}")
            if broken:
                item.setIcon(0, self._icons[BROKEN])
        entries = len(found.entries)
        if not entries:
            self.summary.setText(f"No entry links to {found.title} ({plural(found.members, 'entry', 'entries')} "
                                 "belong to it).")
            return
        broken = f"; {plural(found.broken, 'of them is broken', 'of them are broken')}" if found.broken else ""
        self.summary.setText(f"What links to {found.title}: {plural(found.links, 'link')} from "
                             f"{plural(entries, 'entry', 'entries')}{broken} "
                             f"({plural(found.members, 'entry', 'entries')} belong to it).")

    def _in_app_rows(self) -> dict[str, TargetRow]:
        return {r.target: r for r in self.model.rows if r.kind == "in-app"} if self.model else {}

    def _fill_children(self, item: QTreeWidgetItem) -> None:
        if item.parent() is not None or item.data(0, FILLED):
            return
        item.setData(0, FILLED, True)
        row = self._rows.get(item.data(0, ROLE))
        children = []
        if isinstance(row, TargetRow):
            for use in row.uses:
                where = " (sources)" if use.where == "sources" else ""
                child = QTreeWidgetItem(["", use.question, f"line {use.line}", f"{use.path}{where}"])
                child.setToolTip(1, f"{use.question}\n{use.path}, line {use.line}{where}")
                child.setData(0, ROLE, (use.path, use.line, use.column))
                children.append(child)
        elif row is not None:
            statuses = self._in_app_rows()
            for target, use in row:
                status = statuses.get(target)
                child = QTreeWidgetItem([target, "", f"line {use.line}", status.detail if status else ""])
                if status is not None:
                    child.setIcon(0, self._icons[status.status])
                child.setToolTip(0, f"{target}\n{status.detail if status else ''}")
                child.setData(0, ROLE, (use.path, use.line, use.column))
                children.append(child)
        item.addChildren(children)
        if not children:
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicator)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        data = item.data(0, ROLE)
        if item.parent() is None:
            item.setExpanded(not item.isExpanded())  # Enter on a target opens or closes it
            return
        path, line, column = data
        self.useActivated.emit(path, line, column)
