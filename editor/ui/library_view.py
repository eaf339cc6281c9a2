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
        session = self.session
        if scope == ENTRY:
            if session.repo_findings is None or self.problems.scope == ENTRY:  # settings problems stay in view
                self.problems.show_findings(session.live_findings + session.config_findings, ENTRY)
            return
        findings = session.repo_findings or []
        self.problems.set_progress(1, 1)
        self.problems.show_findings(findings, REPOSITORY)
        self.browser.set_problem_paths({f.path for f in findings if f.severity in ("error", "warning")})

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
