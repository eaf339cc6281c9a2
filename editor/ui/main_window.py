"""The main window: it composes the panels and wires them to the task runner; the work itself
lives in the core (editor.content, editor.checks, editor.render) and in editor.ui.checking."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore  # Qt's namespace is read when the panels are built: making its enums costs 40 ms
from PySide6.QtCore import QFileSystemWatcher, QSettings, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from editor.content.paths import UnsafePath, WriteError, atomic_write, relative_inside
from editor.content.recovery import RecoveryStore
from editor.findings import Finding
from editor.lazy import lazy
from editor.ui import checking
from editor.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from editor.content.index import IndexRow
    from editor.ui.document import OpenDocument

# the panels' code loads while the window's frame is first painted (see MainWindow.build)
documents = lazy("editor.ui.document")
new_entries = lazy("editor.ui.new_entry")

# the parsing core loads on the first task's worker thread, after the window shows
index = lazy("editor.content.index")
links = lazy("editor.content.links")
render = lazy("editor.render.html")
registry = lazy("editor.checks.registry")

AUTOSAVE_MS = 3000
LIVE_LANGUAGE_LIMIT = 300_000  # characters; app entries are a few thousand
CHECK_DELAY_MS = 350
LOAD_FALLBACK_MS = 250


class MainWindow(QMainWindow):
    def __init__(self, root: Path, settings: QSettings, recovery: RecoveryStore, progressive: bool = False):
        """With ``progressive`` (the editor's own start), only the window's frame is made here: it
        paints at once, the panels are built just after, and the library loads after that.
        Otherwise (embedding, tests) the panels exist when this returns."""
        super().__init__()
        self.root = Path(root).resolve()
        self.settings = settings
        self.recovery = recovery
        self.tasks = TaskRunner(self)
        self.loaded: checking.Loaded | None = None
        self.document: OpenDocument | None = None
        self.library = checking.LibraryIndex()
        self.live_findings: list[Finding] = []
        self.repo_findings: list[Finding] | None = None
        self._autosaved_text: str | None = None
        self._pending_open: tuple[str, int, int] | None = None
        self._built = self._load_started = False
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
        self.tasks.submit("load", checking.load_repository, self.root, on_done=self._loaded,
                          on_error=self._load_failed, on_progress=self._load_progress)

    def build(self) -> None:
        """The panels, menus and timers (once)."""
        if self._built:
            return
        self._built = True
        self._build()
        from editor.ui.git_controller import GitController

        self.git = GitController(self)
        self._restore_state()
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed)
        self.check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS, timeout=self._check_now)
        self.autosave_timer = QTimer(self, interval=AUTOSAVE_MS, timeout=self.autosave)
        self.autosave_timer.start()

    # ------------------------------------------------------------------ building

    def _dock(self, title: str, widget: QWidget, area: QtCore.Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title.lower()}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build(self) -> None:
        from editor.ui.banner import Banner
        from editor.ui.editor_panel import EditorPanel
        from editor.ui.entry_browser import EntryBrowser
        from editor.ui.find_bar import FindBar
        from editor.ui.menus import build_menus
        from editor.ui.metadata import MetadataForm
        from editor.ui.preview import PreviewPanel
        from editor.ui.problems import ProblemsPanel

        self.editor = EditorPanel()
        self.editor.setEnabled(False)
        self.editor.setPlaceholderText("Choose an entry on the left to read and edit it, or press Ctrl+N to "
                                       "write a new one.")
        self.find_bar = FindBar(self.editor)
        self.banner = Banner()
        self.metadata = MetadataForm()
        self.metadata.setEnabled(False)
        central = QWidget()
        central.setAccessibleName("Editing area")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.metadata)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.find_bar)
        self.setCentralWidget(central)
        self.browser = EntryBrowser()
        self.preview = PreviewPanel(self.tasks.submit)
        self.problems = ProblemsPanel()
        self.entries_dock = self._dock("Entries", self.browser, QtCore.Qt.DockWidgetArea.LeftDockWidgetArea)
        self.preview_dock = self._dock("Preview", self.preview, QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
        self.problems_dock = self._dock("Problems", self.problems, QtCore.Qt.DockWidgetArea.BottomDockWidgetArea)
        self.words_label, self.grade_label, self.state_label = QLabel(), QLabel(), QLabel()
        for label in (self.state_label, self.words_label, self.grade_label):
            self.statusBar().addPermanentWidget(label)

        self.browser.entryActivated.connect(self.open_entry)
        self.problems.findingActivated.connect(self._go_to_finding)
        self.problems.checkAllRequested.connect(self.check_all)
        self.editor.textChanged.connect(self._text_changed)
        self.editor.cursorPositionChanged.connect(
            lambda: self.preview.scroll_to_line(self.editor.textCursor().blockNumber() + 1))
        self.editor.addToDictionary.connect(self.add_to_dictionary)
        self.metadata.edited.connect(self._replace_text)
        self.preview.inAppLinkClicked.connect(self._explain_in_app_link)
        self.preview.webLinkClicked.connect(self._ask_open_web_link)
        build_menus(self)

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)

    def _restore_state(self) -> None:
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        else:
            self.resizeDocks([self.entries_dock, self.preview_dock], [300, 450], QtCore.Qt.Orientation.Horizontal)
            self.resizeDocks([self.problems_dock], [170], QtCore.Qt.Orientation.Vertical)

    # ------------------------------------------------------------------ loading

    def _load_progress(self, done: int, total: int) -> None:
        self.browser.count.setText(f"Loading entries\u2026 {done}/{total}")

    def _load_failed(self, detail: str) -> None:
        self.statusBar().showMessage(f"Could not open {self.root}: {detail}")
        self.browser.count.setText("Could not load entries")

    def _loaded(self, loaded: checking.Loaded) -> None:
        self.loaded = loaded
        registry = loaded.repo.registry
        self.preview.registry = registry
        self.preview.app_name = loaded.repo.settings.app_name if loaded.repo.settings else "Malone"
        self.metadata.set_registry(registry)
        self.metadata.clear()
        self.library = checking.LibraryIndex(loaded.rows)
        titles = {slug: m.title for slug, m in (registry.modules.items() if registry else [])}
        self.browser.set_rows(self.library.rows, titles)
        message = f"{len(loaded.rows)} entries"
        if loaded.config_findings:
            message += f" \u2014 {len(loaded.config_findings)} problems in the settings files (see Problems)"
            self.problems.show_findings(loaded.config_findings, "repository")
            self._show_config_problems(loaded.config_findings)
        self.statusBar().showMessage(message, 8000)
        self._offer_recovery()
        if self._pending_open is not None:
            path, line, column = self._pending_open
            self._pending_open = None
            self.open_entry(path, line, column)

    def _show_config_problems(self, findings: list[Finding]) -> None:
        """A broken content.yaml, modules.yaml or tone.yaml is said at once, with file and line."""
        errors = [f for f in findings if f.severity == "error"] or findings
        listed = "; ".join(f"{f.path} line {f.line}: {f.message}" for f in errors[:3])
        more = f" (and {len(findings) - 3} more)" if len(findings) > 3 else ""
        self.banner.show_message(f"The settings files have problems, so some checks may be off: {listed}{more}.",
                                 [("Show Problems", self.problems_dock.raise_)])

    def _offer_recovery(self) -> None:
        drafts = [d for d in self.recovery.drafts(self.root)]
        if not drafts:
            return
        draft = drafts[-1]
        names = ", ".join(d.path for d in drafts)
        self.banner.show_message(
            f"Unsaved changes from an earlier session were kept: {names}. Restore them?",
            [("Restore", lambda: self.restore_draft(draft)), ("Discard", self._discard_drafts)])

    def restore_draft(self, draft) -> None:
        if not self.open_entry(draft.path, force=True):
            return
        self._replace_text(draft.text)  # an undoable edit: the restored text counts as unsaved
        self.statusBar().showMessage(f"Restored unsaved changes to {draft.path}; save to keep them.", 8000)
        if draft.base_sha256 and self.document and draft.base_sha256 != self.document.disk_sha256:
            self.banner.show_message("The file also changed on disk since these changes were made. "
                                     "Compare before you save.", [("OK", lambda: None)])

    def _discard_drafts(self) -> None:
        for draft in self.recovery.drafts(self.root):
            self.recovery.discard(self.root, draft.path)

    # ------------------------------------------------------------------ documents

    def is_modified(self) -> bool:
        return self.document is not None and self.editor.document().isModified()

    def open_entry(self, relative_path: str, line: int = 0, column: int = 1, force: bool = False) -> bool:
        """Open an entry (relative to the repository root); False when it could not be opened."""
        relative_path = Path(relative_path).as_posix()
        if self.document is not None and self.document.path == relative_path and not force:
            if line:
                self.editor.go_to(line, column)
            return True
        if self.is_modified() and not self._confirm_leave():
            return False
        try:
            document, text = documents.OpenDocument.load(self.root, relative_path)
        except documents.SaveError as exc:
            self.banner.show_message(str(exc), [("OK", lambda: None)])
            return False
        if self.document is not None and self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        self.document = document
        self.watcher.addPath(str(document.file))
        self.editor.setEnabled(True)
        self.editor.blockSignals(True)
        self.editor.setPlainText(text)
        self.editor.blockSignals(False)
        self.editor.document().setModified(False)
        self._autosaved_text = text
        self.metadata.load(text)
        self.metadata.setEnabled(True)
        self.preview.set_source(relative_path, text, immediately=True)
        self._check_now()
        self._update_state()
        if line:
            self.editor.go_to(line, column)
        self.setWindowTitle(f"{relative_path} \u2014 {self.root.name} \u2014 Malone Editor")
        self.git.entry_opened(relative_path)
        return True

    def _confirm_leave(self) -> bool:
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save your changes to {self.document.path} first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.recovery.discard(self.root, self.document.path)
            self.editor.document().setModified(False)
            return True
        return False

    def save(self) -> bool:
        if self.document is None:
            return False
        if self.document.changed_on_disk():
            self.banner.show_message(f"{self.document.path} was changed on disk by someone else since you opened "
                                     "it. Saving would overwrite their change.",
                                     [("Overwrite with Mine", self._save_anyway), ("Reload Theirs", self.reload_from_disk)])
            return False
        return self._write()

    def _save_anyway(self) -> None:
        self._write()

    def _write(self) -> bool:
        try:
            self.document.save(self.editor.toPlainText())
        except documents.SaveError as exc:
            self.banner.show_message(str(exc), [("OK", lambda: None)])
            return False
        self.editor.document().setModified(False)
        self.recovery.discard(self.root, self.document.path)
        if str(self.document.file) not in self.watcher.files():
            self.watcher.addPath(str(self.document.file))
        self._update_state()
        self.statusBar().showMessage(f"Saved {self.document.path}", 4000)
        self.git.refresh()
        return True

    def reload_from_disk(self) -> None:
        if self.document is None:
            return
        path = self.document.path
        self.editor.document().setModified(False)
        self.recovery.discard(self.root, path)
        self.open_entry(path, force=True)

    def _file_changed(self, file: str) -> None:
        if self.document is None or Path(file) != self.document.file:
            return
        if Path(file).exists() and file not in self.watcher.files():
            self.watcher.addPath(file)  # an atomic replace ends the watch; keep watching
        if not self.document.changed_on_disk():
            return  # our own save
        if not self.is_modified():
            cursor = self.editor.textCursor().position()
            self.open_entry(self.document.path, force=True)
            restored = self.editor.textCursor()
            restored.setPosition(min(cursor, len(self.editor.toPlainText())))
            self.editor.setTextCursor(restored)
            self.statusBar().showMessage(f"{self.document.path} changed on disk and was reloaded", 6000)
        else:
            self.banner.show_message(f"{self.document.path} changed on disk, and you have unsaved changes.",
                                     [("Reload Theirs", self.reload_from_disk), ("Keep Mine", lambda: None)])

    def _replace_text(self, text: str) -> None:
        """Apply a metadata edit as one undoable change of only the lines that differ."""
        current = self.editor.toPlainText()
        start = 0
        while start < min(len(current), len(text)) and current[start] == text[start]:
            start += 1
        end_current, end_new = len(current), len(text)
        while end_current > start and end_new > start and current[end_current - 1] == text[end_new - 1]:
            end_current -= 1
            end_new -= 1
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(start)
        cursor.setPosition(end_current, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text[start:end_new])

    def autosave(self) -> None:
        if not self.is_modified():
            return
        text = self.editor.toPlainText()
        if text == self._autosaved_text:
            return
        self._autosaved_text = text
        self.tasks.submit("autosave", self.recovery.save, self.root, self.document.path, text,
                          self.document.disk_sha256,
                          on_error=lambda d: self.statusBar().showMessage(f"Autosave failed: {d}", 8000))

    # ------------------------------------------------------------------ checks

    def _text_changed(self) -> None:
        if self.document is None:
            return
        self.preview.set_source(self.document.path, self.editor.toPlainText())
        self.check_timer.start()  # the checks and the metadata form follow when typing pauses
        self._update_state()

    def _check_now(self) -> None:
        if self.document is None or self.loaded is None:
            return
        text = self.editor.toPlainText()
        if not self.metadata.hasFocus() and not self.metadata.isAncestorOf(self.focusWidget()):
            self.metadata.load(text)
        ctx = self.loaded.ctx
        if len(text) > LIVE_LANGUAGE_LIMIT:  # seconds per check: language checks come with Check All Entries
            ctx = dataclasses.replace(ctx, ruleset=None)
            named = registry.listed(registry.language_categories())
            self.statusBar().showMessage(f"This entry is very long: {named} are checked by Check All Entries, "
                                         "not as you type", 8000)
        self.tasks.submit("live-check", checking.check_text, ctx, self.document.path, text, self.library.ids,
                          on_done=self._checked)

    def _checked(self, result: checking.LiveResult) -> None:
        if self.document is None or result.row.path != self.document.path:
            return
        self.live_findings = result.findings
        self.editor.set_findings(result.findings)
        if self.repo_findings is None or self.problems.scope == "entry":  # settings problems stay in view
            self.problems.show_findings(result.findings + (self.loaded.config_findings if self.loaded else []), "entry")
        self.words_label.setText(f"{result.words} words")
        self.grade_label.setText(f"Reading grade {result.grade:.1f}" if result.words else "")
        self._update_row(result.row)

    def _update_row(self, row) -> None:
        self.browser.update_row(row, self.library.update(row))

    @property
    def rows(self) -> list[IndexRow]:
        return self.library.rows

    def check_all(self) -> None:
        if self.loaded is None:
            return
        self.problems.set_progress(0, len(self.loaded.repo.paths))
        self.tasks.submit("check-all", checking.check_everything, self.loaded.repo, self.loaded.ctx,
                          on_done=self._all_checked, on_progress=self.problems.set_progress,
                          on_error=lambda d: self.statusBar().showMessage(f"Check failed: {d}"))

    def _all_checked(self, findings: list[Finding]) -> None:
        self.repo_findings = findings + (self.loaded.config_findings if self.loaded else [])
        self.problems.set_progress(1, 1)
        self.problems.show_findings(self.repo_findings, "repository")
        self.browser.set_problem_paths({f.path for f in findings if f.severity in ("error", "warning")})

    def _go_to_finding(self, finding: Finding) -> None:
        if finding.path.startswith("entries/"):
            self.open_entry(finding.path, finding.line, finding.column)

    def add_to_dictionary(self, word: str) -> None:
        from editor.checks.spelling import DICTIONARY_FILE

        target = self.root / DICTIONARY_FILE
        existing = target.read_text(encoding="utf-8") if target.is_file() else ""
        words = {w.strip().lower() for w in existing.splitlines()}
        if word.lower() not in words:
            text = existing + ("" if not existing or existing.endswith("\n") else "\n") + word.lower() + "\n"
            try:
                atomic_write(self.root, DICTIONARY_FILE, text.encode("utf-8"))
            except WriteError as exc:
                self.banner.show_message(str(exc), [("OK", lambda: None)])
                return
        if self.loaded is not None:
            self.loaded.ctx.dictionary = frozenset(self.loaded.ctx.dictionary | {word.lower()})
        self._check_now()

    # ------------------------------------------------------------------ links in the preview

    def _explain_in_app_link(self, target: str) -> None:
        registry = self.loaded.repo.registry if self.loaded else None
        parsed = links.parse_in_app(target, registry)
        label = render.destination_label(parsed, registry)
        if not parsed.ok:
            self.preview.show_destination(f"Broken link {target}: {label}")
            return
        entries = [r.question for r in self.rows if parsed.module and r.module == parsed.module]
        listing = "".join(f"\n\u2022 {q}" for q in entries[:12]) + (f"\n\u2026 and {len(entries) - 12} more"
                                                                    if len(entries) > 12 else "")
        self.preview.show_destination(f"Opens {label} in the app." + (f" Entries there:{listing}" if entries else ""))

    def _ask_open_web_link(self, url: str) -> None:
        answer = QMessageBox.question(self, "Open in browser?", f"Open {url} in your web browser?")
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl(url))

    # ------------------------------------------------------------------ state and closing

    def _update_state(self) -> None:
        modified = self.is_modified()
        if self.state_label.text() == ("Unsaved changes" if modified else "Saved"):
            return
        self.state_label.setText("Unsaved changes" if modified else ("Saved" if self.document else ""))

    def choose_repository(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a content library", str(self.root))
        if folder:
            from editor.app import open_window

            open_window(Path(folder))

    def new_entry(self) -> None:
        if self.loaded is None:
            return
        dialog = new_entries.NewEntryDialog(self.loaded.repo.registry, {r.id for r in self.rows if r.id}, self)
        if dialog.exec() != dialog.DialogCode.Accepted:
            return
        self.create_entry(*dialog.values())

    def create_entry(self, entry_id: str, module: str, question: str) -> str | None:
        relative = f"entries/{module}/{entry_id}.md"
        target = self.root / relative
        if target.exists() or target.is_symlink():
            self.banner.show_message(f"{relative} already exists.", [("OK", lambda: None)])
            return None
        try:
            relative_inside(self.root, str(Path(relative).parent))  # never create through a link leading outside
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.root, relative, new_entries.new_entry_text(entry_id, module, question).encode("utf-8"))
        except (UnsafePath, WriteError, OSError) as exc:
            self.banner.show_message(f"Cannot create {relative}: {getattr(exc, 'strerror', None) or exc}",
                                     [("OK", lambda: None)])
            return None
        self._update_row(index.IndexRow(relative, entry_id, module, "draft", question.strip().rstrip("?") + "?"))
        if self.loaded is not None:
            self.loaded.repo.paths.append(relative)
        self.open_entry(relative)
        cursor = self.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self.editor.setTextCursor(cursor)
        return relative

    def changeEvent(self, event):  # noqa: N802 - Qt's name
        if event.type() == event.Type.ActivationChange and self.isActiveWindow() and hasattr(self, "git"):
            self.git.refresh()  # files may have changed outside the editor while it was in the background
        super().changeEvent(event)

    def closeEvent(self, event):  # noqa: N802 - Qt's name
        if not self._built:  # closed before its panels were made: nothing to keep but the size
            self.settings.setValue("window/geometry", self.saveGeometry())
            self.settings.sync()
            event.accept()
            return
        if self.is_modified() and not self._confirm_leave():
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        self.autosave_timer.stop()
        self.tasks.wait(5000)
        event.accept()
