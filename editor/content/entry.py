"""One Q&A entry file: its exact text, frontmatter, body and body hash."""
from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from editor.content import frontmatter as fmlib
from editor.content import frontmatter_edit
from editor.content.markdown import Body, parse_body
from editor.content.paths import link_outside
from editor.content.source import DecodeFailure, SourceText

# the body's first line, when it is the question's ATX heading (blank lines before it allowed): then
# it is a heading whatever follows, and its text is what the parse would give, unless it ends in a
# '#' (a closing sequence, or a word such as C#: the parse tells them apart)
_FIRST_QUESTION = re.compile(r"\A(?:[ \t]*\r?\n)*[ ]{0,3}#{1,6}[ \t]+Q:[ \t]*([^\r\n]*?)[ \t]*\r?$", re.M)


_PIECE = 1 << 20  # characters (or bytes) read at a time, for a large body
_LARGE = 1 << 20  # bytes: a file this large may be read as its head and a measured body
_HEAD = 256 << 10  # bytes of it decoded: the frontmatter (64 KB at most) and the body's start


def body_hash(body: str, start: int = 0) -> str:
    """SHA-256 of a body as the contract defines: CRLF to LF, outer white space removed, UTF-8.
    ``start``: where the body begins in ``body`` (a file's text); a large body is hashed from it a
    piece at a time, never copied whole (a 10 MB body would take three copies)."""
    if len(body) - start <= _PIECE:
        return hashlib.sha256(body[start:].replace("\r\n", "\n").strip().encode("utf-8")).hexdigest()
    return _measure(body[i:i + _PIECE] for i in range(start, len(body), _PIECE))[1]


def _measure(pieces: Iterable[str]) -> tuple[int, str]:
    """(characters, ``body_hash``) of the body made of ``pieces``, read one at a time: white space
    that may be the body's last is held back until text follows it, so a CRLF is never split."""
    digest = hashlib.sha256()
    length, started, held = 0, False, ""
    for piece in pieces:
        length += len(piece)
        if not started:
            piece = piece.lstrip()
            started = bool(piece)
        text = held + piece
        kept = text.rstrip()
        held = text[len(kept):]
        digest.update(kept.replace("\r\n", "\n").encode("utf-8"))
    return length, digest.hexdigest()


@dataclass
class LoadProblem:
    """Why a file could not be read as an entry: an unreadable, binary or non-UTF-8 file."""

    rule: str
    message: str
    line: int = 1
    column: int = 1


@dataclass
class Entry:
    path: str  # relative to the repository root, with "/"
    source: SourceText | None
    frontmatter: fmlib.Frontmatter | None = None
    problem: LoadProblem | None = None
    _body: Body | None = field(default=None, repr=False)
    # (characters, hash) of a body too large to hold: ``text`` then has the frontmatter and the
    # body's start only (``from_bytes`` with ``limit``), enough to check what the frontmatter says
    _measured: tuple[int, str] | None = field(default=None, repr=False)

    # ---------------------------------------------------------------- construction

    @classmethod
    def from_bytes(cls, path: str, raw: bytes, limit: int | None = None) -> "Entry":
        """The entry ``raw`` holds. With ``limit``, a file of more than a megabyte whose body is
        longer than ``limit`` characters is measured and hashed a piece at a time instead of decoded
        whole (a 10 MB body would be held twice): for a check that only says it is too large, and
        for nothing that shows or writes the body."""
        if limit is not None and len(raw) > _LARGE:
            measured = cls._measured_from(path, raw, limit)
            if measured is not None:
                return measured
        try:
            source = SourceText.from_bytes(raw)
        except DecodeFailure as exc:
            rule = "binary-file" if "NUL" in exc.reason else "not-utf8"
            return cls(path, None, problem=LoadProblem(rule, f"Cannot read this file: {exc.reason}",
                                                       exc.line, exc.column))
        return cls.from_source(path, source)

    @classmethod
    def _measured_from(cls, path: str, raw: bytes, limit: int) -> "Entry | None":
        """The entry of a large file read as its head and a measured body, or None when it must be
        read whole: it is not UTF-8 text (the whole reading says where), its frontmatter does not
        end in the head, the head is all white space, or the body is not over ``limit`` after all."""
        start = 3 if raw.startswith(codecs.BOM_UTF8) else 0
        if raw.find(b"\x00", start) >= 0:
            return None
        try:
            head = codecs.getincrementaldecoder("utf-8")().decode(raw[start:start + _HEAD])
        except UnicodeDecodeError:
            return None
        head = head[:head.rfind("\n") + 1]  # whole lines only: a cut "---x" line must not close the frontmatter
        frontmatter = fmlib.read(head)
        if (frontmatter is not None and not frontmatter.closed) or not head or head.isspace():
            return None
        offset = frontmatter.body_offset if frontmatter is not None else 0
        begin = start + len(head[:offset].encode("utf-8"))
        decoder = codecs.getincrementaldecoder("utf-8")()
        pieces = (decoder.decode(raw[at:at + _PIECE], final=at + _PIECE >= len(raw))
                  for at in range(begin, len(raw), _PIECE))
        try:
            length, digest = _measure(pieces)
        except UnicodeDecodeError:
            return None
        if length <= limit:
            return None
        return cls(path, SourceText(head, start > 0), frontmatter, _measured=(length, digest))

    @classmethod
    def from_text(cls, path: str, text: str) -> "Entry":
        bom = text.startswith("\ufeff")
        return cls.from_source(path, SourceText(text[1:] if bom else text, bom))

    @classmethod
    def from_source(cls, path: str, source: SourceText) -> "Entry":
        return cls(path, source, fmlib.read(source.text))

    @classmethod
    def load(cls, root: Path, relative: str) -> "Entry":
        outside = link_outside(root, relative)
        if outside is not None:  # never read (or later write) through a link that leaves the repository
            return cls(relative, None, problem=LoadProblem(
                "symlink-outside", f"This is a symbolic link to {outside}, outside the repository: it is not read, "
                "checked or saved. Put the file itself in the repository instead of a link"))
        try:
            raw = (root / relative).read_bytes()
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            return cls(relative, None, problem=LoadProblem("unreadable-file", f"Cannot read this file: {reason}"))
        return cls.from_bytes(relative, raw)

    # ---------------------------------------------------------------- reading

    @property
    def readable(self) -> bool:
        return self.source is not None

    @property
    def text(self) -> str:
        return self.source.text if self.source else ""

    @property
    def body_offset(self) -> int:
        return self.frontmatter.body_offset if self.frontmatter else 0

    @property
    def body(self) -> str:
        return self.text[self.body_offset:]

    @property
    def body_first_line(self) -> int:
        """File line (1-based) on which the body starts."""
        if self.frontmatter is None:
            return 1
        return self.frontmatter.close_line + 1 if self.frontmatter.closed else len(self.source.line_starts) + 1

    @property
    def meta(self) -> dict[str, Any]:
        data = self.frontmatter.data if self.frontmatter else None
        return data if isinstance(data, dict) else {}

    @property
    def id(self) -> str | None:
        value = self.meta.get("id")
        return value if isinstance(value, str) else None

    @property
    def module(self) -> str | None:
        value = self.meta.get("module")
        return value if isinstance(value, str) else None

    @property
    def status(self) -> str | None:
        value = self.meta.get("status")
        return value if isinstance(value, str) else None

    @property
    def question(self) -> str:
        """The question's text (without ``Q:``), or the file name when there is none. Read from the
        first line without a parse where that line is the question's heading (the parse is kept)."""
        first = _FIRST_QUESTION.match(self.body) if self._body is None else None
        if first is not None and not first.group(1).endswith("#"):
            return first.group(1)
        for block in self.parsed_body().blocks:
            if block.type == "heading" and block.content.lstrip().startswith("Q:"):
                return block.content.lstrip()[2:].strip()
        return Path(self.path).stem

    @property
    def body_sha256(self) -> str:
        return self._measured[1] if self._measured else body_hash(self.text, self.body_offset)

    def parsed_body(self, budget: int | None = None) -> Body:
        """The body's document model, parsed once; with ``budget``, a body that would make more
        tokens than that raises ``TooComplex`` (and is not kept)."""
        if self._body is None:
            self._body = parse_body(self.body, budget)
        return self._body

    @property
    def body_length(self) -> int:
        """Characters in the body (without copying it out of the file's text)."""
        if self._measured:
            return self._measured[0]
        return len(self.text) - self.body_offset if self.source else 0

    def body_position(self, offset: int) -> tuple[int, int]:
        """File (line, column) of an offset in the body."""
        line, column = self.parsed_body().position(offset)
        return self.body_first_line + line, column

    # ---------------------------------------------------------------- lossless editing

    def with_field(self, key: str, value: Any) -> "Entry":
        """A copy with one frontmatter field set; only that field's text changes."""
        return Entry.from_source(self.path, SourceText(frontmatter_edit.set_field(self.text, key, value), self.source.bom))

    def without_field(self, key: str) -> "Entry":
        return Entry.from_source(self.path, SourceText(frontmatter_edit.remove_field(self.text, key), self.source.bom))

    def with_body(self, body: str) -> "Entry":
        return Entry.from_source(self.path, SourceText(self.text[:self.body_offset] + body, self.source.bom))

    def to_bytes(self) -> bytes:
        return self.source.to_bytes()


def new_entry_question(question: str) -> str:
    """A new entry's question as it is written: trimmed, ending with one question mark."""
    return question.strip().rstrip("?") + "?"


def write_new_entry(root: Path, entry_id: str, module: str, question: str) -> str:
    """Create ``entries/MODULE/ID.md`` as a draft with the question and an empty answer; returns its
    path. Raises FileExistsError, UnsafePath (never through a link leading outside) or WriteError."""
    from editor.content.paths import atomic_write, relative_inside

    relative = f"entries/{module}/{entry_id}.md"
    target = Path(root) / relative
    if target.exists() or target.is_symlink():
        raise FileExistsError(f"{relative} already exists.")
    relative_inside(root, str(Path(relative).parent))
    target.parent.mkdir(parents=True, exist_ok=True)
    text = f"---\nid: {entry_id}\nmodule: {module}\nstatus: draft\n---\n### Q: {new_entry_question(question)}\n\nA: \n"
    atomic_write(root, relative, text.encode("utf-8"))
    return relative
