"""Comments on an entry's text: a reviewer's note on a passage, the replies to it, and whether it is
resolved.

Where they live: in a folder beside the entry named after it (``entries/sleep/naps.md`` →
``entries/sleep/naps.comments/``), one small YAML file for each comment (``THREAD.yaml``) and one for
each reply, resolve or reopen of it (``THREAD.EVENT.yaml``). Beside the entry, so they travel with it
through push and pull and are found without an index; outside the entry's file, so a comment never
touches the hashed body, never dirties the text a writer has open, and never conflicts with an edit;
a file per step, written once and never changed, so two people commenting, replying or resolving
at once only ever add files, which git merges without asking anyone. A thread's state is the sum of
its files: its replies in time order, and resolved when its latest resolve or reopen is a resolve.

How a comment stays on its passage: a thread keeps the words it was made on (``quote``), a few
words either side (``prefix``, ``suffix``) and where they stood (``start``, in the body). Wherever
the text has moved, the quote is found again (line breaks and runs of spaces may differ, as after
re-wrapping a paragraph), the candidate whose surroundings and place fit best winning; when the
words are no longer there, the passage was rewritten and the comment is outdated. An outdated
comment stays open until someone resolves it. Each reply, resolve and reopen also records where
the passage is at that moment, and the newest record is the one looked for.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from editor.content import yaml_limits

from editor.content.comment_anchor import CONTEXT, Placed, anchor, place  # noqa: F401 - part of this API

if TYPE_CHECKING:
    from editor.content.repository import FolderListing

FOLDER_SUFFIX = ".comments"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CommentError(Exception):
    """A comment could not be read or written; the message says why in plain words."""


def folder_for(entry_path: str) -> str:
    """The folder of ``entry_path``'s comment threads (repository-relative, with /)."""
    stem = entry_path[:-3] if entry_path.endswith(".md") else entry_path
    return stem + FOLDER_SUFFIX


def _ids(name: str) -> tuple[str, str | None] | None:
    """(thread id, event id or None) of a file name in a comment folder; None for any other file."""
    if not name.endswith(".yaml") or name.startswith("."):
        return None
    stem = name[:-5]
    thread, _, event = stem.partition(".")
    if not _ID.fullmatch(thread) or (event and not _ID.fullmatch(event)):
        return None
    return thread, event or None


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,80}")


def entry_for(thread_path: str) -> str | None:
    """The entry a thread file belongs to, from where it is; None for a file that is not one."""
    folder, _, name = thread_path.rpartition("/")
    if not folder.endswith(FOLDER_SUFFIX) or not name.endswith(".yaml"):
        return None
    return folder[: -len(FOLDER_SUFFIX)] + ".md"


@dataclass(frozen=True)
class Note:
    """One message of a thread: the comment itself or a reply."""

    by: str  # email
    name: str
    date: str  # ISO 8601, UTC
    text: str

    def to_json(self) -> dict:
        return {"by": self.by, "name": self.name, "date": self.date, "text": self.text}


@dataclass(frozen=True)
class Event:
    """A reply, a resolve or a reopen of a thread, with where its passage was at that moment."""

    id: str
    kind: str  # reply, resolve, reopen
    note: Note
    quote: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int = 0

    def to_bytes(self) -> bytes:
        data = {"kind": self.kind, **self.note.to_json()}
        if self.quote is not None:
            data.update(quote=self.quote, prefix=self.prefix, suffix=self.suffix, start=self.start)
        return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")


KINDS = ("reply", "resolve", "reopen")


@dataclass(frozen=True)
class Thread:
    id: str
    entry_path: str  # the entry it belongs to (from where its file is)
    quote: str
    prefix: str
    suffix: str
    start: int
    comment: Note
    replies: tuple[Note, ...] = ()
    resolved: Note | None = None  # who resolved it and when (text: empty, or why)
    problem: str | None = None  # the file could not be read: what is wrong with it

    @property
    def path(self) -> str:
        return f"{folder_for(self.entry_path)}/{self.id}.yaml"

    def event_path(self, event: Event) -> str:
        return f"{folder_for(self.entry_path)}/{self.id}.{event.id}.yaml"

    @property
    def is_open(self) -> bool:
        return self.resolved is None and self.problem is None

    @property
    def blocks(self) -> bool:
        """Whether it stands in the way of an approval: open, or a file of it cannot be read (what it
        says is unknown, so it cannot be taken as resolved)."""
        return self.resolved is None or self.problem is not None

    def to_json(self, anchor: tuple[int, int] | None = None) -> dict:
        data = {"id": self.id, "path": self.path, "quote": self.quote, "prefix": self.prefix, "suffix": self.suffix,
                "start": self.start, "comment": self.comment.to_json(), "replies": [r.to_json() for r in self.replies],
                "resolved": self.resolved.to_json() if self.resolved is not None else None,
                "open": self.is_open, "outdated": anchor is None}
        if self.problem is not None:
            data["problem"] = self.problem
        return data

    def to_bytes(self) -> bytes:
        """The thread's own file: the comment and its passage as made (replies are files of their own)."""
        data = {"quote": self.quote, "prefix": self.prefix, "suffix": self.suffix, "start": self.start,
                "comment": self.comment.to_json()}
        return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str):
    # a note of several lines reads as written (the emitter falls back to quotes where a block cannot hold it)
    # YAML folds its other line breaks (CR, NEL, U+2028/9) when it reads them back: those go escaped
    style = '"' if any(c in value for c in "\r\x85\u2028\u2029") else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_id(now: str | None = None) -> str:
    """Unique across clones: the time and random letters."""
    stamp = re.sub(r"[^0-9]", "", now or _now())[:14]
    return f"{stamp}-{secrets.token_hex(3)}"


def _text_fields(value: dict, *keys: str) -> bool:
    return all(isinstance(value.get(key, ""), str) for key in keys)


def _note(value) -> Note | None:
    """A note from its mapping; None unless every field is text (a list or a nest of YAML aliases
    is not a note, and is never turned into one)."""
    if not isinstance(value, dict) or not _text_fields(value, "by", "name", "date", "text"):
        return None
    return Note(value.get("by") or "", value.get("name") or value.get("by") or "", value.get("date") or "",
                value.get("text") or "")


def _load(raw: bytes | str):
    """YAML data, or a reason it is not: (data, None) or (None, why)."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        return yaml_limits.load(text, _Loader, aliases=False), None
    except yaml_limits.LimitError as exc:
        return None, exc.message
    except yaml.YAMLError:
        return None, "it is not valid YAML (a merge left its conflict markers in it?)"
    except (UnicodeDecodeError, ValueError):
        return None, "it is not UTF-8 text"
    except RecursionError:
        return None, "it is nested too deeply"


def _place_of(data: dict) -> tuple[str, str, str, int] | None:
    quote = data.get("quote")
    if not isinstance(quote, str) or not _text_fields(data, "prefix", "suffix"):
        return None
    start = data.get("start")
    start = start if isinstance(start, int) and not isinstance(start, bool) and start >= 0 else 0
    return quote, data.get("prefix") or "", data.get("suffix") or "", start


def parse_thread(entry_path: str, thread_id: str, raw: bytes | str) -> Thread:
    """A thread from its own file's bytes; a file that is not one gives a thread with ``problem`` set."""
    def broken(why: str) -> Thread:
        return Thread(thread_id, entry_path, "", "", "", 0, Note("", "", "", ""), problem=why)

    data, why = _load(raw)
    if why:
        return broken(why)
    if not isinstance(data, dict):
        return broken("it does not hold a comment")
    comment = _note(data.get("comment"))
    where = _place_of(data)
    if comment is None or not comment.text.strip() or where is None:
        return broken("it has no comment text or no quoted passage")
    return Thread(thread_id, entry_path, *where, comment)


def parse_event(event_id: str, raw: bytes | str) -> Event | str:
    """An event from its file's bytes, or why it is not one."""
    data, why = _load(raw)
    if why:
        return why
    note = _note(data) if isinstance(data, dict) else None
    if note is None or data.get("kind") not in KINDS:
        return "it is not a reply, a resolve or a reopen"
    where = _place_of(data)
    return Event(event_id, data["kind"], note, *(where or (None, "", "", 0)))


def with_events(thread: Thread, events: list[Event]) -> Thread:
    """The thread as its events leave it: replies in time order, resolved or not by the latest of
    its resolves and reopens, and its passage where the latest record of it says."""
    ordered = sorted(events, key=lambda e: (e.note.date, e.id))
    replies = tuple(e.note for e in ordered if e.kind == "reply")
    state = [e for e in ordered if e.kind in ("resolve", "reopen")]
    resolved = state[-1].note if state and state[-1].kind == "resolve" else None
    placed = [e for e in ordered if e.quote]
    where = {}
    if placed:
        last = placed[-1]
        where = {"quote": last.quote, "prefix": last.prefix, "suffix": last.suffix, "start": last.start}
    return replace(thread, replies=thread.replies + replies, resolved=resolved, **where)


def _readable(root: Path, relative: str) -> bool:
    """Not a link, nor inside one, that leads outside the repository."""
    from editor.content.paths import link_outside

    return link_outside(root, relative) is None


def load_threads(root: Path, entry_path: str) -> list[Thread]:
    """The entry's threads, oldest first (ids start with their time)."""
    relative = folder_for(entry_path)
    folder = Path(root) / relative
    if not _readable(root, relative):
        return []
    try:
        names = sorted(p.name for p in folder.iterdir())
    except OSError:
        return []
    threads: dict[str, Thread] = {}
    events: dict[str, list[Event]] = {}
    problems: dict[str, str] = {}
    for name in names:
        ids = _ids(name)
        if ids is None:
            continue
        raw = None
        if not _readable(root, f"{relative}/{name}"):
            why = "it is a link leading outside the repository, so it is not read"
        else:
            try:
                raw = (folder / name).read_bytes()
            except OSError as exc:
                why = f"it cannot be read ({exc.strerror or 'the disk refused'})"
        thread_id, event_id = ids
        if event_id is None:
            threads[thread_id] = parse_thread(entry_path, thread_id, raw) if raw is not None else \
                Thread(thread_id, entry_path, "", "", "", 0, Note("", "", "", ""), problem=why)
            continue
        event = parse_event(event_id, raw) if raw is not None else why
        if isinstance(event, str):
            problems.setdefault(thread_id, f"the file {relative}/{name} {event.removeprefix('it ')}")
        else:
            events.setdefault(thread_id, []).append(event)
    out = []
    for thread_id, thread in threads.items():
        if thread.problem is None:
            thread = with_events(thread, events.get(thread_id, []))
            if thread_id in problems:
                thread = replace(thread, problem=problems[thread_id])
        out.append(thread)
    return out


def comment_folders(root: Path, listing: FolderListing | None = None) -> dict[str, Path]:
    """Every comment folder under ``entries/``, by the entry path it belongs to, in the order of
    those paths. ``listing``: what the walk that listed the entries just saw of them
    (``Repository.listing``): only the folders it did not walk into are walked."""
    base = Path(root) / "entries"
    if not base.is_dir():
        return {}
    top = os.fspath(root)
    named: list[str] = []
    if listing is None:
        walks = [base]
    else:
        named.extend(listing.comment_folders)
        walks = [Path(root, folder) for folder in listing.not_walked if not os.path.islink(os.path.join(top, folder))]
    for start in walks:
        for folder, dirs, _files in os.walk(start):  # as rglob walks: linked folders are listed, not walked into
            named.extend(os.path.relpath(os.path.join(folder, name), top).replace(os.sep, "/")
                         for name in dirs if name.endswith(FOLDER_SUFFIX))
    found: dict[str, Path] = {}
    for relative in sorted(named):
        if _readable(root, relative):
            found[relative[: -len(FOLDER_SUFFIX)] + ".md"] = Path(root) / relative
    return found


def load_all(root: Path, paths: Iterable[str] | None = None,
             listing: FolderListing | None = None) -> dict[str, list[Thread]]:
    """Every entry's threads (only entries that have some), limited to ``paths`` when given;
    ``listing``: as ``comment_folders`` takes it."""
    wanted = set(paths) if paths is not None else None
    out = {}
    for entry_path in comment_folders(root, listing):
        if wanted is not None and entry_path not in wanted:
            continue
        threads = load_threads(root, entry_path)
        if threads:
            out[entry_path] = threads
    return out


def open_counts(root: Path, paths: Iterable[str] | None = None) -> dict[str, int]:
    """Entry path → number of threads that stand in the way of an approval (open, or with a file that
    cannot be read), for entries that have any."""
    return {path: n for path, threads in load_all(root, paths).items()
            if (n := sum(1 for t in threads if t.blocks))}


def new_thread(entry_path: str, body: str, start: int, end: int, by: str, name: str, text: str,
               now: str | None = None) -> Thread:
    """A thread on ``body[start:end]``. The passage must hold a word; the note must say something."""
    if not text.strip():
        raise CommentError("Write what the comment says first")
    start, end = max(0, min(start, end)), min(len(body), max(start, end))
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if not body[start:end].strip():
        raise CommentError("Select the words the comment is about first")
    now = now or _now()
    return Thread(new_id(now), entry_path, body[start:end], body[max(0, start - CONTEXT): start],
                  body[end: end + CONTEXT], start, Note(by, name, now, text.strip()))


def event(thread: Thread, kind: str, body: str | None, by: str, name: str, text: str = "",
          now: str | None = None) -> Event:
    """A reply, resolve or reopen of ``thread``, with where its passage is in ``body`` now (when found)."""
    if kind not in KINDS:
        raise ValueError(kind)
    if kind == "reply" and not text.strip():
        raise CommentError("Write the reply first")
    now = now or _now()
    span = anchor(thread, body) if body is not None else None
    note = Note(by, name, now, text.strip())
    if span is None:
        return Event(new_id(now), kind, note)
    start, end = span
    return Event(new_id(now), kind, note, body[start:end], body[max(0, start - CONTEXT): start],
                 body[end: end + CONTEXT], start)
