"""Git in the window: the Changes and History panels, sync and commits; the Review menu and the
review board are ``review_menu``'s. Every operation is the session's (``session.git``) and runs on its
task runner; this module only shows results and asks the questions (who are you, why commit with
errors, which version)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QInputDialog, QLineEdit, QMessageBox

from editor.lazy import lazy
from editor.session import failures
from editor.session.failures import Failure
from editor.ui.changes import ChangesPanel
from editor.ui.history import HistoryPanel
from editor.ui.review_menu import ReviewMenu

if TYPE_CHECKING:
    from editor.session.session import Session
    from editor.ui.main_window import MainWindow

sync = lazy("editor.vcs.sync")
advice = lazy("editor.vcs.advice")


class GitController(QObject):
    def __init__(self, session: Session, window: MainWindow):
        super().__init__(window)
        self.session = session
        self.git = session.git
        self.window = window
        self.changes = ChangesPanel()
        self.history = HistoryPanel()
        self.changes_dock = self._dock("Changes", self.changes)
        self.history_dock = self._dock("History", self.history)
        self.review = ReviewMenu(self)  # the Review menu and the review board
        window.tabify_bottom([self.changes_dock, self.history_dock, self.review.board_dock])
        self.changes.diffRequested.connect(self._show_diff)
        self.changes.commitRequested.connect(self.commit)
        self.changes.syncRequested.connect(self.sync)
        self.changes.discardRequested.connect(self.discard)
        self.changes.resolveRequested.connect(self.resolve)
        self.changes.actionRequested.connect(self.act)
        self.history.revisionSelected.connect(self._show_revision)
        self.history.restoreRequested.connect(self._restore)
        session.repoStateChanged.connect(self._state_changed)
        session.documentOpened.connect(self.entry_opened)
        session.factsChanged.connect(self._show_review_note)
        self.review.build_menu([self.changes_dock, self.history_dock])
        self.refresh()

    def _dock(self, title: str, widget) -> QDockWidget:
        from editor.ui.layout import scrolling

        dock = QDockWidget(title, self.window)
        dock.setObjectName(f"dock-{title.lower().replace(' ', '-')}")
        dock.setWidget(scrolling(widget))  # the bottom strip stays slim: a tall panel scrolls in it
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def _say(self, text: str) -> None:
        self.changes.message.setText(text)
        self.window.say(text, 8000)

    def _failed(self, failure: Failure) -> None:
        self._say(failure.message)

    def _open_path(self) -> str | None:
        document = self.session.document
        return document.path if document is not None else None

    # ------------------------------------------------------------------ status and diffs

    def refresh(self) -> None:
        """Read the repository's state again (after a change outside the editor, say)."""
        self.git.refresh_state()

    def _state_changed(self, state) -> None:
        said = advice.describe(state)
        was = self.changes.state.level
        self.changes.show_state(state, said, advice.LABELS)
        if said.level == advice.ATTENTION and was != advice.ATTENTION:  # a rebase, a merge, a lock: in view
            self.changes_dock.show()
            self.changes_dock.raise_()

    def entry_opened(self, path: str) -> None:
        self.git.history(path, self.history.show_history, lambda failure: self.history.show_history([]))
        self._note_for = path  # shown once the entry's fields are read (on a worker)
        self._show_review_note()

    def _show_review_note(self) -> None:
        """A reviewer's "Request changes" note, where the writer sees it: on the entry, until it is
        answered by a new request for review (or an approval)."""
        document, facts = self.session.document, self.session.facts
        if document is None or getattr(self, "_note_for", None) != document.path or facts is None \
                or facts.path != document.path or facts.text != document.saved_text:
            return
        self._note_for = None
        note = facts.review_note
        if not isinstance(note, dict) or not str(note.get("note") or "").strip():
            return
        by = str(note.get("by") or "a reviewer")
        settings = self.session.loaded.repo.settings if self.session.loaded else None
        reviewer = settings.reviewer(by) if settings is not None else None
        name = reviewer.name if reviewer is not None else by
        self.window.banner.show_message(
            f"Changes requested by {name} on {note.get('date') or 'an earlier day'}: {str(note['note']).strip()}",
            [("Request Review Again", self.request_review), ("OK", lambda: None)])

    def _show_diff(self, path: str, kind: str) -> None:
        if kind == "conflicted":
            self.git.conflict(path, self.changes.show_conflict, self._failed)
        else:
            self.git.diff(path, kind, self.changes.diff.setHtml, self._failed)

    def _show_revision(self, sha: str) -> None:
        path = self._open_path()
        if path is not None:
            self.git.revision_diff(path, sha, lambda shown: self.history.show_revision(sha, shown), self._failed)

    def _restore(self, sha: str) -> None:
        path = self._open_path()
        if path is not None:
            self.git.version_at(path, sha, lambda text: self._restored(path, sha, text), self._failed)

    def _restored(self, path: str, sha: str, text: str | None) -> None:
        if text is not None and self._open_path() == path:
            self.window.documents.replace_text(text.replace("\r\n", "\n"))
            self._say(f"Restored the version of {sha[:10]} as an unsaved change; save and commit to keep it.")

    # ------------------------------------------------------------------ commits

    def ensure_identity(self) -> bool:
        if self.git.identity() is not None:
            return True
        name, ok = QInputDialog.getText(self.window, "Who are you?", "Your name, for the history:")
        if not ok or not name.strip():
            return False
        email, ok = QInputDialog.getText(self.window, "Who are you?", "Your email:", QLineEdit.EchoMode.Normal)
        if not ok or "@" not in email:
            return False
        self.git.set_identity(name.strip(), email.strip())
        return True

    def _save_first(self, paths: list[str] | None = None) -> bool:
        """Save the open entry when it has unsaved changes (and is among ``paths``, when given)."""
        path = self._open_path()
        if not self.session.is_modified or (paths is not None and path not in paths):
            return True
        return self.window.documents.save()

    def commit(self, paths: list[str], summary: str, description: str, reason: str | None = None) -> None:
        refused = advice.refusal(self.git.state, "commit") if self.git.state is not None else None
        if refused:  # a rebase or a merge is finished by Continue, never by a commit of chosen files
            self._say(refused)
            return
        if not paths:
            self._say("Tick the files to commit.")
            return
        if not self._save_first(paths):
            return
        if not self.ensure_identity():
            self._say("Commit cancelled: git needs your name and email.")
            return
        self._say("Committing\u2026")
        self.git.commit(paths, summary, description, reason, on_done=lambda sha: self._committed(sha, paths),
                        on_error=lambda failure: self._commit_failed(failure, paths, summary, description, reason))

    def _commit_failed(self, failure: Failure, paths, summary, description, reason) -> None:
        if failure.kind == failures.BLOCKED and failure.findings and reason is None:
            self.window.problems.show_findings(list(failure.findings), "repository")
            why, ok = QInputDialog.getText(self.window, "Commit anyway?",
                                           f"{failure.message}\nWhy commit with these errors? (goes into the message)")
            if ok and why.strip():
                self.commit(paths, summary, description, why.strip())
                return
        self._say(failure.message)

    def _committed(self, sha: str, paths: list[str]) -> None:
        self.changes.committed()
        self._say(f"Committed {len(paths)} file(s) as {sha[:10]}")
        path = self._open_path()
        if path is not None:
            self.entry_opened(path)

    def discard(self, path: str) -> None:
        answer = QMessageBox.question(self.window, "Discard change?",
                                      f"Put {path} back as the last commit has it? A backup is kept.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.git.discard(path, lambda _: self._reopen_after(path, f"Discarded the change to {path}; a backup is under "
                                                                  "refs/malone/backups."), self._failed)

    def resolve(self, path: str, side: str) -> None:
        button = self.changes.use_mine if side == "mine" else self.changes.use_theirs
        chosen = button.text().removeprefix("Use ").split(" (")[0]
        message = f"Took {chosen.replace('Version', 'version')} of {path}. When every entry has a version, press Continue."
        self.git.resolve(path, side, lambda _: self._reopen_after(path, message), self._failed)

    # ------------------------------------------------------------------ what the state offers

    def act(self, action: str) -> None:
        """An action the repository's state offers (a button of the state bar)."""
        if action in (advice.PULL, advice.PUSH, advice.FETCH, advice.PUBLISH):
            self.sync(action)
        elif action in (advice.REBASE_ON_TOP, advice.MERGE_IN):
            self.sync("pull", action)
        elif action == advice.CONTINUE:
            if self._save_first():
                self._say("Continuing\u2026")
                self.git.continue_operation(self._stepped, self._failed)
        elif action == advice.ABORT:
            if self._ask("Abort?", "Go back to exactly how things were before? The versions you chose are kept in a "
                                   "backup."):
                self.git.abort_operation(self._stepped, self._failed)
        elif action == advice.REMOVE_LOCK:
            if self._ask("Remove the lock?", "No git program is working in this library now; remove the lock it "
                                             "left behind?"):
                self.git.remove_lock(lambda _: self._say("Removed the lock; git can work here again."), self._failed)

    def _ask(self, title: str, question: str) -> bool:
        return QMessageBox.question(self.window, title, question) == QMessageBox.StandardButton.Yes

    def _stepped(self, result) -> None:
        """Continue or Abort came back: say what happened; show the entry as it is now."""
        self._say(result.message)
        path = self._open_path()
        if path is not None and not self.session.is_modified:
            self.window.open_entry(path, force=True)

    def _reopen_after(self, path: str, message: str) -> None:
        self._say(message)
        if self._open_path() == path:
            self.window.open_entry(path, force=True)

    # ------------------------------------------------------------------ sync and review

    def sync(self, what: str, strategy: str = "ff-only") -> None:
        if what == "pull" and not self._save_first():
            return
        self._say({"fetch": "Fetching", "pull": "Pulling", "push": "Pushing", "publish": "Publishing"}[what] + "\u2026")
        self.git.sync(what, strategy, self._synced, self._failed)

    def _synced(self, result) -> None:
        self._say(result.message)
        if result.kind == sync.DIVERGED:  # guide the writer through a diverged branch
            self.window.banner.show_message(result.message + " Your files are backed up either way.", [
                ("Rebase Mine on Top", lambda: self.sync("pull", "rebase")),
                ("Merge", lambda: self.sync("pull", "merge")), ("Not Now", lambda: None)])
        path = self._open_path()
        if path is not None and not self.session.is_modified:
            self.window.open_entry(path, force=True)

    # the Review menu's steps, where callers and the writer's banner find them
    def request_review(self) -> None:
        self.review.request_review()

    def approve(self) -> None:
        self.review.approve()

    def request_changes(self) -> None:
        self.review.request_changes()

    @property
    def approve_dialog(self):
        return self.review.approve_dialog
