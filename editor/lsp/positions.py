"""Places in a text, as the checks give them and as the Language Server Protocol wants them.

A finding's line is 1-based and a line is what ends in LF (a CRLF's CR is the last character of
its line; a lone CR is not a line break to the checks, which read it as a space); its column is
1-based and counts code points. The protocol's line is 0-based and ends at LF, CRLF or a lone CR;
its character counts units of the encoding agreed at ``initialize``: UTF-16 code units by default
(a character outside the Basic Multilingual Plane, an emoji, is two), code points for UTF-32,
bytes for UTF-8. Everything goes through a code point offset into the text, so the two ways of
counting lines never meet.
"""
from __future__ import annotations

import bisect
import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
ENCODINGS = (UTF8, UTF16, UTF32)
_PROTOCOL_BREAK = re.compile(r"\r\n|\r|\n")
_CHECK_BREAK = re.compile(r"\n")


def choose_encoding(offered) -> str:
    """UTF-32 when the client offers it (no conversion at all), else UTF-16, which every client
    must accept (LSP 3.17, ``general.positionEncodings``)."""
    return UTF32 if UTF32 in (offered or ()) else UTF16


def units(text: str, encoding: str) -> int:
    """How many units of ``encoding`` ``text`` takes."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF16:
        return len(text.encode("utf-16-le", "surrogatepass")) // 2
    return len(text.encode("utf-8", "surrogatepass"))


def _width(char: str, encoding: str) -> int:
    point = ord(char)
    if encoding == UTF16:
        return 2 if point > 0xFFFF else 1
    return 1 if point < 0x80 else 2 if point < 0x800 else 3 if point < 0x10000 else 4


def _index_of(segment: str, count: int, encoding: str) -> int:
    """The code point index in ``segment`` where ``count`` units end; inside a character (half a
    surrogate pair, a byte of a UTF-8 sequence), that character's start; past the end, the end."""
    if count <= 0:
        return 0
    if encoding == UTF32 or units(segment, encoding) == len(segment):
        return min(count, len(segment))
    done = 0
    for index, char in enumerate(segment):
        done += _width(char, encoding)
        if done > count:
            return index
        if done == count:
            return index + 1
    return len(segment)


class Places:
    """One text's line tables, the checks' and the protocol's, and the conversions between them."""

    def __init__(self, text: str, encoding: str = UTF16):
        self.text = text
        self.encoding = encoding
        matches = list(_PROTOCOL_BREAK.finditer(text))
        self.starts = [0] + [m.end() for m in matches]  # the protocol's lines
        self.ends = [m.start() for m in matches] + [len(text)]  # where each one's text ends (before its break)
        self._check_starts: list[int] | None = None

    # ---- the checks' places ---------------------------------------------------------------------

    def check_offset(self, line: int, column: int) -> int:
        """The offset of a finding's 1-based (line, column); a column past its line's end is the end."""
        if self._check_starts is None:
            self._check_starts = [0] + [m.end() for m in _CHECK_BREAK.finditer(self.text)]
        starts = self._check_starts
        if line < 1:
            return 0
        if line > len(starts):
            return len(self.text)
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)  # (the LF itself may be pointed at)
        return max(start, min(start + column - 1, end))

    # ---- the protocol's places ------------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        """The protocol's 0-based (line, character) of an offset; inside a CRLF, its line's end."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return line, units(self.text[start:min(offset, self.ends[line])], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The offset of the protocol's (line, character): a line past the last is the text's end, a
        character past its line's end is the line's end (as the protocol says)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.ends[line]
        return start + _index_of(self.text[start:end], character, self.encoding)

    def line_text(self, line: int) -> str:
        """The protocol's line ``line`` without its break."""
        return self.text[self.starts[line]:self.ends[line]] if 0 <= line < len(self.starts) else ""


def apply_change(text: str, encoding: str, start: tuple[int, int] | None, end: tuple[int, int] | None,
                 new: str) -> str:
    """``text`` after one ``didChange`` content change: ``new`` in place of the range from
    ``start`` to ``end`` (the protocol's positions), or the whole text when there is no range."""
    if start is None or end is None:
        return new
    places = Places(text, encoding)
    first, last = places.offset(*start), places.offset(*end)
    first, last = min(first, last), max(first, last)
    return text[:first] + new + text[last:]
