"""Comment steps, each committed on its own: add a comment on a passage of an entry's saved text,
reply to one, resolve it, open it again. Only the thread's own file is written and committed, so a
writer's uncommitted work on the entry (or anything else) is never part of it. When the commit
fails, the thread file is put back as it was and the CommentError says why."""
from __future__ import annotations

from pathlib import Path

from editor.content import comments
from editor.content.comments import CommentError, Thread
from editor.content.entry import Entry
from editor.content.paths import WriteError, atomic_write
from editor.vcs import git as vcs
from editor.vcs.process import VcsError


def _who(root: Path) -> vcs.Identity:
    vcs.require_repository(root)
    who = vcs.identity(root)
    if who is None:
        raise CommentError("Your git identity is not set: run git config user.name \"Your Name\" and "
                           "git config user.email you@example.org")
    return who


def _entry(root: Path, entry_path: str) -> Entry:
    entry_path = vcs.inside(root, entry_path)
    entry = Entry.load(root, entry_path)
    if entry.problem is not None:
        raise CommentError(f"{entry_path}: {entry.problem.message}")
    return entry


def _thread(root: Path, entry_path: str, thread_id: str) -> Thread:
    for thread in comments.load_threads(root, entry_path):
        if thread.id == thread_id:
            if thread.problem is not None:
                raise CommentError(f"The comment file {thread.path} cannot be used: {thread.problem}")
            return thread
    raise CommentError(f"No comment {thread_id} on {entry_path} (it may have been removed in the shared library)")


def _save(root: Path, thread: Thread, message: str) -> str:
    path = thread.path
    target = Path(root) / path
    try:
        before = target.read_bytes() if target.exists() else None
    except OSError as exc:
        raise CommentError(f"Cannot read {path}: {exc.strerror}") from None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(root, path, thread.to_bytes())
    except (WriteError, OSError) as exc:
        raise CommentError(str(exc) if isinstance(exc, WriteError) else f"Cannot write {path}: {exc.strerror}") \
            from None
    try:
        return vcs.commit_paths(root, [path], message)
    except VcsError as exc:
        reason = str(exc)
    try:
        if before is None:
            target.unlink(missing_ok=True)
            try:
                target.parent.rmdir()
            except OSError:
                pass
        else:
            atomic_write(root, path, before)
    except (WriteError, OSError):
        pass
    raise CommentError(f"The comment could not be committed, so nothing changed: {reason}")


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def add(root: Path, entry_path: str, start: int, end: int, text: str) -> Thread:
    """A comment on ``body[start:end]`` of the entry as saved (offsets in its body)."""
    who = _who(root)
    entry = _entry(root, entry_path)
    thread = comments.new_thread(entry.path, entry.body, start, end, who.email, who.name, text)
    _save(root, thread, f"Comment on {entry.question}: {_short(thread.comment.text)}\n\n"
                        f"On \u201c{_short(thread.quote, 200)}\u201d:\n{thread.comment.text}\n")
    return thread


def add_on_words(root: Path, entry_path: str, words: str, text: str, occurrence: int = 1) -> Thread:
    """A comment on the ``occurrence``-th place ``words`` appear in the entry's body (the command line's way)."""
    entry = _entry(root, entry_path)
    at = -1
    for _ in range(max(1, occurrence)):
        at = entry.body.find(words, at + 1)
        if at == -1:
            raise CommentError(f"\u201c{_short(words)}\u201d is not in the text of {entry.path}"
                               + (f" {occurrence} times" if occurrence > 1 else ""))
    return add(root, entry.path, at, at + len(words), text)


def reply(root: Path, entry_path: str, thread_id: str, text: str) -> Thread:
    who = _who(root)
    entry = _entry(root, entry_path)
    thread = comments.with_reply(comments.moved(_thread(root, entry.path, thread_id), entry.body), who.email,
                                 who.name, text)
    _save(root, thread, f"Reply on {entry.question}: {_short(text)}\n\n{text.strip()}\n")
    return thread


def resolve(root: Path, entry_path: str, thread_id: str, text: str = "") -> Thread:
    who = _who(root)
    entry = _entry(root, entry_path)
    thread = _thread(root, entry.path, thread_id)
    if thread.resolved is not None:
        raise CommentError("That comment is already resolved")
    thread = comments.resolved(comments.moved(thread, entry.body), who.email, who.name, text)
    _save(root, thread, f"Resolve comment on {entry.question}: {_short(thread.comment.text)}\n"
          + (f"\n{text.strip()}\n" if text.strip() else ""))
    return thread


def reopen(root: Path, entry_path: str, thread_id: str) -> Thread:
    _who(root)
    entry = _entry(root, entry_path)
    thread = _thread(root, entry.path, thread_id)
    if thread.resolved is None:
        raise CommentError("That comment is open already")
    thread = comments.reopened(thread)
    _save(root, thread, f"Reopen comment on {entry.question}: {_short(thread.comment.text)}\n")
    return thread
