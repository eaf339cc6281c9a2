"""Git and review as operations of the session: status, diffs and history (reads, on the shared
pool, stale ones dropped) and commits, sync, discards, conflict choices and review steps (writes,
on the serial queue, one at a time, every result delivered).

Each operation takes ``on_done`` and ``on_error`` callbacks; ``on_error`` receives a Failure. After
any write the session's ``repositoryChanged`` fires."""
from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from editor.lazy import lazy
from editor.session import failures
from editor.session.failures import Failure, FailureError

if TYPE_CHECKING:
    from editor.session.session import Session

# loaded by the first git task (on a worker thread), not while the window is being built
vcs = lazy("editor.vcs.git")
review = lazy("editor.vcs.review")
sync = lazy("editor.vcs.sync")
commits = lazy("editor.vcs.commit")
statuses = lazy("editor.vcs.status")
repository = lazy("editor.content.repository")
diffs = lazy("editor.render.diff")
approval = lazy("editor.session.approval")

Callback = Callable | None
REVIEW_STEPS = ("request", "approve", "changes")


def _diff_html(root: Path, path: str, kind: str) -> str:
    if kind == "conflicted":
        mine, theirs = sync.conflict_versions(root, path)

        def block(title, text):
            body = html.escape(text).replace("\n", "<br/>") if text is not None else "<i>deleted on this side</i>"
            return f"<h3>{title}</h3><div style='background-color:#f6f6f6;'>{body}</div>"

        return ("<p><b>This entry changed on both sides.</b> Choose a version below; you can edit it after.</p>"
                + block("Your version", mine) + block("Their version", theirs))
    if kind == "untracked":
        try:
            return diffs.added_file_html((root / vcs.inside(root, path)).read_text(encoding="utf-8"))
        except vcs.VcsError as exc:  # a link leading outside is not read
            return f"<p><i>{html.escape(str(exc))}</i></p>"
        except (OSError, UnicodeDecodeError):
            return "<p><i>Not a text file.</i></p>"
    return diffs.word_diff_html(vcs.word_diff(root, path))


def _commit(root: Path, paths: list[str], summary: str, description: str, reason: str | None) -> str:
    try:
        return commits.commit_entries(repository.Repository.open(root), paths, summary, description, reason)
    except commits.CommitBlocked as blocked:
        raise FailureError(Failure(failures.BLOCKED, str(blocked), tuple(blocked.findings))) from None


def _resolve(root: Path, path: str, side: str) -> None:
    mine, theirs = sync.conflict_versions(root, path)
    chosen = mine if side == "mine" else theirs
    if chosen is None:
        raise FailureError(Failure(failures.GIT, "That side deleted the entry; resolve it with git."))
    sync.resolve_conflict(root, path, chosen)


def _review(root: Path, step: str, path: str, note: str | None) -> str:
    repo = repository.Repository.open(root)
    if step == "request":
        return review.request_review(repo, path)
    if step == "approve":
        return review.approve(repo, path)
    return review.request_changes(repo, path, note or "")


class Collaboration:
    def __init__(self, session: Session):
        self.session = session
        self.root = session.root
        self.tasks = session.tasks

    def _write(self, key: str, fn, *args, on_done: Callback, on_error: Callback) -> None:
        def done(result):
            self.session.repositoryChanged.emit()
            if on_done is not None:
                on_done(result)

        def failed(failure: Failure):
            self.session.repositoryChanged.emit()  # a failed step can still have changed something
            if on_error is not None:
                on_error(failure)

        self.tasks.submit(key, fn, *args, serial=True, on_done=done, on_error=failed)

    # ------------------------------------------------------------------ reads

    def status(self, on_done: Callback, on_error: Callback = None) -> None:
        self.tasks.submit("git-status", statuses.status, self.root, on_done=on_done, on_error=on_error)

    def history(self, path: str, on_done: Callback, on_error: Callback = None) -> None:
        self.tasks.submit("git-history", vcs.history, self.root, path, on_done=on_done, on_error=on_error)

    def diff(self, path: str, kind: str, on_done: Callback, on_error: Callback = None) -> None:
        self.tasks.submit("git-diff", _diff_html, self.root, path, kind, on_done=on_done, on_error=on_error)

    def revision_diff(self, path: str, sha: str, on_done: Callback, on_error: Callback = None) -> None:
        self.tasks.submit("git-revision", lambda: diffs.word_diff_html(vcs.word_diff(self.root, path, sha)),
                          on_done=on_done, on_error=on_error)

    def version_at(self, path: str, sha: str, on_done: Callback, on_error: Callback = None) -> None:
        """The entry's text as commit ``sha`` had it (None when it had no such file)."""
        self.tasks.submit("git-restore", vcs.file_at, self.root, sha, path, on_done=on_done, on_error=on_error)

    def queue(self, on_done: Callback, on_error: Callback = None) -> None:
        self.tasks.submit("review-queue", lambda: review.queue(repository.Repository.open(self.root)),
                          on_done=on_done, on_error=on_error)

    def identity(self):
        """Who commits (git config), or None when git does not know; a small read on the calling thread."""
        return vcs.identity(self.root)

    def set_identity(self, name: str, email: str) -> None:
        vcs.set_identity(self.root, name, email)

    # ------------------------------------------------------------------ writes

    def commit(self, paths: list[str], summary: str, description: str, reason: str | None,
               on_done: Callback, on_error: Callback) -> None:
        """Commit the chosen files; ``on_done(sha)``. Findings that block come as a BLOCKED failure
        with the findings; a ``reason`` lets error findings through (never conflict markers)."""
        self._write("git-commit", _commit, self.root, paths, summary, description, reason,
                    on_done=on_done, on_error=on_error)

    def discard(self, path: str, on_done: Callback, on_error: Callback) -> None:
        self._write("git-discard", vcs.discard, self.root, path, on_done=on_done, on_error=on_error)

    def resolve(self, path: str, side: str, on_done: Callback, on_error: Callback) -> None:
        """Take "mine" or "theirs" for a conflicted entry."""
        self._write("git-resolve", _resolve, self.root, path, side, on_done=on_done, on_error=on_error)

    def sync(self, what: str, strategy: str, on_done: Callback, on_error: Callback) -> None:
        """``fetch``, ``pull`` (with ``strategy``) or ``push``; ``on_done(SyncResult)``."""
        if what == "pull":
            self._write("git-sync", sync.pull, self.root, strategy, on_done=on_done, on_error=on_error)
        else:
            action = {"fetch": sync.fetch, "push": sync.push}[what]
            self._write("git-sync", action, self.root, on_done=on_done, on_error=on_error)

    def approval_preview(self, path: str, on_done: Callback, on_error: Callback = None) -> None:
        """What approving ``path`` would cover: ``on_done(ApprovalPreview)`` (editor.session.approval)."""
        self.tasks.submit("approval-preview", approval.preview, self.root, path, on_done=on_done, on_error=on_error)

    def approve_shown(self, path: str, body_sha256: str, on_done: Callback, on_error: Callback) -> None:
        """Approve ``path`` if its saved text is still the one the preview showed (``body_sha256``)."""
        self._write("git-review", approval.approve_shown, self.root, path, body_sha256, on_done=on_done,
                    on_error=on_error)

    def review(self, step: str, path: str, note: str | None, on_done: Callback, on_error: Callback) -> None:
        """A review step on ``path`` as it is on disk: "request", "approve" or "changes" (with a note)."""
        if step not in REVIEW_STEPS:
            raise ValueError(step)
        self._write("git-review", _review, self.root, step, path, note, on_done=on_done, on_error=on_error)
