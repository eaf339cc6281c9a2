"""The library in the window: the entry list as it loads and changes, the Problems panel (the open
entry as typed, or every entry after Check All, with progress and Cancel), settings problems, new
entries, the dictionary and what the preview's links lead to."""
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


class LibraryView(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.session = session = window.session
        self.browser, self.problems, self.banner = window.browser, window.problems, window.banner
        session.libraryLoading.connect(lambda done, total: self.browser.count.setText(
            f"Loading entries\u2026 {done}/{total}"))
        session.libraryChanged.connect(self._loaded)
        session.rowChanged.connect(self.browser.update_row)
        session.findingsChanged.connect(self._findings_changed)
        session.checkProgress.connect(self.problems.set_progress)
        self.browser.entryActivated.connect(window.open_entry)
        self.problems.findingActivated.connect(self._go_to_finding)
        self.problems.checkAllRequested.connect(self.session.check_all)
        self.problems.cancelRequested.connect(self.session.cancel_check_all)
        self.problems.cancelLinksRequested.connect(session.web.cancel)
        self.problems.question_of = lambda path: self.session.library.question(path)
        session.checkProgress.connect(self._check_progress)
        session.web.progress.connect(self._links_progress)
        session.web.finished.connect(self._links_checked)
        window.editor.addToDictionary.connect(self.session.add_word)
        window.preview.inAppLinkClicked.connect(
            lambda target: window.preview.show_destination(self.session.explain_in_app_link(target)))
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
            window.metadata.load(window.editor.text())
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
        if session.repo_findings is None and web is None:
            self.problems.show_findings(session.live_findings + session.config_findings, ENTRY)  # settings' stay
            return
        path = session.document.path if session.document is not None else None
        live = session.live_findings if session.live is not None and session.live.row.path == path else None
        if session.repo_findings is None:
            findings, where = (live or []) + session.config_findings, "this entry"
        else:
            findings, where = with_live(session.repo_findings, path, live), "all entries"
        if web is not None:
            findings, where = findings + web, where + " and every entry's web links"
        self.problems.show_findings(findings, REPOSITORY, where)
        self.browser.set_problem_paths({f.path for f in findings if f.severity in ("error", "warning")})

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

    def _ask_open_web_link(self, url: str) -> None:
        answer = QMessageBox.question(self.window, "Open in browser?", f"Open {url} in your web browser?")
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl(url))
