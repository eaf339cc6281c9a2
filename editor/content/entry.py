"""One Q&A entry file: its exact text, frontmatter, body and body hash."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor.content import frontmatter as fmlib
from editor.content import frontmatter_edit
from editor.content.markdown import Body, parse_body
from editor.content.paths import link_outside
from editor.content.source import DecodeFailure, SourceText


def body_hash(body: str) -> str:
    """SHA-256 of a body as the contract defines: CRLF to LF, outer white space removed, UTF-8."""
    return hashlib.sha256(body.replace("\r\n", "\n").strip().encode("utf-8")).hexdigest()


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

    # ---------------------------------------------------------------- construction

    @classmethod
    def from_bytes(cls, path: str, raw: bytes) -> "Entry":
        try:
            source = SourceText.from_bytes(raw)
        except DecodeFailure as exc:
            rule = "binary-file" if "NUL" in exc.reason else "not-utf8"
            return cls(path, None, problem=LoadProblem(rule, f"Cannot read this file: {exc.reason}",
                                                       exc.line, exc.column))
        return cls.from_source(path, source)

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
        """The question's text (without ``Q:``), or the file name when there is none."""
        for block in self.parsed_body().blocks:
            if block.type == "heading" and block.content.lstrip().startswith("Q:"):
                return block.content.lstrip()[2:].strip()
        return Path(self.path).stem

    @property
    def body_sha256(self) -> str:
        return body_hash(self.body)

    def parsed_body(self) -> Body:
        if self._body is None:
            self._body = parse_body(self.body)
        return self._body

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
