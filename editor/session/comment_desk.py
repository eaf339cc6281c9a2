"""Comments in the session: the open entry's comment threads (read off the UI thread when it opens,
after every git step and after a pull), and the comment steps (add on a passage of the saved text,
reply, resolve, reopen), each committed on the serial git queue. ``changed(path)`` fires when the
threads of ``path`` were read again; the open entry is then checked again, so its open comments
show as findings on their passages."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from editor.lazy import lazy
from editor.session import failures
from editor.session.failures import Failure, FailureError

if TYPE_CHECKING:
    from editor.content.comments import Thread
    from editor.session.collaboration import Collaboration
    from editor.session.session import Session

comments = lazy("editor.content.comments")
steps = lazy("editor.vcs.comment_steps")
STEPS = ("add", "reply", "resolve", "reopen")


class CommentDesk(QObject):
    changed = Signal(str)  # an entry path: its threads were read again (``threads_for``)

    def __init__(self, session: Session, git: Collaboration):
        super().__init__(session)
        self.session = session
        self.git = git
        self._threads: dict[str, tuple[Thread, ...]] = {}
        session.documentOpened.connect(self.read)
        session.repositoryChanged.connect(self._reread)
        session.libraryChanged.connect(self._reread)
        session.repoStateChanged.connect(lambda _state: self._reread())  # also a step made in a terminal

    def threads_for(self, path: str) -> tuple[Thread, ...]:
        return self._threads.get(path, ())

    def read(self, path: str) -> None:
        """Read ``path``'s threads again, on a worker; ``changed(path)`` follows."""
        self.session.tasks.submit(f"comments:{path}", comments.load_threads, self.session.root, path,
                                  on_done=lambda threads: self._read(path, tuple(threads)))

    def _reread(self) -> None:
        document = self.session.document
        if document is not None:
            self.read(document.path)

    def _read(self, path: str, threads: tuple) -> None:
        before = self._threads.get(path, ())
        self._threads[path] = threads
        if threads != before:
            self.changed.emit(path)
            document = self.session.document
            if document is not None and document.path == path:
                self.session.check_now()

    def step(self, step: str, path: str, *args, on_done=None, on_error=None) -> None:
        """A comment step: ("add", start, end, text) with offsets in the saved body, ("reply",
        thread_id, text), ("resolve", thread_id) or ("reopen", thread_id)."""
        if step not in STEPS:
            raise ValueError(step)
        document = self.session.document
        if step == "add" and document is not None and document.path == path and self.session.is_modified:
            failure = Failure(failures.REVIEW, "Save the entry first: a comment is made on the saved text, so "
                                               "everyone sees it on the same words")
            if on_error is not None:
                on_error(failure)
            return

        def done(thread) -> None:
            self.read(path)
            if on_done is not None:
                on_done(thread)

        self.git._write(f"comment-{step}", _run, self.session.root, step, path, args, on_done=done,
                        on_error=on_error, commits=False)


def _run(root, step: str, path: str, args: tuple):
    """On the serial queue."""
    try:
        return {"add": steps.add, "reply": steps.reply, "resolve": steps.resolve, "reopen": steps.reopen}[step](
            root, path, *args)
    except comments.CommentError as exc:
        raise FailureError(Failure(failures.REVIEW, str(exc))) from None
