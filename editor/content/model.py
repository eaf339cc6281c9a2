"""Builds the document model from markdown-it's tokens (see ``editor.content.positions`` for where
the places come from): links resolved as markdown-it resolves them, definitions, raw HTML, and the
text blocks the prose is made of."""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from editor.content.document import Block, Definition, Link, Piece, Tag, TextBlock
from editor.content.raw_html import parts_words
from editor.content.source import line_starts

if TYPE_CHECKING:
    from markdown_it.token import Token



class Builder:
    def __init__(self, text: str, tokens: list[Token]):
        self.text, self.tokens = text, tokens
        self.links: list[Link] = []
        self.definitions: dict[str, Definition] = {}
        self.all_definitions: list[Definition] = []
        self.tags: list[Tag] = []
        self.blocks: list[TextBlock] = []
        # markdown-it reads CRLF as LF: its offsets run short by one per CRLF before them
        self.crlf = [m.start() - i for i, m in enumerate(re.finditer("\r\n", text))] if "\r\n" in text else None
        self.line_starts: list[int] | None = None

    def body(self, offset: int) -> int:
        """Body offset of an offset in the text markdown-it parsed."""
        return offset + bisect.bisect_left(self.crlf, offset) if self.crlf else offset

    def build(self) -> tuple:
        pending: list[tuple[Token, str, int]] = []
        for index, token in enumerate(self.tokens):
            if token.type == "definition":
                self._definition(token)
            elif token.type == "inline":
                opener = self.tokens[index - 1] if index else None
                kind = {"heading_open": "heading", "paragraph_open": "paragraph"}.get(opener.type if opener else "",
                                                                                    "cell")
                level = int(opener.tag[1:]) if kind == "heading" else 0
                pending.append((token, kind, level))
            elif token.type == "html_block":
                pending.append((token, "html", 0))
        for token, kind, level in pending:  # links use definitions, which may come after them
            if kind == "html":
                self.blocks.append(self._html_block(token))
            else:
                self.blocks.append(self._inline(token, kind, level))
        self.links.sort(key=lambda link: link.span)
        return _top_level_blocks(self.tokens), self.links, self.all_definitions, self.tags, self.blocks

    # ------------------------------------------------------------------ definitions and HTML

    def _definition(self, token: Token) -> None:
        from markdown_it.common.utils import unescapeAll
        from markdown_it.helpers import parseLinkDestination

        string, origin = token.meta["text"], token.meta["origin"]
        place = _Mapper(origin, None, self)
        pos = _label_end(string) + 2
        while pos < len(string) and string[pos] in " \t\n":
            pos += 1
        result = parseLinkDestination(string, pos, len(string))
        start, end = pos, result.pos
        if string.startswith("<", start) and end > start + 1 and string[end - 1] == ">":
            start, end = start + 1, end - 1
        raw = string[start:end]
        title_pieces: list[Piece] = []
        if token.meta.get("title"):
            from markdown_it.helpers import parseLinkTitle

            after = result.pos
            while after < len(string) and string[after] in " \t\n":
                after += 1
            title = parseLinkTitle(string, after, len(string))
            if title.ok:
                title_pieces = decoded_pieces(string, after + 1, title.pos - 1, place)
        definition = Definition(token.meta["id"], result.str if result.ok else unescapeAll(raw), raw,
                                place.body_offset(start), place.body_end(end),
                                (place.body_offset(0), place.body_end(len(string.rstrip("\n")))),
                                token.meta.get("title") or "", raw_label=token.meta.get("label") or "",
                                title_pieces=title_pieces)
        self.all_definitions.append(definition)
        self.definitions.setdefault(definition.label, definition)

    def _html_block(self, token: Token) -> TextBlock:
        """A raw HTML block: its comments and tags, and the words between them (the app shows
        the block as text; the words are the ones a reader would read)."""
        from editor.content.html_events import read

        content = token.content
        block = TextBlock("html", 0, [])
        mapper = self._html_mapper(token.map, content)
        for event in read(content):
            if event.kind == "text":
                block.pieces.extend(decoded_pieces(content, event.start, event.end, mapper, backslashes=False))
                continue
            start, end = mapper.body_offset(event.start), mapper.body_end(event.end)
            self._tag(event.text, start, end, event.kind == "comment", block)
            if event.kind == "tag" and parts_words(event.text):
                block.pieces.append(Piece("break", " ", start, end))
        return block

    def _html_mapper(self, lines, content: str) -> "_Mapper":
        """Offsets in an HTML block's text (its lines less block markers) to body offsets."""
        begin, _ = self._line_range(lines)
        starts = self.line_starts
        origin, joined = [], 0
        for index, line in enumerate(content.split("\n")):
            number = lines[0] + index
            if number >= len(starts):
                break
            body_line_end = starts[number + 1] - 1 if number + 1 < len(starts) else len(self.text)
            body_line = self.text[starts[number]:body_line_end].rstrip("\r")
            # the line's text is the end of the file's line; spaces a tab stood for may lead it
            shift = len(body_line) - len(line) if body_line.endswith(line.lstrip(" ")) else 0
            origin.append((joined, starts[number] + shift))
            joined += len(line) + 1
        return _Mapper(origin or [(0, begin)], None, self, body=True)

    def _tag(self, text: str, start: int, end: int, comment: bool, block: TextBlock | None = None) -> None:
        from editor.content.raw_html import attribute_texts, link_target

        self.tags.append(Tag(text, start, end, comment))
        if comment:
            return
        found = link_target(text)
        if found is not None:
            target, t_start, t_end, raw = found
            self.links.append(Link(target, "", start + t_start, start + t_end, "html", (start, end), (end, end), raw))
        exact = self.text[start:end] == text
        for shown, a_start, a_end in attribute_texts(text):  # title and alt: text the app shows with the tag
            if block is not None:
                block.extras.append([Piece("text" if exact and shown == text[a_start:a_end] else "char", shown,
                                           start + a_start if exact else start, start + a_end if exact else end)])

    def _line_range(self, lines) -> tuple[int, int]:
        if self.line_starts is None:
            self.line_starts = line_starts(self.text)
        starts = self.line_starts
        first, last = lines
        return starts[min(first, len(starts) - 1)], starts[last] if last < len(starts) else len(self.text)

    # ------------------------------------------------------------------ inline content

    def _inline(self, token: Token, kind: str, level: int) -> TextBlock:
        mapper = _Mapper(token.meta.get("origin"), token.meta.get("chars"), self)
        block = TextBlock(kind, level, [])
        self._children(token.children or [], token.content, mapper, 0, block.pieces, block)
        return block

    def _children(self, children, content: str, mapper: "_Mapper", base: int, pieces: list[Piece],
                  block: TextBlock, alt: bool = False) -> None:
        """Pieces of text from inline tokens. In an image's alt text (``alt``) links and images are
        not links, only their text, as markdown-it renders an alt."""
        opened: list[Token] = []
        for child in children:  # a link's text ends where its close token was made
            if child.type == "link_open":
                opened.append(child)
            elif child.type == "link_close" and opened:
                opened.pop().meta["label_end"] = child.meta["at"]
        open_links: list[int] = []
        for child in children:
            meta, kind = child.meta, child.type
            link = open_links[-1] if open_links else -1
            if kind == "text":
                if not child.content:
                    continue
                if "p" in meta:
                    start = base + meta["p"]
                    _literal(child.content, start, mapper, pieces, link)
                else:  # an autolink's text, as markdown-it shows it
                    pieces.append(Piece("char", child.content, *self._span(mapper, base, meta), link))
            elif kind == "text_special":
                at = base + meta["at"]
                if child.content == child.markup:  # a backslash that escapes nothing stays, as typed
                    _literal(child.content, at, mapper, pieces, link)
                elif child.info == "escape" and child.markup == "\\" + child.content:
                    _literal(child.content, at + 1, mapper, pieces, link)
                else:  # an entity
                    pieces.append(Piece("char", child.content, *self._span(mapper, base, meta), link))
            elif kind in ("softbreak", "hardbreak"):
                at = mapper.body_offset(base + meta["at"])
                pieces.append(Piece("break", " ", at, at + 1, link))
            elif kind == "code_inline":
                pieces.append(Piece("object", "", *self._span(mapper, base, meta), link))
            elif kind == "html_inline" and alt:  # an alt text is text: a tag in it is shown as typed
                _literal(child.content, base + meta["at"], mapper, pieces, link)
            elif kind == "html_inline":  # a tag stands between words; only a line or block tag parts them
                start, end = self._span(mapper, base, meta)
                self._tag(child.content, start, end, child.content.startswith("<!--"), block)
                if parts_words(child.content):
                    pieces.append(Piece("break", " ", start, end, link))
            elif alt and kind == "image":
                self._children(child.children or [], child.content, mapper, base + meta["at"] + 2, pieces, block, True)
            elif alt:
                continue
            elif kind == "link_open":
                open_links.append(self._link(child, content, mapper, base, block))
            elif kind == "link_close":
                if open_links:
                    index = open_links.pop()
                    opened = self.links[index]
                    at = mapper.body_offset(base + meta["at"])
                    opened.text_span = (opened.text_span[0], at)
            elif kind == "image":
                self._image(child, content, mapper, base, pieces, block, link)

    def _span(self, mapper: "_Mapper", base: int, meta: dict) -> tuple[int, int]:
        start = base + meta.get("at", meta.get("p", 0))
        end = base + meta.get("end", start - base + 1)
        return mapper.body_offset(start), mapper.body_end(max(end, start + 1))

    def _link(self, token: Token, content: str, mapper: "_Mapper", base: int, block: TextBlock) -> int:
        meta = token.meta
        label_start = base + meta["at"]
        end = base + meta["end"]
        span = (mapper.body_offset(label_start - 1), mapper.body_end(end))
        if token.markup == "autolink":  # made at its "<"
            span = (mapper.body_offset(label_start), span[1])
            raw_start, raw_end = label_start + 1, end - 1
            raw = content[raw_start:raw_end]
            href = token.attrGet("href") or ""
            target = "mailto:" + raw if href.startswith("mailto:") and not raw.lower().startswith("mailto:") else raw
            link = Link(target, raw, mapper.body_offset(raw_start), mapper.body_end(raw_end), "autolink", span,
                        (mapper.body_offset(raw_start), mapper.body_end(raw_end)), raw)
        else:
            label_end = base + meta.get("label_end", end - base)
            link = self._resolved(token, content, mapper, label_end, end, "inline", span, block)
            link.text_span = (mapper.body_offset(label_start), mapper.body_offset(label_end))
        meta["link"] = link
        self.links.append(link)
        return len(self.links) - 1

    def _image(self, token: Token, content: str, mapper: "_Mapper", base: int, pieces: list[Piece],
               block: TextBlock, link: int) -> None:
        meta = token.meta
        at = base + meta["at"]
        label_start = at + 2
        end = base + meta["end"]
        span = (mapper.body_offset(at), mapper.body_end(end))
        image = self._resolved(token, content, mapper, label_start + len(token.content), end, "image", span, block)
        meta["link"] = image
        self.links.append(image)
        alt: list[Piece] = []
        self._children(token.children or [], token.content, mapper, label_start, alt, block, True)
        image.text = "".join(p.text for p in alt if p.kind != "object")
        image.text_span = (mapper.body_offset(label_start), mapper.body_offset(label_start + len(token.content)))
        if alt:
            block.extras.append(alt)
        pieces.append(Piece("object", "", span[0], span[1], link))

    def _resolved(self, token: Token, content: str, mapper: "_Mapper", label_end: int, end: int, kind: str,
                  span: tuple[int, int], block: TextBlock) -> Link:
        """A link or image's target and title: its definition's, or parsed from the source after
        its text (``label_end`` is its closing bracket) as markdown-it parsed it."""
        from markdown_it.helpers import parseLinkDestination, parseLinkTitle

        label = token.meta.get("label")
        if label is not None and label in self.definitions:
            definition = self.definitions[label]
            definition.used = True
            if definition.title_pieces:  # shown (as a tooltip) wherever the definition is used
                block.extras.append(definition.title_pieces)
            return Link(definition.target, "", definition.start, definition.end,
                        "reference" if kind == "inline" else "image", span, raw=definition.raw,
                        title=definition.title, definition=definition)
        pos = label_end + 2  # after "](", which an inline link or image has when it is not a reference
        while pos < end and content[pos] in " \t\n":
            pos += 1
        result = parseLinkDestination(content, pos, end)
        d_start, d_end = pos, result.pos if result.ok else pos
        if content.startswith("<", d_start) and d_end > d_start + 1 and content[d_end - 1] == ">":
            d_start, d_end = d_start + 1, d_end - 1
        title = ""
        after = result.pos if result.ok else pos
        while after < end and content[after] in " \t\n":
            after += 1
        if after < end and content[after] in "\"'(":
            title_result = parseLinkTitle(content, after, end)
            if title_result.ok:
                title = title_result.str
                # a title is prose (a tooltip): its words, where they were typed
                block.extras.append(decoded_pieces(content, after + 1, title_result.pos - 1, mapper))
        return Link(result.str if result.ok else "", "", mapper.body_offset(d_start), mapper.body_end(d_end), kind,
                    span, raw=content[d_start:d_end], title=title)


def _label_end(string: str) -> int:
    """The "]" that ends a definition's label (labels cannot hold unescaped brackets)."""
    pos = 1
    while pos < len(string):
        if string[pos] == "\\":
            pos += 2
            continue
        if string[pos] == "]":
            return pos
        pos += 1
    return len(string)


class _Mapper:
    """Offsets in a block's inline text to body offsets."""

    __slots__ = ("keys", "origin", "chars", "builder", "in_body")

    def __init__(self, origin, chars, builder: Builder, body: bool = False):
        self.origin = origin or [(0, 0)]
        self.keys = [joined for joined, _ in self.origin]
        self.chars = chars
        self.builder = builder
        self.in_body = body  # the origin is in body offsets already (not in the text markdown-it read)

    def source(self, offset: int) -> int:
        if self.chars is not None:
            if not self.chars:
                return 0
            return self.chars[min(max(offset, 0), len(self.chars) - 1)] + max(0, offset - len(self.chars) + 1)
        index = max(bisect.bisect_right(self.keys, offset) - 1, 0)
        joined, first = self.origin[index]
        return first + max(offset - joined, 0)

    def body_offset(self, offset: int) -> int:
        return self.source(offset) if self.in_body else self.builder.body(self.source(offset))

    def body_end(self, offset: int) -> int:
        """Body offset just after the character before ``offset``."""
        if offset <= 0:
            return self.body_offset(0)
        return self.body_offset(offset - 1) + 1


_ESCAPE_OR_ENTITY = re.compile(r"\\([!-/:-@\[-`{-~])|&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{0,31});")
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{0,31});")


def _literal(text: str, start: int, mapper: _Mapper, pieces: list[Piece], link: int = -1) -> None:
    """Pieces for ``text``, copied from the block's text at ``start``: one per run that is one run in
    the body too (a table cell's ``\\|`` or a line's block markers part them), a line break a break."""
    position = 0
    length = len(text)
    while position < length:
        newline = text.find("\n", position)
        stop = length if newline < 0 else newline
        if stop > position:
            first = mapper.body_offset(start + position)
            last = mapper.body_end(start + stop)
            if last - first == stop - position:
                pieces.append(Piece("text", text[position:stop], first, last, link))
            else:  # not one run in the body: character by character, joined where they follow on
                run_start = position
                for index in range(position + 1, stop + 1):
                    if index == stop or mapper.body_offset(start + index) != mapper.body_offset(start + index - 1) + 1:
                        pieces.append(Piece("text", text[run_start:index], mapper.body_offset(start + run_start),
                                            mapper.body_end(start + index), link))
                        run_start = index
        if newline < 0:
            break
        at = mapper.body_offset(start + newline)
        pieces.append(Piece("break", " ", at, at + 1, link))
        position = newline + 1


def decoded_pieces(source: str, start: int, end: int, mapper: _Mapper, backslashes: bool = True) -> list[Piece]:
    """Pieces for ``source[start:end]`` as a reader reads it: entities (and, in Markdown, backslash
    escapes) decoded, each decoded character placed on what it was written as."""
    from html import unescape

    pieces: list[Piece] = []
    position = start
    for match in (_ESCAPE_OR_ENTITY if backslashes else _ENTITY).finditer(source, start, end):
        _literal(source[position:match.start()], position, mapper, pieces)
        shown = match.group(1) if backslashes and match.group(1) is not None else unescape(match.group(0))
        pieces.append(Piece("char", shown, mapper.body_offset(match.start()), mapper.body_end(match.end())))
        position = match.end()
    _literal(source[position:end], position, mapper, pieces)
    return pieces


def _top_level_blocks(tokens: list[Token]) -> list[Block]:
    blocks: list[Block] = []
    for index, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or token.map is None or token.type == "definition":
            continue
        block = Block(token.type.removesuffix("_open"), token.map[0])
        if token.type in ("heading_open", "paragraph_open") and index + 1 < len(tokens):
            block.content = tokens[index + 1].content
            if token.type == "heading_open":
                block.level = int(token.tag[1:])
        blocks.append(block)
    return blocks
