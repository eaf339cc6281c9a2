"""Git and review as operations of the session: status, diffs and history (reads, on the shared
pool, stale ones dropped) and commits, sync, discards, conflict choices and review steps (writes,
on the serial queue, one at a time, every result delivered).

Each operation takes ``on_done`` and ``on_error`` callbacks; ``on_error`` receives a Failure. After
any write the session's ``repositoryChanged`` fires."""
from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

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
states = lazy("editor.vcs.state")
conflicts = lazy("editor.vcs.conflicts")
repository = lazy("editor.content.repository")
diffs = lazy("editor.render.diff")
approval = lazy("editor.session.approval")

Callback = Callable | None
FETCH_MS = 4 * 60 * 1000  # the background fetch: every few minutes
REVIEW_STEPS = ("request", "approve", "changes")


def _diff_html(root: Path, path: str, kind: str) -> str:
    if kind == "conflicted":
        return _conflict_view(root, path).html
    if kind == "untracked":
        try:
            return diffs.added_file_html((root / vcs.inside(root, path)).read_text(encoding="utf-8"))
        except vcs.VcsError as exc:  # a link leading outside is not read
            return f"<p><i>{html.escape(str(exc))}</i></p>"
        except (OSError, UnicodeDecodeError):
            return "<p><i>Not a text file.</i></p>"
    return diffs.word_diff_html(vcs.word_diff(root, path))


@dataclass(frozen=True)
class ConflictView:
    """What the window shows of an entry changed on both sides: both versions with the differing
    words highlighted, and the two choices, named by person and place."""
    path: str
    html: str
    mine_choice: str  # "Use Your Version (not yet shared)"
    theirs_choice: str  # "Use Ana Ruiz's Version (on the shared library)"


def _conflict_view(root: Path, path: str) -> ConflictView:
    sides = conflicts.conflict_sides(root, path)

    def text(data):
        return data.decode("utf-8", "replace") if data is not None else None

    page = diffs.conflict_html(sides.mine_label, text(sides.mine), sides.theirs_label, text(sides.theirs))
    return ConflictView(sides.path, page, sides.mine_choice, sides.theirs_choice)


def _commit(root: Path, paths: list[str], summary: str, description: str, reason: str | None) -> str:
    try:
        return commits.commit_entries(repository.Repository.open(root), paths, summary, description, reason)
    except commits.CommitBlocked as blocked:
        raise FailureError(Failure(failures.BLOCKED, str(blocked), tuple(blocked.findings))) from None


def _resolve(root: Path, path: str, side: str):
    return conflicts.choose(root, path, side)


def _state(root: Path):
    return states.read_state(root)


def _review(root: Path, step: str, path: str, note: str | None, reviewer: str | None = None) -> str:
    repo = repository.Repository.open(root)
    if step == "request":
        return review.request_review(repo, path, reviewer=reviewer, note=note)
    if step == "approve":
        return review.approve(repo, path)
    return review.request_changes(repo, path, note or "")


class Collaboration:
    """Also keeps the repository's state (``state``, a RepoState) current: read again after every
    git step, on ``refresh_state`` (the window calls it when it comes to the front) and after the
    background fetch every few minutes; ``session.repoStateChanged`` fires when it changed. A read
    that was overtaken by a newer one is dropped. When the files changed underneath (a pull, a
    checkout in a terminal, Continue or Abort), the library is read again (``libraryChanged``)."""

    def __init__(self, session: Session):
        self.session = session
        self.root = session.root
        self.tasks = session.tasks
        self.state = None  # the last RepoState read
        self._asked = 0  # generation of the last state read asked for ...
        self._shown = 0  # ... and of the one in ``state``
        self._writes = 0  # git steps running on the serial queue
        self._fetching = False
        self._reload = False  # the files changed: read the library again with the next state
        self._own_heads: set[str] = set()  # commits made here (a commit changes no file)
        self.fetch_timer = QTimer(session, interval=FETCH_MS, timeout=self.background_fetch)
        session.repositoryChanged.connect(self.refresh_state)  # files or git changed: read the state again
        from editor.session.comment_desk import CommentDesk

        self.comments = CommentDesk(session, self)  # the open entry's comment threads, and comment steps

    def _write(self, key: str, fn, *args, on_done: Callback, on_error: Callback, files: bool = False,
               commits: bool = False) -> None:
        """A step on the serial queue; ``files``: it may change the working tree (the library is read
        again after it); ``commits``: it returns the id of a commit it made."""
        def finish():
            self._writes -= 1
            self._reload = self._reload or files
            self.session.repositoryChanged.emit()  # the window refreshes, and the state is read again

        def done(result):
            if commits and isinstance(result, str):
                self._own_heads.add(result)
            finish()
            if on_done is not None:
                on_done(result)

        def failed(failure: Failure):
            finish()  # a failed step can still have changed something
            if on_error is not None:
                on_error(failure)

        self._writes += 1
        self.tasks.submit(key, fn, *args, serial=True, on_done=done, on_error=failed)

    # ------------------------------------------------------------------ the repository's state

    def refresh_state(self) -> None:
        """Read the state again (off the UI thread); a step still running reads it when it ends."""
        if self._writes:
            return
        self._asked += 1
        generation = self._asked
        self.tasks.submit("repo-state", _state, self.root, on_done=lambda state: self._state_read(generation, state),
                          on_error=lambda failure: self._state_read(generation, states.RepoState(
                              repository=True, problem=failure.message)))

    def _state_read(self, generation: int, state) -> None:
        if generation < self._shown or self._writes:
            return  # a newer read came first, or a step has started since: its own read follows
        self._shown = generation
        previous, self.state = self.state, state
        moved = previous is not None and (previous.branch != state.branch or previous.head != state.head) \
            and state.head not in self._own_heads
        if self._reload or moved:
            self._reload = False
            self.session.reload_library()
        if state != previous:
            self.session.repoStateChanged.emit(state)

    def background_fetch(self) -> None:
        """Fetch quietly (the timer's call): the state then says whether the shared library answered
        and what there is to pull. Skipped while a step runs or one fetch is still under way."""
        state = self.state
        if self._fetching or self._writes or state is None or not state.remotes:
            return
        self._fetching = True

        def done(_result=None):
            self._fetching = False
            self.refresh_state()

        self.tasks.submit("background-fetch", sync.fetch_quietly, self.root, on_done=done, on_error=done)

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
                    on_done=on_done, on_error=on_error, commits=True)

    def discard(self, path: str, on_done: Callback, on_error: Callback) -> None:
        self._write("git-discard", vcs.discard, self.root, path, on_done=on_done, on_error=on_error, files=True)

    def resolve(self, path: str, side: str, on_done: Callback, on_error: Callback) -> None:
        """Take "mine" (the writer's version, not yet shared) or "theirs" (the colleague's) for an
        entry changed on both sides, byte for byte; Continue finishes the step."""
        self._write("git-resolve", _resolve, self.root, path, side, on_done=on_done, on_error=on_error, files=True)

    def conflict(self, path: str, on_done: Callback, on_error: Callback = None) -> None:
        """Both versions of a conflicted entry and its two choices (a ConflictView)."""
        self.tasks.submit("git-diff", _conflict_view, self.root, path, on_done=on_done, on_error=on_error)

    def continue_operation(self, on_done: Callback, on_error: Callback) -> None:
        """Finish the rebase or merge with the versions chosen; ``on_done(SyncResult)``."""
        self._write("git-continue", conflicts.continue_operation, self.root, on_done=on_done, on_error=on_error,
                    files=True)

    def abort_operation(self, on_done: Callback, on_error: Callback) -> None:
        """Go back to exactly how things were before the rebase or merge; ``on_done(SyncResult)``."""
        self._write("git-abort", conflicts.abort_operation, self.root, on_done=on_done, on_error=on_error, files=True)

    def remove_lock(self, on_done: Callback, on_error: Callback) -> None:
        """Remove a lock another git program left behind (refused while one is at work)."""
        self._write("git-unlock", states.remove_stale_lock, self.root, on_done=on_done, on_error=on_error)

    def sync(self, what: str, strategy: str, on_done: Callback, on_error: Callback) -> None:
        """``fetch``, ``pull`` (with ``strategy``), ``push`` or ``publish``; ``on_done(SyncResult)``."""
        if what == "pull":
            self._write("git-sync", sync.pull, self.root, strategy, on_done=on_done, on_error=on_error, files=True)
        else:
            action = {"fetch": sync.fetch, "push": sync.push, "publish": sync.publish}[what]
            self._write("git-sync", action, self.root, on_done=on_done, on_error=on_error)

    def approval_preview(self, path: str, on_done: Callback, on_error: Callback = None) -> None:
        """What approving ``path`` would cover: ``on_done(ApprovalPreview)`` (editor.session.approval)."""
        self.tasks.submit("approval-preview", approval.preview, self.root, path, on_done=on_done, on_error=on_error)

    def approve_shown(self, path: str, body_sha256: str, on_done: Callback, on_error: Callback) -> None:
        """Approve ``path`` if its saved text is still the one the preview showed (``body_sha256``)."""
        self._write("git-review", approval.approve_shown, self.root, path, body_sha256, on_done=on_done,
                    on_error=on_error)

    def review(self, step: str, path: str, note: str | None, on_done: Callback, on_error: Callback,
               reviewer: str | None = None) -> None:
        """A review step on ``path`` as it is on disk: "request" (of ``reviewer``, with an optional
        note), "approve" or "changes" (with a note)."""
        if step not in REVIEW_STEPS:
            raise ValueError(step)
        self._write("git-review", _review, self.root, step, path, note, reviewer, on_done=on_done, on_error=on_error,
                    commits=True)
