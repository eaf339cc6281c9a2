"""Comment steps, each committed on its own: add a comment on a passage of an entry's saved text,
reply to one, resolve it, open it again. Each step writes one new file and commits just it, so a
writer's uncommitted work on the entry (or anything else) is never part of it, and two people's
steps never touch the same file. When the commit fails, the new file is taken away again and the
CommentError says why."""
from __future__ import annotations

import re
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
            return thread
    raise CommentError(f"No comment {thread_id} on {entry_path} (it may have been removed in the shared library)")


def _save(root: Path, path: str, data: bytes, message: str, also: tuple[str, ...] = ()) -> str:
    """Write a new comment file and commit just it (and ``also``: the thread's own file, should a step
    killed before its commit have left it uncommitted); when the commit fails, it is taken away again."""
    target = Path(root) / path
    if target.exists() or target.is_symlink():
        raise CommentError(f"{path} exists already; nothing was changed")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(root, path, data)
    except (WriteError, OSError) as exc:
        raise CommentError(str(exc) if isinstance(exc, WriteError) else f"Cannot write {path}: {exc.strerror}") \
            from None
    try:
        return vcs.commit_paths(root, [path, *also], message)
    except VcsError as exc:
        reason = str(exc)
    try:
        target.unlink(missing_ok=True)
        target.parent.rmdir()  # only when nothing else is in it
    except OSError:
        pass
    raise CommentError(f"The comment could not be committed, so nothing changed: {reason}")


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _raw_offset(body: str, offset: int) -> int:
    """Where ``offset`` of the body with its line endings made LF (as the editor shows it) is in the body."""
    seen = 0
    index = 0
    while index < len(body) and seen < offset:
        index += 2 if body.startswith("\r\n", index) else 1
        seen += 1
    return index


def add(root: Path, entry_path: str, start: int, end: int, text: str) -> Thread:
    """A comment on the words from ``start`` to ``end`` of the entry's body as saved, counted in the
    body with its line endings made LF (as the editor shows it: a CRLF file counts the same)."""
    who = _who(root)
    entry = _entry(root, entry_path)
    body = entry.body
    thread = comments.new_thread(entry.path, body, _raw_offset(body, start), _raw_offset(body, end), who.email,
                                 who.name, text)
    _save(root, thread.path, thread.to_bytes(), f"Comment on {entry.question}: {_short(thread.comment.text)}\n\n"
                f"On \u201c{_short(thread.quote, 200)}\u201d:\n{thread.comment.text}\n")
    return thread


def add_on_words(root: Path, entry_path: str, words: str, text: str, occurrence: int = 1) -> Thread:
    """A comment on the ``occurrence``-th place ``words`` appear in the entry's body (the command line's
    way; a line break may stand where the words have a space, as in a hard-wrapped paragraph)."""
    entry = _entry(root, entry_path)
    if not words.strip():
        raise CommentError("Select the words the comment is about first (--on)")
    body = _lf(entry.body)
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words.split()))
    found = None
    for number, match in enumerate(pattern.finditer(body), 1):
        if number == max(1, occurrence):
            found = match
            break
    if found is None:
        raise CommentError(f"\u201c{_short(words)}\u201d is not in the text of {entry.path}"
                           + (f" {occurrence} times" if occurrence > 1 else ""))
    return add(root, entry.path, found.start(), found.end(), text)


def _step(root: Path, entry_path: str, thread_id: str, kind: str, text: str, subject: str) -> Thread:
    who = _who(root)
    entry = _entry(root, entry_path)
    thread = _thread(root, entry.path, thread_id)
    if thread.problem is not None:
        raise CommentError(f"The comment {thread_id} cannot be used: {thread.problem}. Mend that file or remove it "
                           "with git (a merge may have left its conflict markers in it)")
    if kind == "resolve" and thread.resolved is not None:
        raise CommentError("That comment is already resolved")
    if kind == "reopen" and thread.resolved is None:
        raise CommentError("That comment is open already")
    made = comments.event(thread, kind, entry.body, who.email, who.name, text)
    said = thread.comment.text or thread_id
    _save(root, thread.event_path(made), made.to_bytes(), f"{subject} on {entry.question}: {_short(said)}\n"
          + (f"\n{text.strip()}\n" if text.strip() else ""), also=(thread.path,))
    return _thread(root, entry.path, thread_id)


def reply(root: Path, entry_path: str, thread_id: str, text: str) -> Thread:
    if not text.strip():
        raise CommentError("Write the reply first")
    return _step(root, entry_path, thread_id, "reply", text, "Reply")


def resolve(root: Path, entry_path: str, thread_id: str, text: str = "") -> Thread:
    return _step(root, entry_path, thread_id, "resolve", text, "Resolve comment")


def reopen(root: Path, entry_path: str, thread_id: str) -> Thread:
    return _step(root, entry_path, thread_id, "reopen", "", "Reopen comment")
