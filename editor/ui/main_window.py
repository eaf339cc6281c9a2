"""The main window: it builds the panels and composes them with the session. What happens to the
open entry is ``document_view``'s, the library and Problems are ``library_view``'s, git and review
``git_controller``'s; every operation and all state are the session's (``editor.session``)."""
from __future__ import annotations

from PySide6 import QtCore  # Qt's namespace is read when the panels are built: making its enums costs 40 ms
from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QVBoxLayout, QWidget

from editor.session.failures import Failure
from editor.session.session import Session

LOAD_FALLBACK_MS = 250


class MainWindow(QMainWindow):
    openLibraryRequested = Signal(str)  # a folder the writer chose in File > Open Library

    def __init__(self, session: Session, settings: QSettings, progressive: bool = False):
        """With ``progressive`` (the editor's own start), only the window's frame is made here: it
        paints at once, the panels are built just after, and the library loads after that.
        Otherwise (embedding, tests) the panels exist when this returns."""
        super().__init__()
        self.session = session
        session.setParent(self)
        self.root = session.root
        self.settings = settings
        self._built = self._load_started = self._recovery_offered = False
        self.pending_open: tuple[str, int, int] | None = None  # an entry to open once the library loads
        self.setWindowTitle(f"{self.root.name} \u2014 Malone Editor")
        self.statusBar().showMessage("Opening the library\u2026")
        self._restore_geometry()
        if not progressive:
            self.build()
        # a window that is never shown still gets built and loaded, a moment later
        QTimer.singleShot(LOAD_FALLBACK_MS, self._start)

    def paintEvent(self, event):  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._load_started:
            QTimer.singleShot(0, self._start)

    def _start(self) -> None:
        """After the first paint: the panels, then the library, on a worker thread, so neither the
        first paint nor typing ever waits for the library to load."""
        if self._load_started:
            return
        self._load_started = True
        self.build()
        self.session.load()

    def build(self) -> None:
        """The panels, menus and the views that connect them to the session (once)."""
        if self._built:
            return
        self._built = True
        self._build_panels()
        from editor.ui.document_view import DocumentView
        from editor.ui.git_controller import GitController
        from editor.ui.library_view import LibraryView
        from editor.ui.menus import build_menus
        from editor.ui.recovery_view import RecoveryView

        build_menus(self)  # File, Edit, View, Check; the git controller adds Review after them
        self.git = GitController(self.session, self)
        self.recovery = RecoveryView(self)
        self.documents = DocumentView(self)
        self.library = LibraryView(self)
        from editor.ui.help import build_help_menu
        from editor.ui.layout import set_tab_order

        from editor.ui.desks import install_desks

        install_desks(self)  # Insert Link, Link Health, the Review panel and comments (editor.ui.desks)
        build_help_menu(self)  # last in the menu bar, after Review
        set_tab_order(self)
        self.session.failed.connect(self._failed)
        self.session.notice.connect(lambda text: self.say(text, 8000))
        self.session.libraryChanged.connect(self._loaded)
        self._restore_state()

    # ------------------------------------------------------------------ building

    def _dock(self, title: str, widget: QWidget, area: QtCore.Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title.lower()}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_panels(self) -> None:
        from editor.ui.banner import Banner
        from editor.ui.drafts_panel import DraftsPanel
        from editor.ui.editor_panel import EditorPanel
        from editor.ui.entry_browser import EntryBrowser
        from editor.ui.find_bar import FindBar
        from editor.ui.metadata import MetadataForm
        from editor.ui.preview import PreviewPanel
        from editor.ui.problems import ProblemsPanel

        from editor.ui.layout import WritingColumn

        self.editor = EditorPanel()
        self.writing_column = WritingColumn(self.editor)
        self.editor.setEnabled(False)
        self.editor.setPlaceholderText("Choose an entry on the left to read and edit it, or press Ctrl+N to "
                                       "write a new one.")
        self.find_bar = FindBar(self.editor)
        self.banner = Banner()
        self.recovery_banner = Banner(name="Recovery", colours=("#fde2e1", "#d9827c", "#5a1410"))  # until it works
        self.drafts_panel = DraftsPanel()
        self.metadata = MetadataForm()
        self.metadata.setEnabled(False)
        central = QWidget()
        central.setAccessibleName("Editing area")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.recovery_banner, 0), (self.banner, 0), (self.drafts_panel, 0), (self.metadata, 0),
                                (self.editor, 1), (self.find_bar, 0)):
            layout.addWidget(widget, stretch)
        self.setCentralWidget(central)
        self.browser = EntryBrowser()
        self.browser.attach(self.session)
        self.preview = PreviewPanel(self.session.tasks.submit)
        self.problems = ProblemsPanel()
        self.entries_dock = self._dock("Entries", self.browser, QtCore.Qt.DockWidgetArea.LeftDockWidgetArea)
        self.preview_dock = self._dock("Preview", self.preview, QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
        self.problems_dock = self._dock("Problems", self.problems, QtCore.Qt.DockWidgetArea.BottomDockWidgetArea)
        self.words_label, self.grade_label, self.state_label = QLabel(), QLabel(), QLabel()
        for label in (self.state_label, self.words_label, self.grade_label):
            self.statusBar().addPermanentWidget(label)

    def tabify_bottom(self, docks: list[QDockWidget]) -> None:
        """Put ``docks`` in tabs beside Problems, which stays in front."""
        previous = self.problems_dock
        for dock in docks:
            self.tabifyDockWidget(previous, dock)
            previous = dock
        self.problems_dock.raise_()

    def _restore_geometry(self) -> None:
        from editor.ui.layout import restore_geometry

        restore_geometry(self, self.settings.value("window/geometry"))

    def _restore_state(self) -> None:
        from editor.ui.layout import apply_default

        state = self.settings.value("window/state")
        self._layout_restored = state is not None and self.restoreState(state)
        if not self._layout_restored:
            apply_default(self)  # again once shown: docks only take their sizes in a laid-out window
        self._layout_checked = False
        if self.isVisible():
            QTimer.singleShot(0, self.check_layout)

    def showEvent(self, event):  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._built and not getattr(self, "_layout_checked", True):
            QTimer.singleShot(0, self.check_layout)

    def check_layout(self) -> list[str]:
        """A layout that came back unusable is reset (``layout.check``); returns what was wrong."""
        from editor.ui.layout import check

        self._layout_checked = True
        return check(self, self._layout_restored)

    def toggle_focus_mode(self, on: bool | None = None) -> None:
        from editor.ui.layout import FocusMode

        if not hasattr(self, "focus_mode"):
            self.focus_mode = FocusMode(self)
        self.focus_mode.toggle(on)
        if hasattr(self, "focus_action"):
            self.focus_action.setChecked(self.focus_mode.on)

    # ------------------------------------------------------------------ the session's news

    def say(self, text: str, msecs: int = 0) -> None:
        self.statusBar().showMessage(text, msecs)

    def _failed(self, failure: Failure) -> None:
        if self.session.loaded is None:
            self.say(f"Could not open {self.root}: {failure.message}")
            self.browser.count.setText("Could not load entries")
            return
        self.banner.show_message(failure.message, [("OK", lambda: None)])

    def _loaded(self) -> None:
        if not self._recovery_offered:  # the library is read again after a pull: drafts are offered once
            self._recovery_offered = True
            self.recovery.offer_recovery()
        pending, self.pending_open = self.pending_open, None
        if pending is not None:
            self.open_entry(*pending)

    # ------------------------------------------------------------------ actions (menus, embedding, tests)

    def open_entry(self, relative_path: str, line: int = 0, column: int = 1, force: bool = False) -> bool:
        return self.documents.open_entry(relative_path, line, column, force)

    def save(self) -> bool:
        return self.documents.save()

    def save_as(self) -> bool:
        return self.documents.save_as()

    def reload_from_disk(self) -> None:
        self.documents.reload_from_disk()

    def is_modified(self) -> bool:
        return self.session.is_modified

    def new_entry(self) -> None:
        self.library.new_entry()

    def create_entry(self, entry_id: str, module: str, question: str) -> str | None:
        return self.library.create_entry(entry_id, module, question)

    def check_all(self) -> None:
        self.session.check_all()

    def choose_repository(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a content library", str(self.root))
        if folder:
            self.openLibraryRequested.emit(folder)

    # ------------------------------------------------------------------ focus and closing

    def changeEvent(self, event):  # noqa: N802 - Qt's name
        if event.type() == event.Type.ActivationChange and self.isActiveWindow() and self._built:
            self.git.refresh()  # files or git may have changed outside the editor while it was in the background
        super().changeEvent(event)

    def closeEvent(self, event):  # noqa: N802 - Qt's name
        if self._built and self.is_modified() and not self.documents.confirm_leave():
            event.ignore()
            return
        if getattr(self, "focus_mode", None) is not None and self.focus_mode.on:
            self.focus_mode.toggle(False)  # the layout is saved with its panels
        self.settings.setValue("window/geometry", self.saveGeometry())
        if self._built:
            self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        self.session.close()
        event.accept()
