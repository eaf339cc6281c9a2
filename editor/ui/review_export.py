"""File > Export for Review…: choose the entries for a clinical governance meeting (the ones in review
are ticked), choose where the PDF goes, and the pack is gathered and printed on a worker (each
export a QTextDocument of its own there; nothing of it touches the window), with a status-bar
message saying where it went."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout)

from editor.session.failures import DISK, Failure, FailureError

STATUS_WORDS = {"draft": "Draft", "in-review": "In review", "approved": "Approved"}
FOLDER_KEY = "export/folder"
TASK = "review-export"


def add_export_item(window, menu) -> QAction:
    """File > Export for Review… (one line in the menus)."""
    action = QAction("E&xport for Review\u2026", window)
    action.triggered.connect(lambda: exporter(window).choose())
    menu.addAction(action)
    window.export_review_action = action
    return action


def exporter(window) -> ReviewExport:
    if getattr(window, "review_export", None) is None:
        window.review_export = ReviewExport(window)
    return window.review_export


class ExportDialog(QDialog):
    """The entries to export, ticked; Export… asks where the PDF goes."""

    def __init__(self, rows, unsaved: str | None, default_target: Path, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export for Review")
        self.default_target = default_target
        self.target: Path | None = None
        layout = QVBoxLayout(self)
        intro = QLabel("Choose the entries for the review pack. Each starts on a new page with its review details, "
                       "its changes since the last approval marked in the text, and its open comments.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by question, id or file")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter entries")
        self.filter.textChanged.connect(self._filter)
        layout.addWidget(self.filter)
        self.list = QTreeWidget()
        self.list.setAccessibleName("Entries to export")
        self.list.setHeaderLabels(["Entry", "Status", "File"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.items: dict[str, QTreeWidgetItem] = {}
        for row in sorted(rows, key=lambda r: (r.status != "in-review", r.path)):
            item = QTreeWidgetItem([row.question, STATUS_WORDS.get(row.status or "", row.status or "no status"),
                                    row.path])
            item.setData(0, Qt.ItemDataRole.UserRole, row.path)
            item.setData(1, Qt.ItemDataRole.UserRole, row.status)
            item.setToolTip(0, row.question)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if row.status == "in-review" else Qt.CheckState.Unchecked)
            self.list.addTopLevelItem(item)
            self.items[row.path] = item
        self.list.setColumnWidth(0, 380)
        self.list.setColumnWidth(1, 90)
        self.list.itemChanged.connect(lambda *_: self._count())
        layout.addWidget(self.list, 1)
        choices = QHBoxLayout()
        self.all_in_review = QPushButton("All in Review")
        self.all_in_review.clicked.connect(lambda: self._tick(lambda item: item.data(1, Qt.ItemDataRole.UserRole)
                                                              == "in-review"))
        self.none = QPushButton("None")
        self.none.clicked.connect(lambda: self._tick(lambda item: False))
        self.count = QLabel()
        for widget in (self.all_in_review, self.none):
            choices.addWidget(widget)
        choices.addStretch(1)
        choices.addWidget(self.count)
        layout.addLayout(choices)
        self.note = QLabel(unsaved or "")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a5a00;")
        self.note.setVisible(bool(unsaved))
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export\u2026", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self._ask_where)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(760, 520)
        self._count()

    def chosen(self) -> list[str]:
        return [path for path, item in self.items.items() if item.checkState(0) == Qt.CheckState.Checked]

    def _tick(self, wanted) -> None:
        for item in self.items.values():
            item.setCheckState(0, Qt.CheckState.Checked if wanted(item) else Qt.CheckState.Unchecked)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for item in self.items.values():
            shown = not needle or any(needle in item.text(c).lower() for c in (0, 2))
            item.setHidden(not shown)

    def _count(self) -> None:
        chosen = len(self.chosen())
        self.count.setText(f"{chosen} of {len(self.items)} chosen")
        self.export_button.setEnabled(chosen > 0)

    def _ask_where(self) -> None:
        if not self.chosen():
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export for Review", str(self.default_target), "PDF files (*.pdf)")
        if not path:
            return  # the writer changed their mind about the place: the choice of entries stays
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        self.target = target
        self.accept()


def export_pack(root: Path, paths: list[str], target: Path, progress=None):
    """On a worker: the library as saved, gathered and printed to ``target``."""
    from editor.content.repository import Repository
    from editor.ui.pdf_export import PdfError, export_review

    try:
        return export_review(Repository.open(root), paths, target, progress)
    except PdfError as exc:
        raise FailureError(Failure(DISK, str(exc))) from None


class ReviewExport:
    """The window's exports: one dialog at a time, one export at a time."""

    def __init__(self, window):
        self.window = window
        self.dialog: ExportDialog | None = None
        self.running = False

    def default_target(self) -> Path:
        """The folder of the last export (when it is still there), else the home folder."""
        settings = getattr(self.window, "settings", None)
        remembered = str(settings.value(FOLDER_KEY, "") or "") if settings is not None else ""
        folder = Path(remembered) if remembered and Path(remembered).is_absolute() else Path.home()
        if not folder.is_dir():
            folder = Path.home()
        return folder / f"review-{_dt.date.today().isoformat()}.pdf"

    def choose(self) -> None:
        session = self.window.session
        if session.loaded is None:
            self.window.say("The library is still loading: export for review once it has loaded", 6000)
            return
        if self.running:
            self.window.say("An export for review is already under way", 6000)
            return
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        unsaved = ("The open entry has changes that are not saved: the pack shows it as saved. Save first to "
                   "include them.") if session.is_modified else None
        self.dialog = ExportDialog(session.library.rows, unsaved, self.default_target(), self.window)
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _closed(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted and dialog.target is not None:
            self.start(dialog.chosen(), dialog.target)

    def start(self, paths: list[str], target: Path) -> None:
        window = self.window
        self.running = True
        settings = getattr(window, "settings", None)
        if settings is not None:
            settings.setValue(FOLDER_KEY, str(target.parent))
        count = "1 entry" if len(paths) == 1 else f"{len(paths)} entries"
        window.say(f"Exporting {count} for review\u2026")
        window.session.tasks.submit(TASK, export_pack, window.session.root, list(paths), target,
                                    on_done=self._done, on_error=self._failed,
                                    on_progress=lambda done, total: window.say(
                                        f"Exporting for review: {done} of {total} entries gathered\u2026"))

    def _done(self, exported) -> None:
        self.running = False
        written = exported.written
        count = "1 entry" if exported.entries == 1 else f"{exported.entries} entries"
        pages = "1 page" if written.pages == 1 else f"{written.pages} pages"
        self.window.say(f"Exported {count} for review to {written.path} ({pages})", 20000)

    def _failed(self, failure: Failure) -> None:
        self.running = False
        self.window.say("The export for review did not finish", 8000)
        self.window.banner.show_message(f"The review pack could not be exported: {failure.message}",
                                        [("OK", lambda: None)])
