"""The document model of an entry's body: what markdown-it makes of it, with every place exact.

One parse (``editor.content.positions.parser``) gives the blocks, every link and image as
markdown-it resolves it (reference definitions, backslash escapes and entities decoded as the
renderer decodes them), the reference definitions, HTML comments and raw HTML tags, and the
pieces of text the reader sees, each with its offsets in the body. The prose the language checks
read (``editor.content.prose``), the link checks, the link report and the preview all read this
model; nothing looks for links or text in the source with a pattern of its own.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from editor.content.document import Block, Definition, Link, Piece, Tag, TextBlock
from editor.content.model import Builder
from editor.content.positions import BUDGET, TooComplex, parser
from editor.content.prose import Prose, build
from editor.content.source import line_starts

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = ["Body", "Block", "Definition", "Link", "Piece", "TextBlock", "Tag", "TooComplex", "parse_body", "parser"]


@dataclass
class Body:
    text: str
    tokens: list[Token]
    blocks: list[Block]
    markdown_links: list[Link]
    definitions: list[Definition]
    tags: list[Tag]
    text_blocks: list[TextBlock]
    _starts: list[int] | None = field(default=None, repr=False)
    _prose: "Prose | None" = field(default=None, repr=False)

    @property
    def prose(self) -> Prose:
        if self._prose is None:
            self._prose = build(self)
        return self._prose

    @property
    def links(self) -> list[Link]:
        """Every link the reader sees (and raw HTML anchors, which the app shows as text), in order."""
        bare = self.prose.bare_links
        return sorted(self.markdown_links + bare, key=lambda link: link.span) if bare else self.markdown_links

    def targets(self) -> list[Link]:
        """One link per target as typed: a definition used by several links is checked once."""
        seen: set[tuple[int, int]] = set()
        found = []
        for link in self.links:
            if (link.start, link.end) not in seen:
                seen.add((link.start, link.end))
                found.append(link)
        return found

    @property
    def comments(self) -> list[Tag]:
        return [tag for tag in self.tags if tag.comment]

    def position(self, offset: int) -> tuple[int, int]:
        """0-based body line and 1-based column of a body offset."""
        if self._starts is None:
            self._starts = line_starts(self.text)
        index = bisect.bisect_right(self._starts, offset) - 1
        return index, offset - self._starts[index] + 1


_LONE_CR = re.compile(r"\r(?!\n)")


def parse_body(text: str, budget: int | None = None) -> Body:
    """The document model of ``text``; with ``budget``, raises TooComplex instead of making more
    than that many tokens (``editor.content.positions``)."""
    # A line of the file is what ends in LF (CRLF included). markdown-it would also break lines at
    # a lone CR; read it as a space instead, so token line numbers match the file's lines.
    source = _LONE_CR.sub(" ", text) if "\r" in text else text
    if budget is not None and source.count("[") > budget:
        raise TooComplex()  # each "[" has markdown-it look for a link: 100,000 cost seconds and megabytes
    tokens = parser().parse(source, {} if budget is None else {BUDGET: budget})
    if budget is not None:  # an HTML block is one token, but the model reads each of its tags
        made = len(tokens) + sum(len(t.children) for t in tokens if t.children)
        if made + sum(t.content.count("<") for t in tokens if t.type == "html_block") > budget:
            raise TooComplex()
    return Body(text, tokens, *Builder(text, tokens).build())
