"""The prose of an entry's body, as the reader reads it, for the language checks.

``Prose.text`` is made from the document model (``editor.content.markdown``), not from the
source: the text of paragraphs, headings, table cells and link texts, then image alt texts and
link titles; no code, no comments, no HTML tags, no link targets, and web and e-mail addresses
turned into placeholders (U+FFFC, which parts words without being one). So that a rule written
with one space finds what a writer wrapped, emphasised or typed with a special character:

- every run of white space inside a block (line breaks, non-breaking spaces, tabs) is one space;
- emphasis, strong and strike markers are not there (``*committed* suicide``);
- dashes that stand for a hyphen (U+2010-U+2013, U+2212, U+FE63, U+FF0D) are ``-``; curly and
  modifier apostrophes are ``'``; soft hyphens and zero-width characters are dropped;
- blocks are parted by a line break, so a phrase never runs from one into the next.

Each character knows where it came from (``source_span``): a finding still underlines exactly the
words in the file.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from editor.content.exemptions import Exemptions, exemptions_of

if TYPE_CHECKING:
    from editor.content.document import Piece
    from editor.content.markdown import Body

PLACEHOLDER = "\ufffc"
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s|$)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
# A full stop after a common abbreviation ("e.g.", "approx.", "Dr.", "a.m.") or an initial ("J.")
# does not end a sentence, so the reading grade is not skewed by short false sentences.
_ABBREVIATION = re.compile(r"(?:^|[\s(\[\"“])(?:e\.g|i\.e|approx|vs|dr|mr|mrs|ms|st|fig|wk|wks|hr|hrs|yr|yrs|mo|mos|oz|lb|"
                           r"lbs|tsp|tbsp|ml|mg|mcg|a\.m|p\.m|u\.s|jr|sr|prof|dept|cf|incl|esp|approx|min|max|[A-Z])$",
                           re.IGNORECASE)
_INITIAL = re.compile(r"(?:^|[\s(])[B-HJ-Z]$")  # not "I." or "A."


def _after_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    before = text[max(0, dot - 8):dot]
    match = _ABBREVIATION.search(before)
    if match is None:
        return False
    word = match.group().strip(" \t\n([\"“")
    return len(word) > 1 or _INITIAL.search(before) is not None
_SAME = str.maketrans({**{c: "-" for c in "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"},
                       **{c: "'" for c in "\u2019\u2018\u02bc\uff07"}})
_DROPPED = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNUSUAL = re.compile(r"[^\S ]|  |[" + _DROPPED + "]")
_RUN = re.compile(r"\s+|[" + _DROPPED + "]+")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>" + PLACEHOLDER + r"]+", re.I)
_URL_AT = re.compile(r"(?:https?://|www\.)[^\s<>" + PLACEHOLDER + r"]+", re.I)  # at a link's text
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_TRAILING = ".,;:!?)]}'\"”’"


class Sentence:
    """A sentence's words; where it starts and ends (without the spaces around it, or the answer's
    'A:' marker) is worked out only when asked, for the rare finding that needs it. Prose offsets."""

    __slots__ = ("_text", "_begin", "_end", "_marked", "words")

    def __init__(self, text: str, begin: int, end: int, words: list[str], marked: bool = False):
        self._text, self._begin, self._end, self._marked, self.words = text, begin, end, marked, words

    @property
    def start(self) -> int:
        segment = self._text[self._begin:self._end]
        stripped = segment.lstrip()
        if self._marked:
            stripped = stripped[2:].lstrip()
        return self._begin + len(segment) - len(stripped)

    @property
    def end(self) -> int:
        return self._begin + len(self._text[self._begin:self._end].rstrip())


@dataclass
class Prose:
    text: str
    question: tuple[int, int] | None  # prose offsets of the question heading
    answer_start: int | None  # prose offset of the answer's first paragraph
    paragraphs: list[tuple[int, int]]  # prose offsets of paragraphs (no headings, tables or code)
    exemptions: Exemptions
    quotes: list[tuple[int, int]]
    flow_end: int  # where alt texts and link titles begin: the reader of the app does not see those
    segments: list[tuple[int, int, int, int]] = field(repr=False, default_factory=list)
    bare_links: list = field(default_factory=list)
    link_text: list[tuple[int, int]] = field(default_factory=list, repr=False)  # prose spans inside links
    _keys: list[int] = field(default_factory=list, repr=False)
    _by_body: tuple | None = field(default=None, repr=False)
    _words: object = field(default=None, repr=False)
    _sentences: list | None = field(default=None, repr=False)
    _quote_starts: list[int] | None = field(default=None, repr=False)

    @property
    def words(self):
        """The prose's words, shared by every pattern index that looks at them."""
        if self._words is None:
            from editor.checks.pattern_index import Words

            self._words = Words(self.text)
        return self._words

    @property
    def flow(self) -> str:
        """The text the reader of the app sees (no alt texts or link titles)."""
        return self.text[:self.flow_end]

    def _segment(self, offset: int) -> tuple[int, int, int, int]:
        index = bisect.bisect_right(self._keys, offset) - 1
        return self.segments[max(index, 0)]

    def source_start(self, offset: int) -> int:
        """Body offset where the character at prose ``offset`` begins."""
        if not self.segments:
            return 0
        start, body, length, width = self._segment(offset)
        return body + min(offset - start, length) if width == 0 else body

    def source_end(self, offset: int) -> int:
        """Body offset just after the character at prose ``offset``."""
        if not self.segments:
            return 0
        start, body, length, width = self._segment(offset)
        return body + min(offset - start, length - 1) + 1 if width == 0 else body + width

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Body offsets of the prose between ``start`` and ``end``."""
        first = self.source_start(start)
        return (first, self.source_end(end - 1)) if end > start else (first, first)

    def offset_of(self, body_offset: int) -> int:
        """The prose offset of the first character that comes from ``body_offset`` or after it."""
        if self._by_body is None:
            order = sorted(range(len(self.segments)), key=lambda index: self.segments[index][1])
            self._by_body = ([self.segments[index][1] for index in order], order)
        keys, order = self._by_body
        first = max(bisect.bisect_right(keys, body_offset) - 1, 0)
        for index in order[first:first + 2]:
            start, body, length, width = self.segments[index]
            if body <= body_offset < body + max(length if width == 0 else width, 1):
                return start + body_offset - body if width == 0 else start
            if body >= body_offset:
                return start
        return len(self.text)

    def text_at(self, body_start: int, body_end: int) -> str:
        """The prose made from the body between two offsets."""
        first = self.offset_of(body_start)
        last = first
        while last < len(self.text) and self.source_end(last) <= body_end and self.source_start(last) >= body_start:
            last += 1
        return self.text[first:last]

    def in_question(self, offset: int) -> bool:
        return self.question is not None and self.question[0] <= offset < self.question[1]

    def in_quotes(self, start: int, end: int) -> bool:
        """Inside a pair of quotation marks (quotes are apart and in order: the one that starts last
        before ``start`` is the only one that can hold it)."""
        if not self.quotes:
            return False
        if self._quote_starts is None:
            self._quote_starts = [q_start for q_start, _ in self.quotes]
        index = bisect.bisect_left(self._quote_starts, start) - 1
        return index >= 0 and end <= self.quotes[index][1]

    def link_at(self, offset: int) -> tuple[int, int] | None:
        """The prose span of the link text ``offset`` is in, if any (link texts are in order)."""
        index = bisect.bisect_right(self.link_text, (offset, float("inf"))) - 1
        if index >= 0 and self.link_text[index][0] <= offset < self.link_text[index][1]:
            return self.link_text[index]
        return None

    def sentences(self) -> list[Sentence]:
        """Sentences of the paragraphs, each with its words (the answer's 'A:' marker is not one)."""
        if self._sentences is not None:
            return self._sentences
        found: list[Sentence] = []
        text = self.text
        spaced = self.words._spaced  # the same words every language check looks at
        for p_start, p_end in self.paragraphs:
            bounds = [p_start, *(m.end() for m in _SENTENCE_END.finditer(text, p_start, p_end)
                                 if not _after_abbreviation(text, m.start())), p_end]
            for begin, end in zip(bounds, bounds[1:]):
                tokens = spaced[begin:end].split()
                if not tokens:
                    continue
                marked = tokens[0] == "a" and text[begin:end].lstrip().startswith("A:")
                if marked:
                    del tokens[0]  # the answer's marker is not a word
                    if not tokens:
                        continue
                found.append(Sentence(text, begin, end, tokens, marked))
        self._sentences = found
        return found


class _Writer:
    """Prose text and where each run of it came from: (prose start, body start, length, width),
    width 0 for a run copied one for one, else the width in the body all its characters share."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.segments: list[tuple[int, int, int, int]] = []
        self.length = 0
        self.space = True  # the last character written is white space (or nothing is written yet)

    def write(self, text: str, body: int, width: int) -> None:
        self.parts.append(text)
        self.segments.append((self.length, body, len(text), width))
        self.length += len(text)
        self.space = text[-1] == " " or text[-1] == "\n"

    def separate(self, body: int) -> None:
        if self.length:
            self.write("\n", body, 1)
        self.space = True

    def piece(self, piece: Piece) -> None:
        text = piece.text.translate(_SAME)
        if piece.kind == "break":
            if not self.space:
                self.write(" ", piece.start, 1)
            return
        if piece.kind == "object":
            self.write(PLACEHOLDER, piece.start, max(piece.end - piece.start, 1))
            return
        if not text:
            return
        copied = piece.kind == "text"
        width = 0 if copied else max(piece.end - piece.start, 1)
        if not _UNUSUAL.search(text) and not (self.space and text[0] == " "):
            self.write(text, piece.start, width)
            return
        position = 0
        for match in _RUN.finditer(text):
            if match.start() > position:
                self.write(text[position:match.start()], piece.start + position if copied else piece.start, width)
            if match.group(0)[0] not in _DROPPED and not self.space:
                self.write(" ", piece.start + match.start() if copied else piece.start,
                           (match.end() - match.start()) if copied else width)
            position = match.end()
        if position < len(text):
            self.write(text[position:], piece.start + position if copied else piece.start, width)


def build(body: Body) -> Prose:
    writer = _Writer()
    question = answer_start = None
    paragraphs: list[tuple[int, int]] = []
    link_text: list[tuple[int, int]] = []
    extras = []
    for block in body.text_blocks:
        writer.separate(block.pieces[0].start if block.pieces else 0)
        begin = writer.length
        open_link, link_begin = -1, 0
        for piece in block.pieces:
            if piece.link != open_link:
                if open_link >= 0:
                    link_text.append((link_begin, writer.length))
                open_link, link_begin = piece.link, writer.length
            writer.piece(piece)
        if open_link >= 0:
            link_text.append((link_begin, writer.length))
        end = writer.length
        if block.kind == "heading":
            if question is None and "".join(p.text for p in block.pieces).lstrip().startswith("Q:"):
                question = (begin, end)
        elif block.kind == "paragraph":
            paragraphs.append((begin, end))
            if question is not None and answer_start is None:
                answer_start = begin
        extras.extend(block.extras)
    flow_end = writer.length
    for pieces in extras:
        writer.separate(pieces[0].start if pieces else 0)
        for piece in pieces:
            writer.piece(piece)
    text = "".join(writer.parts)
    prose = Prose(text, question, answer_start, paragraphs, exemptions_of(body), [], flow_end, writer.segments,
                  link_text=link_text)
    prose._keys = [segment[0] for segment in writer.segments]
    prose.text = _placeholders(prose, body)
    prose.quotes = [m.span() for m in re.finditer(r"“[^”\n]*”|\"[^\"\n]*\"", prose.text)]
    return prose


def _placeholders(prose: Prose, body: Body) -> str:
    """Web and e-mail addresses in the text become placeholders; one in the text outside any link
    is a bare link, which the link checks check like any other."""
    text = prose.text
    if "@" not in text and "http" not in text.lower() and "www." not in text.lower():
        return text
    from editor.content.document import Link

    spans = []
    for l_start, l_end in prose.link_text:  # an address that is a link's text, whatever stands before it
        match = _URL_AT.match(text, l_start, l_end)
        if match is not None:
            spans.append((l_start, address_end(text, l_start, match.end())))
    for pattern in (_URL, _EMAIL):
        for match in pattern.finditer(text):
            start, end = match.span()
            inside = prose.link_at(start)
            if inside is not None:  # an address that is a link's text ends with it
                end = min(end, inside[1])
            end = address_end(text, start, end)
            spans.append((start, end))
            if pattern is _URL and start < prose.flow_end and inside is None and \
                    text[start:start + 4].lower() == "http":
                first, last = prose.source_span(start, end)
                raw = body.text[first:last]
                url = text[start:end]
                prose.bare_links.append(Link(url, url, first, last, "bare", (first, last), (first, last),
                                             raw if raw == url else url))
    chars = list(text)
    for start, end in spans:
        chars[start:end] = PLACEHOLDER * (end - start)
    return "".join(chars)


def address_end(text: str, start: int, end: int) -> int:
    """Where an address found in the text ends: without the punctuation after it, a closing
    parenthesis kept when the address opened one (``.../Postpartum_(disambiguation)``)."""
    while end > start and text[end - 1] in _TRAILING:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


def extract(body: Body) -> Prose:
    """The body's prose (made once per parse)."""
    return body.prose


def words(text: str) -> list[str]:
    return _WORD.findall(text)
