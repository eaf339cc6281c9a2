"""Markdown parsing shared by checks and rendering: one parser, one parse per body.

Link targets are found in the source text (with code masked out) rather than in markdown-it's
tokens, because markdown-it normalises targets and silently drops unsafe ones such as
``javascript:``, and a check must see and place exactly what the writer typed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from editor.content.source import line_starts

if TYPE_CHECKING:  # markdown-it is loaded with the first parse, not at start-up
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The CommonMark parser every part of the tool uses; raw HTML is treated as text."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


_TEXT = r"(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*"
_DEST = r"<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*"
_TITLE = r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?"
_INLINE = re.compile(r"(?<!\\)(!?)\[(" + _TEXT + r")\]\([ \t]*\n?[ \t]*(" + _DEST + r")" + _TITLE + r"\s*\)", re.S)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>")
_REFDEF = re.compile(r"^ {0,3}\[((?:[^\[\]\\]|\\.)+)\]:[ \t]*(<[^<>\n]*>|\S+)", re.M)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


@dataclass
class Link:
    """A link target as written in the body; offsets are of the target text in the body."""

    target: str
    text: str
    start: int
    end: int
    kind: str  # "inline", "image", "autolink" or "reference"
    span: tuple[int, int] = (0, 0)  # the whole link as written, e.g. [text](target "title")
    text_span: tuple[int, int] = (0, 0)  # its text, which readers read


@dataclass
class Block:
    """A top-level block: its markdown-it type, first body line (0-based) and inline text."""

    type: str
    line: int
    content: str = ""
    level: int = 0


@dataclass
class Body:
    text: str
    tokens: list[Token]
    blocks: list[Block]
    links: list[Link]
    _starts: list[int] | None = field(default=None, repr=False)

    def position(self, offset: int) -> tuple[int, int]:
        """0-based body line and 1-based column of a body offset."""
        if self._starts is None:
            self._starts = line_starts(self.text)
        import bisect

        index = bisect.bisect_right(self._starts, offset) - 1
        return index, offset - self._starts[index] + 1


_LONE_CR = re.compile(r"\r(?!\n)")


def parse_body(text: str) -> Body:
    # A line of the file is what ends in LF (CRLF included). markdown-it would also break lines at
    # a lone CR; read it as a space instead, so token line numbers match the file's lines.
    tokens = parser().parse(_LONE_CR.sub(" ", text) if "\r" in text else text)
    blocks = _top_level_blocks(tokens)
    links = find_links(text, tokens)
    return Body(text, tokens, blocks, links)


def _top_level_blocks(tokens: list[Token]) -> list[Block]:
    blocks: list[Block] = []
    for index, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or token.map is None:
            continue
        block = Block(token.type.removesuffix("_open"), token.map[0])
        if token.type in ("heading_open", "paragraph_open") and index + 1 < len(tokens):
            block.content = tokens[index + 1].content
            if token.type == "heading_open":
                block.level = int(token.tag[1:])
        blocks.append(block)
    return blocks


def find_links(text: str, tokens: list[Token]) -> list[Link]:
    masked = _mask_code(text, tokens)
    links: list[Link] = []
    for match in _INLINE.finditer(masked) if "](" in masked else ():
        start, end = match.span(3)
        target = text[start:end]
        if target.startswith("<") and target.endswith(">"):
            start, end, target = start + 1, end - 1, target[1:-1]
        kind = "image" if match.group(1) else "inline"
        links.append(Link(target, text[match.start(2):match.end(2)], start, end, kind, match.span(), match.span(2)))
    for match in _AUTOLINK.finditer(masked) if "<" in masked else ():
        links.append(Link(match.group(1), match.group(1), match.start(1), match.end(1), "autolink", match.span()))
    for match in _REFDEF.finditer(masked) if "]:" in masked else ():
        start, end = match.span(2)
        target = text[start:end]
        if target.startswith("<") and target.endswith(">"):
            start, end, target = start + 1, end - 1, target[1:-1]
        links.append(Link(target, match.group(1), start, end, "reference", match.span()))
    links.sort(key=lambda link: link.start)
    return links


def _mask_code(text: str, tokens: list[Token]) -> str:
    """``text`` with code blocks, fences and code spans blanked (same length, newlines kept)."""
    code_lines = [t.map for t in tokens if t.type in ("fence", "code_block") and t.map]
    if not code_lines and "`" not in text:
        return text
    chars = list(text) if code_lines else None
    if code_lines:
        starts = line_starts(text)
        for first, last in code_lines:
            begin = starts[first]
            end = starts[last] if last < len(starts) else len(text)
            for i in range(begin, end):
                if chars[i] != "\n":
                    chars[i] = " "
        text = "".join(chars)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
