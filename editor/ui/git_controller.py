"""Git and review in the window: the Changes and History panels, sync, commits and the Review
menu. Every git call runs on the task runner; nothing here blocks typing."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QInputDialog, QLineEdit, QMessageBox

from editor.lazy import lazy
from editor.render.diff import added_file_html, word_diff_html
from editor.ui.changes import ChangesPanel
from editor.ui.history import HistoryPanel
from editor.ui.review_queue import ReviewQueuePanel

# loaded by the first git task (on a worker thread), not while the window is being built
vcs = lazy("editor.vcs.git")
review = lazy("editor.vcs.review")
sync = lazy("editor.vcs.sync")
commits = lazy("editor.vcs.commit")
statuses = lazy("editor.vcs.status")
repository = lazy("editor.content.repository")


def _status(root):
    return statuses.status(root)


def _commit(root, paths, summary, description, reason):
    """On the serial git queue: ("done", sha, []) or ("blocked", message, findings)."""
    try:
        return "done", commits.commit_entries(repository.Repository.open(root), paths, summary, description, reason), []
    except commits.CommitBlocked as blocked:
        return "blocked", str(blocked), blocked.findings
    except vcs.VcsError as exc:
        return "blocked", str(exc), []


def _review(root, step, path, args):
    try:
        step(repository.Repository.open(root), path, *args)
        return None
    except (review.ReviewError, vcs.VcsError) as exc:
        return str(exc)


def _diff_for(root, path: str, kind: str) -> str:
    if kind == "conflicted":
        mine, theirs = sync.conflict_versions(root, path)
        import html as _html

        def block(title, text):
            body = _html.escape(text).replace(chr(10), "<br/>") if text is not None else "<i>deleted on this side</i>"
            return f"<h3>{title}</h3><div style='background-color:#f6f6f6;'>{body}</div>"

        return ("<p><b>This entry changed on both sides.</b> Choose a version below; you can edit it after.</p>"
                + block("Your version", mine) + block("Their version", theirs))
    if kind == "untracked":
        try:
            return added_file_html((root / vcs.inside(root, path)).read_text(encoding="utf-8"))
        except vcs.VcsError as exc:  # a link leading outside is not read
            import html as _html

            return f"<p><i>{_html.escape(str(exc))}</i></p>"
        except (OSError, UnicodeDecodeError):
            return "<p><i>Not a text file.</i></p>"
    return word_diff_html(vcs.word_diff(root, path))


class GitController(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.root = window.root
        self.changes = ChangesPanel()
        self.history = HistoryPanel()
        self.queue = ReviewQueuePanel()
        self.changes_dock = self._dock("Changes", self.changes)
        self.history_dock = self._dock("History", self.history)
        self.queue_dock = self._dock("Review Queue", self.queue)
        window.tabifyDockWidget(window.problems_dock, self.changes_dock)
        window.tabifyDockWidget(self.changes_dock, self.history_dock)
        window.tabifyDockWidget(self.history_dock, self.queue_dock)
        self.queue.entryActivated.connect(window.open_entry)
        window.problems_dock.raise_()
        self.changes.diffRequested.connect(self._show_diff)
        self.changes.commitRequested.connect(self.commit)
        self.changes.syncRequested.connect(self.sync)
        self.changes.discardRequested.connect(self.discard)
        self.changes.resolveRequested.connect(self.resolve)
        self.history.revisionSelected.connect(self._show_revision)
        self.history.restoreRequested.connect(self._restore)
        self._build_menu()
        self.refresh()

    def _dock(self, title: str, widget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(f"dock-{title.lower().replace(' ', '-')}")
        dock.setWidget(widget)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def _build_menu(self) -> None:
        menu = self.window.menuBar().addMenu("&Review")
        for text, slot in (("Request &Review", self.request_review), ("&Approve\u2026", self.approve),
                           ("Request &Changes\u2026", self.request_changes)):
            action = QAction(text, self.window)
            action.triggered.connect(slot)
            menu.addAction(action)
        queue = QAction("Review &Queue", self.window)
        queue.triggered.connect(self.show_queue)
        menu.addAction(queue)
        menu.addSeparator()
        for dock in (self.changes_dock, self.history_dock, self.queue_dock):
            menu.addAction(dock.toggleViewAction())

    def _say(self, text: str) -> None:
        self.changes.message.setText(text)
        self.window.statusBar().showMessage(text, 8000)

    # ------------------------------------------------------------------ status and diffs

    def refresh(self) -> None:
        self.window.tasks.submit("git-status", _status, self.root, on_done=self.changes.show_status,
                                 on_error=lambda d: self.changes.branch.setText(d.splitlines()[-1][:200]))

    def entry_opened(self, path: str) -> None:
        self.window.tasks.submit("git-history", vcs.history, self.root, path, on_done=self.history.show_history,
                                 on_error=lambda d: self.history.show_history([]))

    def _show_diff(self, path: str, kind: str) -> None:
        self.window.tasks.submit("git-diff", _diff_for, self.root, path, kind, on_done=self.changes.diff.setHtml)

    def _show_revision(self, sha: str) -> None:
        if self.window.document is None:
            return
        self.window.tasks.submit("git-revision", lambda: word_diff_html(
            vcs.word_diff(self.root, self.window.document.path, sha)), on_done=self.history.diff.setHtml)

    def _restore(self, sha: str) -> None:
        if self.window.document is None:
            return
        path = self.window.document.path
        self.window.tasks.submit("git-restore", vcs.file_at, self.root, sha, path,
                                 on_done=lambda text: self._restored(path, sha, text))

    def _restored(self, path: str, sha: str, text: str | None) -> None:
        if text is not None and self.window.document is not None and self.window.document.path == path:
            self.window._replace_text(text.replace("\r\n", "\n"))
            self._say(f"Restored the version of {sha[:10]} as an unsaved change; save and commit to keep it.")

    # ------------------------------------------------------------------ commits

    def ensure_identity(self) -> bool:
        if vcs.identity(self.root) is not None:
            return True
        name, ok = QInputDialog.getText(self.window, "Who are you?", "Your name, for the history:")
        if not ok or not name.strip():
            return False
        email, ok = QInputDialog.getText(self.window, "Who are you?", "Your email:", QLineEdit.EchoMode.Normal)
        if not ok or "@" not in email:
            return False
        vcs.set_identity(self.root, name.strip(), email.strip())
        return True

    def commit(self, paths: list[str], summary: str, description: str, reason: str | None = None) -> None:
        if self.window.is_modified() and self.window.document.path in paths and not self.window.save():
            return
        if not self.ensure_identity():
            self._say("Commit cancelled: git needs your name and email.")
            return
        self._say("Committing\u2026")
        self.window.tasks.submit("git-commit", _commit, self.root, paths, summary, description, reason, serial=True,
                                 on_done=lambda outcome: self._committed(outcome, paths, summary, description, reason),
                                 on_error=lambda d: self._say(d.splitlines()[-1]))

    def _committed(self, outcome, paths, summary, description, reason) -> None:
        kind, value, findings = outcome
        if kind == "blocked":
            if findings and reason is None:
                self.window.problems.show_findings(findings, "repository")
                why, ok = QInputDialog.getText(self.window, "Commit anyway?",
                                               f"{value}\nWhy commit with these errors? (goes into the message)")
                if ok and why.strip():
                    self.commit(paths, summary, description, why.strip())
                    return
            self._say(value)
            return
        self.changes.committed()
        self._say(f"Committed {len(paths)} file(s) as {value[:10]}")
        self.refresh()
        if self.window.document is not None:
            self.entry_opened(self.window.document.path)

    def discard(self, path: str) -> None:
        answer = QMessageBox.question(self.window, "Discard change?",
                                      f"Put {path} back as the last commit has it? A backup is kept.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.window.tasks.submit("git-discard", vcs.discard, self.root, path, serial=True,
                                 on_done=lambda _: self._discarded(path), on_error=lambda d: self._say(d.splitlines()[-1]))

    def _discarded(self, path: str) -> None:
        self._say(f"Discarded the change to {path}; a backup is under refs/malone/backups.")
        self.refresh()
        if self.window.document is not None and self.window.document.path == path:
            self.window.open_entry(path, force=True)

    def resolve(self, path: str, side: str) -> None:
        def choose():
            mine, theirs = sync.conflict_versions(self.root, path)
            chosen = mine if side == "mine" else theirs
            if chosen is None:
                return "That side deleted the entry; resolve it with git."
            sync.resolve_conflict(self.root, path, chosen)
            return None

        self.window.tasks.submit("git-resolve", choose, serial=True, on_done=lambda problem: self._resolved(
            path, side, problem), on_error=lambda d: self._say(d.splitlines()[-1]))

    def _resolved(self, path: str, side: str, problem: str | None) -> None:
        if problem:
            self._say(problem)
            return
        self._say(f"Kept {'your' if side == 'mine' else 'their'} version of {path}; commit to finish.")
        self.refresh()
        if self.window.document is not None and self.window.document.path == path:
            self.window.open_entry(path, force=True)

    def show_queue(self) -> None:
        self.queue_dock.show()
        self.queue_dock.raise_()
        self.window.tasks.submit("review-queue", lambda: review.queue(repository.Repository.open(self.root)),
                                 on_done=self.queue.show_items, on_error=lambda d: self._say(d.splitlines()[-1]))

    # ------------------------------------------------------------------ sync and review

    def sync(self, what: str, strategy: str = "ff-only") -> None:
        if what == "pull" and self.window.is_modified():
            self.window.save()
        self._say(f"{what.capitalize()}ing\u2026")
        if what == "pull":
            self.window.tasks.submit("git-sync", sync.pull, self.root, strategy, on_done=self._synced, serial=True,
                                     on_error=lambda d: self._say(d.splitlines()[-1]))
            return
        action = {"fetch": sync.fetch, "push": sync.push}[what]
        self.window.tasks.submit("git-sync", action, self.root, on_done=self._synced, serial=True,
                                 on_error=lambda d: self._say(d.splitlines()[-1]))

    def _synced(self, result: sync.SyncResult) -> None:
        self._say(result.message)
        if not result.ok and "both changed" in result.message:  # guide the writer through a diverged branch
            self.window.banner.show_message(result.message + " Your files are backed up either way.", [
                ("Rebase Mine on Top", lambda: self.sync("pull", "rebase")),
                ("Merge", lambda: self.sync("pull", "merge")), ("Not Now", lambda: None)])
        self.refresh()
        if self.window.document is not None and not self.window.is_modified():
            self.window.open_entry(self.window.document.path, force=True)

    def _review_step(self, step, *args) -> None:
        window = self.window
        if window.document is None:
            return
        if window.is_modified() and not window.save():
            return
        path = window.document.path
        self._say("Working\u2026")
        window.tasks.submit("git-review", _review, self.root, step, path, args, serial=True,
                            on_done=lambda problem: self._reviewed(path, problem),
                            on_error=lambda d: self._say(d.splitlines()[-1]))

    def _reviewed(self, path: str, problem: str | None) -> None:
        if problem is not None:
            self._say(problem)
            return
        if self.window.document is not None and self.window.document.path == path and not self.window.is_modified():
            self.window.open_entry(path, force=True)
        self._say(f"Done: {path} is now {self.window.metadata.status.currentText() or 'updated'}")
        self.refresh()
        self.entry_opened(path)

    def request_review(self) -> None:
        self._review_step(review.request_review)

    def approve(self) -> None:
        self._review_step(review.approve)

    def request_changes(self) -> None:
        note, ok = QInputDialog.getMultiLineText(self.window, "Request changes", "What needs to change?")
        if ok and note.strip():
            self._review_step(review.request_changes, note.strip())
