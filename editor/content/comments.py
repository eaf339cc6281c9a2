"""Comments on an entry's text: a reviewer's note on a passage, the replies to it, and whether it is
resolved.

Where they live: one small YAML file per comment thread, in a folder beside the entry named after
it (``entries/sleep/naps.md`` → ``entries/sleep/naps.comments/THREAD.yaml``). Beside the entry, so
they travel with it through push and pull and are found without an index; outside the entry's file,
so a comment never touches the hashed body, never dirties the text a writer has open, and a comment
made while a writer edits never conflicts with the edit; one file per thread, so two people
commenting at once add two files and git merges them without asking anyone.

How a comment stays on its passage: a thread keeps the words it was made on (``quote``), a few
words either side (``prefix``, ``suffix``) and where they stood (``start``, in the body). Wherever
the text has moved, the quote is found again (line breaks and runs of spaces may differ, as after
re-wrapping a paragraph), the candidate whose surroundings and place fit best winning; when the
words are no longer there, the passage was rewritten and the comment is outdated. An outdated
comment stays open until someone resolves it.
"""
from __future__ import annotations

import datetime as _dt
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

FOLDER_SUFFIX = ".comments"
CONTEXT = 40  # characters of prefix and suffix kept
QUOTE_LIMIT = 2000  # characters of a passage kept; a longer selection keeps its start and end
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CommentError(Exception):
    """A comment could not be read or written; the message says why in plain words."""


def folder_for(entry_path: str) -> str:
    """The folder of ``entry_path``'s comment threads (repository-relative, with /)."""
    stem = entry_path[:-3] if entry_path.endswith(".md") else entry_path
    return stem + FOLDER_SUFFIX


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

    @property
    def is_open(self) -> bool:
        return self.resolved is None and self.problem is None

    def to_data(self) -> dict:
        data = {"quote": self.quote, "prefix": self.prefix, "suffix": self.suffix, "start": self.start,
                "comment": self.comment.to_json(), "replies": [r.to_json() for r in self.replies]}
        if self.resolved is not None:
            data["resolved"] = self.resolved.to_json()
        return data

    def to_json(self, anchor: tuple[int, int] | None = None) -> dict:
        data = {"id": self.id, "path": self.path, **self.to_data(), "open": self.is_open}
        data["outdated"] = anchor is None
        return data

    def to_bytes(self) -> bytes:
        return yaml.dump(self.to_data(), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")


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


def _note(value) -> Note | None:
    if not isinstance(value, dict):
        return None
    return Note(str(value.get("by") or ""), str(value.get("name") or value.get("by") or ""),
                str(value.get("date") or ""), str(value.get("text") or ""))


def parse_thread(entry_path: str, thread_id: str, raw: bytes | str) -> Thread:
    """A thread from its file's bytes; a file that is not one gives a thread with ``problem`` set."""
    def broken(why: str) -> Thread:
        return Thread(thread_id, entry_path, "", "", "", 0, Note("", "", "", ""), problem=why)

    try:
        data = yaml.load(raw, Loader=_Loader)
    except yaml.YAMLError:
        return broken("it is not valid YAML")
    except UnicodeDecodeError:
        return broken("it is not UTF-8 text")
    if not isinstance(data, dict):
        return broken("it does not hold a comment")
    comment = _note(data.get("comment"))
    if comment is None or not comment.text.strip() or not isinstance(data.get("quote"), str):
        return broken("it has no comment text or no quoted passage")
    listed = data.get("replies") if isinstance(data.get("replies"), list) else []
    replies = tuple(n for n in map(_note, listed) if n is not None)
    start = data.get("start")
    return Thread(thread_id, entry_path, data["quote"], str(data.get("prefix") or ""), str(data.get("suffix") or ""),
                  start if isinstance(start, int) and not isinstance(start, bool) and start >= 0 else 0, comment,
                  replies, _note(data.get("resolved")))


def load_threads(root: Path, entry_path: str) -> list[Thread]:
    """The entry's threads, oldest first (ids start with their time)."""
    folder = Path(root) / folder_for(entry_path)
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix == ".yaml" and not p.name.startswith("."))
    except OSError:
        return []
    threads = []
    for file in files:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            threads.append(Thread(file.stem, entry_path, "", "", "", 0, Note("", "", "", ""),
                                  problem=f"it cannot be read ({exc.strerror or 'the disk refused'})"))
            continue
        threads.append(parse_thread(entry_path, file.stem, raw))
    return threads


def comment_folders(root: Path) -> dict[str, Path]:
    """Every comment folder under ``entries/``, by the entry path it belongs to."""
    base = Path(root) / "entries"
    found: dict[str, Path] = {}
    if not base.is_dir():
        return found
    for folder in base.rglob(f"*{FOLDER_SUFFIX}"):
        if folder.is_dir():
            relative = folder.relative_to(root).as_posix()
            found[relative[: -len(FOLDER_SUFFIX)] + ".md"] = folder
    return found


def load_all(root: Path, paths: Iterable[str] | None = None) -> dict[str, list[Thread]]:
    """Every entry's threads (only entries that have some), limited to ``paths`` when given."""
    wanted = set(paths) if paths is not None else None
    out = {}
    for entry_path in comment_folders(root):
        if wanted is not None and entry_path not in wanted:
            continue
        threads = load_threads(root, entry_path)
        if threads:
            out[entry_path] = threads
    return out


def open_counts(root: Path, paths: Iterable[str] | None = None) -> dict[str, int]:
    """Entry path → number of open (unresolved) threads, for entries that have any."""
    return {path: n for path, threads in load_all(root, paths).items()
            if (n := sum(1 for t in threads if t.is_open))}


# ---------------------------------------------------------------------- anchoring


def _flexible(quote: str) -> re.Pattern | None:
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _squash(text: str) -> str:
    return " ".join(text.split())


def anchor(thread: Thread, body: str) -> tuple[int, int] | None:
    """Where the thread's passage is in ``body`` now (start, end offsets), or None when its words are
    no longer there (the passage was rewritten: the comment is outdated)."""
    if thread.problem is not None or not thread.quote.strip():
        return None
    spans = []
    at = body.find(thread.quote)
    while at != -1 and len(spans) < 200:
        spans.append((at, at + len(thread.quote)))
        at = body.find(thread.quote, at + 1)
    if not spans:
        pattern = _flexible(thread.quote)
        spans = [m.span() for m, _ in zip(pattern.finditer(body), range(200))] if pattern else []
    if not spans:
        return None
    if len(spans) == 1:
        return spans[0]
    prefix, suffix = _squash(thread.prefix), _squash(thread.suffix)

    def fit(span: tuple[int, int]) -> tuple[int, int]:
        before = _squash(body[max(0, span[0] - 3 * CONTEXT): span[0]])
        after = _squash(body[span[1]: span[1] + 3 * CONTEXT])
        context = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        return context, -abs(span[0] - thread.start)

    return max(spans, key=fit)


def _clip(quote: str) -> str:
    if len(quote) <= QUOTE_LIMIT:
        return quote
    return quote[: QUOTE_LIMIT]


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
    quote = _clip(body[start:end])
    now = now or _now()
    return Thread(new_id(now), entry_path, quote, body[max(0, start - CONTEXT): start],
                  body[start + len(quote): start + len(quote) + CONTEXT], start, Note(by, name, now, text.strip()))


def with_reply(thread: Thread, by: str, name: str, text: str, now: str | None = None) -> Thread:
    if not text.strip():
        raise CommentError("Write the reply first")
    return replace(thread, replies=thread.replies + (Note(by, name, now or _now(), text.strip()),))


def resolved(thread: Thread, by: str, name: str, text: str = "", now: str | None = None) -> Thread:
    return replace(thread, resolved=Note(by, name, now or _now(), text.strip()))


def reopened(thread: Thread) -> Thread:
    return replace(thread, resolved=None)


def moved(thread: Thread, body: str) -> Thread:
    """The thread with its remembered place and surroundings brought up to date with ``body`` (when
    its passage is still found): written back on a reply or a resolve, so it keeps following edits."""
    span = anchor(thread, body)
    if span is None:
        return thread
    start, end = span
    return replace(thread, quote=body[start:end], prefix=body[max(0, start - CONTEXT): start],
                   suffix=body[end: end + CONTEXT], start=start)


@dataclass
class Placed:
    """A thread and where its passage is in a body now (None: outdated)."""

    thread: Thread
    span: tuple[int, int] | None = field(default=None)

    @property
    def outdated(self) -> bool:
        return self.span is None and self.thread.problem is None


def place(threads: Iterable[Thread], body: str) -> list[Placed]:
    return [Placed(t, anchor(t, body)) for t in threads]
