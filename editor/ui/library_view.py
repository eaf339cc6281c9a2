"""The library in the window: the entry list as it loads and changes, the Problems panel (the open
entry as typed, or every entry after Check All, with progress and Cancel), settings problems, new
entries, renaming, duplicating and deleting them, the dictionary and the preview's web links
(its in-app links: ``link_health_view``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from editor.findings import Finding
from editor.lazy import lazy
from editor.session.document import DocumentError
from editor.session.session import ENTRY, REPOSITORY
from editor.ui.problems import with_live

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow

new_entries = lazy("editor.ui.new_entry")
renames = lazy("editor.ui.rename_entry")


class LibraryView(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.session = session = window.session
        self.browser, self.problems, self.banner = window.browser, window.problems, window.banner
        session.libraryLoading.connect(lambda done, total: self.browser.count.setText(
            f"Loading entries\u2026 {done}/{total}"))
        session.libraryChanged.connect(self._loaded)
        session.findingsChanged.connect(self._findings_changed)
        session.checkStarted.connect(lambda: self.problems.set_checking(self.session.checking))
        session.documentOpened.connect(lambda _path: self._show_problems())  # the last entry's go at once
        session.checkProgress.connect(self.problems.set_progress)
        self.browser.entryActivated.connect(window.open_entry)
        self.browser.entryAction.connect(self._entry_action)
        self.problems.findingActivated.connect(self._go_to_finding)
        self.problems.checkAllRequested.connect(self.session.check_all)
        self.problems.cancelRequested.connect(self.session.cancel_check_all)
        self.problems.cancelLinksRequested.connect(session.web.cancel)
        self.problems.question_of = lambda path: self.session.library.question(path)
        session.checkProgress.connect(self._check_progress)
        session.web.progress.connect(self._links_progress)
        session.web.finished.connect(self._links_checked)
        window.editor.addToDictionary.connect(self.session.add_word)
        window.preview.webLinkClicked.connect(self._ask_open_web_link)

    def _loaded(self) -> None:
        session, window = self.session, self.window
        registry = session.registry
        window.preview.registry = registry
        window.preview.app_name = session.app_name
        window.metadata.set_registry(registry)
        if session.document is None:
            window.metadata.clear()
        else:  # read again after a pull: the open entry's fields stay as they are
            window.metadata.load(session.facts)
        titles = {slug: m.title for slug, m in (registry.modules.items() if registry else [])}
        self.browser.set_rows(session.rows, titles)
        message = f"{len(session.rows)} entries"
        problems = session.config_findings
        if problems:
            message += f" \u2014 {len(problems)} problems in the settings files (see Problems)"
            self.problems.show_findings(problems, REPOSITORY)
            self._show_config_problems(problems)
        window.say(message, 8000)

    def _show_config_problems(self, findings: list[Finding]) -> None:
        """A broken content.yaml, modules.yaml or tone.yaml is said at once, with file and line."""
        errors = [f for f in findings if f.severity == "error"] or findings
        listed = "; ".join(f"{f.path} line {f.line}: {f.message}" for f in errors[:3])
        more = f" (and {len(findings) - 3} more)" if len(findings) > 3 else ""
        self.banner.show_message(f"The settings files have problems, so some checks may be off: {listed}{more}.",
                                 [("Show Problems", self.window.problems_dock.raise_)])

    def _findings_changed(self, scope: str) -> None:
        self._show_problems()
        if scope == REPOSITORY:  # Check All finished
            self.problems.set_progress(1, 1)
            self._bring_problems_forward()

    def _show_problems(self) -> None:
        """The open entry's findings as typed always show, alone or in place of its own in the last
        full check's (and the last web link check's, which typing does not change)."""
        session = self.session
        web = session.web.findings
        live_result = session.live
        hidden = live_result.hidden if live_result is not None else 0
        if session.repo_findings is None and web is None:
            self.problems.show_findings(session.live_findings + session.config_findings, ENTRY,  # settings' stay
                                        hidden=hidden, counts=self._counts(), checking=session.checking,
                                        failure=self._failure())
            return
        path = session.document.path if session.document is not None else None
        live = session.live_findings if session.live is not None and session.live.row.path == path else None
        if session.repo_findings is None:
            findings, where = (live or []) + session.config_findings, "this entry"
        else:
            findings, where = with_live(session.repo_findings, path, live), "all entries"
        if web is not None:
            findings, where = findings + web, where + " and every entry's web links"
        self.problems.show_findings(findings, REPOSITORY, where, checking=session.checking, failure=self._failure())
        self.browser.set_problem_paths({f.path for f in findings if f.severity in ("error", "warning")})

    def _counts(self) -> dict[str, int] | None:
        """The open entry's findings by severity (of all of them, listed or not) with the settings'."""
        live = self.session.live
        if live is None or not live.hidden:
            return None
        counts = dict(live.counts or {})
        for finding in self.session.config_findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        return counts

    def _failure(self) -> str:
        failure = self.session.check_failure
        return f"This entry could not be checked: {failure.message}" if failure is not None else ""

    def _check_progress(self, done: int, total: int) -> None:
        if done == 0 and total:  # Check All started: its progress and Cancel are in Problems
            self._bring_problems_forward()

    def _bring_problems_forward(self) -> None:
        self.window.problems_dock.show()
        self.window.problems_dock.raise_()

    def _links_progress(self, done: int, total: int) -> None:
        self.problems.set_links_progress(done, total)
        if not total:  # it started: its progress and Cancel are in Problems
            self._bring_problems_forward()

    def _links_checked(self) -> None:
        self.problems.set_links_progress(0, 1, running=False)
        self._show_problems()
        self._bring_problems_forward()

    def _go_to_finding(self, finding: Finding) -> None:
        if finding.path.startswith("entries/"):
            self.window.open_entry(finding.path, finding.line, finding.column)

    def new_entry(self) -> None:
        if self.session.loaded is None:
            return
        dialog = new_entries.NewEntryDialog(self.session.registry, {r.id for r in self.session.rows if r.id},
                                            self.window)
        if dialog.exec() != dialog.DialogCode.Accepted:
            return
        self.create_entry(*dialog.values())

    def create_entry(self, entry_id: str, module: str, question: str) -> str | None:
        try:
            relative = self.session.create_entry(entry_id, module, question)
        except DocumentError as exc:
            self.banner.show_message(str(exc), [("OK", lambda: None)])
            return None
        if self.window.open_entry(relative):
            self.window.documents.focus_answer()  # the writer types the answer next
        return relative

    # ------------------------------------------------------------------ rename, duplicate, delete

    def _entry_action(self, action: str, path: str) -> None:
        {"rename": self.rename_entry, "duplicate": self.duplicate_entry, "delete": self.delete_entry}[action](path)

    def target_entry(self) -> str | None:
        """What File > Rename/Duplicate/Delete act on: the entry selected in the list while the list
        has the keyboard, otherwise the open entry, otherwise the one selected in the list."""
        listed = self.browser.current_path()
        if listed and self.browser.tree.hasFocus():
            return listed
        if self.session.document is not None:
            return self.session.document.path
        return listed

    def _ready_for(self, path: str) -> bool:
        """The entry's unsaved changes, if it is the open one with some, are saved or discarded first."""
        document = self.session.document
        if document is None or document.path != path or not self.session.is_modified:
            return True
        return self.window.documents.confirm_leave() and not self.session.is_modified

    def _chosen(self, path: str | None) -> str | None:
        path = path or self.target_entry()
        if self.session.loaded is None or not path:
            self.window.say("Choose an entry in the list first", 6000)
            return None
        return path if self._ready_for(path) else None

    def _failed(self, what: str):
        return lambda failure: self.banner.show_message(f"{what}: {failure.message}", [("OK", lambda: None)])

    def rename_entry(self, path: str | None = None) -> None:
        path = self._chosen(path)
        if path is None:
            return
        row = self.session.library.row(path)
        folder = (self.session.root / path).parent
        dialog = renames.RenameDialog(path, row.id if row else None, self.session.library.ids,
                                      lambda name: (folder / name).exists(), self.window)
        if dialog.exec() != dialog.DialogCode.Accepted:
            return
        self.rename(path, *dialog.values())

    def rename(self, path: str, new_name: str, new_id: str | None) -> None:
        """Rename with the dialog's values; an open entry follows, at the same place in its text."""
        was_open = self.session.document is not None and self.session.document.path == path
        cursor = self.window.editor.textCursor()
        line, column = cursor.blockNumber() + 1, cursor.positionInBlock() + 1
        try:
            self.session.files.rename(path, new_name, new_id, self._renamed(was_open, line, column),
                                      self._failed(f"Could not rename {path}"))
        except DocumentError as exc:
            self.banner.show_message(str(exc), [("OK", lambda: None)])

    def _renamed(self, was_open: bool, line: int, column: int):
        def done(result) -> None:
            if was_open:
                self.window.open_entry(result.new, line, column, force=True)
            self.browser.select(result.new)  # the list followed the rename row by row
            how = " with git mv" if result.with_git else ""
            what = [f"renamed to {result.new}{how}"] if result.new != result.old else []
            if result.new_id != result.old_id:
                what.append(f"its id is now {result.new_id}")
            self.window.say(f"{result.old}: {' and '.join(what)}", 8000)
        return done

    def duplicate_entry(self, path: str | None = None) -> None:
        path = self._chosen(path)
        if path is None:
            return

        def done(result) -> None:
            if self.window.open_entry(result.path):
                self.window.say(f"Duplicated {result.source} as {result.path} (id {result.entry_id}, a draft)", 8000)

        self.session.files.duplicate(path, done, self._failed(f"Could not duplicate {path}"))

    def delete_entry(self, path: str | None = None) -> None:
        path = self._chosen(path)
        if path is None:
            return
        question = self.session.library.question(path) or path
        answer = QMessageBox.question(
            self.window, "Delete entry?",
            f"Delete \u201c{question}\u201d ({path})?\n\nA copy is kept in the editor's backup folder, and the "
            "file goes to the system trash where there is one.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.session.files.delete(path, self._deleted, self._failed(f"Could not delete {path}"))
        except DocumentError as exc:
            self.banner.show_message(str(exc), [("OK", lambda: None)])

    def _deleted(self, result) -> None:
        if self.session.document is None:
            self._show_closed()
        where = f"moved to the trash ({result.trash}); a copy is kept in {result.backup}" if result.trash \
            else f"kept in {result.backup}"
        message = f"Deleted {result.path}: {where}."
        self.window.say(message, 15000)
        self.banner.show_message(message, [("OK", lambda: None)])

    def _show_closed(self) -> None:
        """The open entry was deleted: the editor, the form and the preview show nothing."""
        window = self.window
        watcher = window.documents.watcher
        for watched in (watcher.files(), watcher.directories()):
            if watched:
                watcher.removePaths(watched)
        window.editor.blockSignals(True)
        window.editor.setPlainText("")
        window.editor.blockSignals(False)
        window.editor.setEnabled(False)
        window.metadata.clear()
        window.metadata.setEnabled(False)
        window.preview.set_source("", "", immediately=True)
        window.state_label.setText("")
        window.words_label.setText("")
        window.grade_label.setText("")
        window.setWindowTitle(f"{self.session.root.name} \u2014 Malone Editor")
        self._show_problems()

    def _ask_open_web_link(self, url: str) -> None:
        answer = QMessageBox.question(self.window, "Open in browser?", f"Open {url} in your web browser?")
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl(url))
