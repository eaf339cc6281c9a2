"""Failures as values: what went wrong, as a kind the code can act on and a message for people.

Work on a worker thread never raises into the UI. Whatever it raises becomes a ``Failure``: known
problems keep their own message, which is written for the writer; anything else says plainly that
something unexpected happened, without a traceback or a Python class name. No caller decides what
to do from a message's text: the ``kind`` says it."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass

# kinds
DISK = "disk"  # a file could not be read or written
GIT = "git"  # git refused or failed
REVIEW = "review"  # a review step was refused (not a reviewer, errors in the entry ...)
BLOCKED = "blocked"  # a commit was blocked by findings
UNSAFE_PATH = "unsafe-path"  # a path leading outside the repository
NOT_A_REPOSITORY = "not-a-repository"
CHANGED_ON_DISK = "changed-on-disk"  # saving would overwrite someone else's change
DELETED_ON_DISK = "deleted-on-disk"  # the open entry's file was deleted: saving would make it again
CANCELLED = "cancelled"
INTERNAL = "internal"  # a bug: said plainly, reported, never a traceback


@dataclass(frozen=True)
class Failure:
    kind: str
    message: str
    findings: tuple = ()  # for BLOCKED: the findings that block

    def __str__(self) -> str:
        return self.message


def failure_of(exc: BaseException) -> Failure:
    """The Failure for an exception raised by work on a worker thread."""
    if isinstance(exc, FailureError):
        return exc.failure
    kind = _kind_of(exc)
    if kind == GIT and not isinstance(exc, getattr(sys.modules.get("editor.vcs.process"), "VcsError", ())):
        from editor.vcs.process import command_error  # GitPython's own error: its stderr, in plain words

        return Failure(GIT, command_error(exc))
    if kind is not None:
        return Failure(kind, str(exc) or "The operation could not be completed", tuple(getattr(exc, "findings", ())))
    if isinstance(exc, OSError):
        reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else "the system gave no reason")
        return Failure(DISK, f"A file could not be read or written: {reason}")
    if isinstance(exc, MemoryError):
        return Failure(INTERNAL, "There was not enough memory to finish this")
    detail = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else "no detail"
    return Failure(INTERNAL, f"Something unexpected went wrong ({detail})")


class FailureError(Exception):
    """Raise a Failure from work on a worker thread."""

    def __init__(self, failure: Failure):
        super().__init__(failure.message)
        self.failure = failure


_KNOWN = {("editor.vcs.process", "VcsError"): GIT, ("editor.vcs.review", "ReviewError"): REVIEW,
          ("editor.vcs.commit", "CommitBlocked"): BLOCKED, ("editor.content.paths", "UnsafePath"): UNSAFE_PATH,
          ("editor.content.paths", "WriteError"): DISK, ("editor.content.repository", "NotARepository"): NOT_A_REPOSITORY,
          ("editor.vcs.demo", "DemoError"): DISK, ("editor.session.document", "DocumentError"): DISK,
          ("editor.checks.runner", "CheckCancelled"): CANCELLED, ("editor.content.comments", "CommentError"): REVIEW,
          ("editor.ui.pdf_export", "PdfError"): DISK,
          ("editor.web.checker", "LinkCheckCancelled"): CANCELLED, ("git.exc", "GitCommandError"): GIT}


def _kind_of(exc: BaseException) -> str | None:
    """The kind of a known exception of the core. Only modules already loaded are asked: an
    exception cannot come from a module that was never imported, and this module imports nothing."""
    for (module, name), kind in _KNOWN.items():
        cls = getattr(sys.modules.get(module), name, None)
        if isinstance(cls, type) and isinstance(exc, cls):
            return kind
    return None
