"""The parts of the document model (``editor.content.markdown``): links, definitions, raw HTML,
and the pieces of text the reader sees, each with its body offsets."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Link:
    """A link or image as the app opens it. ``target`` is decoded as markdown-it decodes it;
    ``raw`` is the target as typed and ``start``..``end`` its body offsets (for a reference link,
    the definition's). ``kind``: inline, reference, image, autolink, html (a raw ``<a href>``,
    which the app shows as text) or bare (an address in the text)."""

    target: str
    text: str
    start: int
    end: int
    kind: str
    span: tuple[int, int] = (0, 0)  # the whole link in the body, as written
    text_span: tuple[int, int] = (0, 0)  # its text
    raw: str = ""
    title: str = ""
    definition: "Definition | None" = None

    @property
    def rendered(self) -> bool:
        """The app shows it as a link (raw HTML is shown as text)."""
        return self.kind != "html"

    def place(self, start: int, end: int) -> tuple[int, int]:
        """Body offsets of ``target.strip()[start:end]`` (checks read the target without the white
        space around it): exact where the target was typed as it reads, otherwise the whole target as
        typed (an escape or entity sits in it)."""
        if self.raw == self.target:
            lead = len(self.target) - len(self.target.lstrip())
            return self.start + lead + start, self.start + lead + max(end, start)
        return self.start, self.end


@dataclass
class Definition:
    """A reference definition, ``[label]: target "title"``."""

    label: str  # normalised, as markdown-it matches it
    target: str
    raw: str
    start: int
    end: int
    span: tuple[int, int]
    title: str = ""
    used: bool = False  # the first definition of its label, and some link uses it
    raw_label: str = ""  # as typed
    title_pieces: list = field(default_factory=list)  # the title's text, where it was typed


@dataclass
class Tag:
    """Raw HTML in the body: a comment or a tag, where it stands."""

    text: str
    start: int
    end: int
    comment: bool


@dataclass
class Piece:
    """Text the reader sees, where it came from. ``kind``: text (copied from ``start`` one
    character for one), char (decoded from an escape or entity spanning ``start``..``end``),
    break (a line break), object (code or an image: not prose, but it parts the words beside it)."""

    kind: str
    text: str
    start: int
    end: int
    link: int = -1  # index of the link it is the text of, if any


@dataclass
class TextBlock:
    """A block the reader reads: a paragraph, heading, table cell or raw HTML block."""

    kind: str
    level: int
    pieces: list[Piece]
    extras: list[list[Piece]] = field(default_factory=list)  # alt texts and link titles


@dataclass
class Block:
    """A top-level block: its markdown-it type, first body line (0-based) and inline text."""

    type: str
    line: int
    content: str = ""
    level: int = 0
