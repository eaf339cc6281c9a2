"""Source text of a file exactly as stored: bytes, BOM, line endings and positions."""
from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass, field

_NEWLINE = re.compile(r"\n")


class DecodeFailure(Exception):
    """The bytes are not UTF-8 text; carries the 1-based position of the first bad byte."""

    def __init__(self, reason: str, line: int, column: int):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


@dataclass
class SourceText:
    """Decoded text of a file. ``text`` excludes a UTF-8 BOM and keeps line endings as stored."""

    text: str
    bom: bool = False
    _line_starts: list[int] | None = field(default=None, repr=False)

    @classmethod
    def from_bytes(cls, raw: bytes) -> "SourceText":
        bom = raw.startswith(codecs.BOM_UTF8)
        data = raw[3:] if bom else raw
        if b"\x00" in data:
            line, column = _byte_position(data, data.index(b"\x00"))
            raise DecodeFailure("binary file (contains NUL bytes)", line, column)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, column = _byte_position(data, exc.start)
            raise DecodeFailure(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", line, column) from None
        return cls(text, bom)

    def to_bytes(self) -> bytes:
        return (codecs.BOM_UTF8 if self.bom else b"") + self.text.encode("utf-8")

    @property
    def newline(self) -> str:
        """The file's line ending: CRLF when its first line break is CRLF, otherwise LF."""
        index = self.text.find("\n")
        return "\r\n" if index > 0 and self.text[index - 1] == "\r" else "\n"

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.text)]
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count characters."""
        starts = self.line_starts
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        """Character offset of a 1-based (line, column)."""
        return self.line_starts[line - 1] + column - 1


def line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


def _byte_position(data: bytes, index: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, index) + 1
    line = data.count(b"\n", 0, index) + 1
    column = len(data[line_start:index].decode("utf-8", errors="replace")) + 1
    return line, column


_EDITOR_BREAK = re.compile("\r\n|[\r\n\u2029\ufdd0\ufdd1]")  # U+FDD0/1: Qt's frame marks, a block each


class EditorText:
    """An entry's text as a text widget holds it, and the way back to the file's own bytes.

    Qt's text widgets make a new block at every CRLF, CR, LF, U+2029, U+FDD0 and U+FDD1, and the editor reads blocks
    back joined by LF (``EditorPanel.text``: the raw text, so a no-break space or a U+2028 inside a
    line stays itself). ``text`` is that view; ``encode`` turns the widget's text back into bytes with
    the file's BOM and each unchanged line's own break, whatever the mix, so an unedited entry saves
    to identical bytes and an edit changes only its own lines. New lines take the file's first break."""

    def __init__(self, stored: str, bom: bool = False):
        self.stored = stored
        self.bom = bom
        self.text = _EDITOR_BREAK.sub("\n", stored)

    @classmethod
    def from_bytes(cls, raw: bytes) -> "EditorText":
        source = SourceText.from_bytes(raw)
        return cls(source.text, source.bom)

    def _bytes(self, text: str) -> bytes:
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")

    def encode(self, text: str) -> bytes:
        text = _EDITOR_BREAK.sub("\n", text)
        if text == self.text:
            return self._bytes(self.stored)
        breaks = [m.group(0) for m in _EDITOR_BREAK.finditer(self.stored)]
        kinds = set(breaks)
        if kinds <= {"\n"}:
            return self._bytes(text)
        default = next((b for b in breaks if b in ("\r\n", "\n")), breaks[0])
        if kinds == {default}:
            return self._bytes(text.replace("\n", default))
        return self._bytes(self._mixed(text, breaks + [""], default))

    def _mixed(self, text: str, old_breaks: list[str], default: str) -> str:
        """Each line the edit left alone keeps its break: the common first and last lines are matched
        as they stand, and only the lines between them are aligned (difflib)."""
        from difflib import SequenceMatcher

        old_lines = self.text.split("\n")
        new_lines = text.split("\n")
        new_breaks = [default] * (len(new_lines) - 1) + [""]
        last = len(new_lines) - 1
        head = 0
        while head < min(len(old_lines), len(new_lines)) and old_lines[head] == new_lines[head]:
            head += 1
        tail = 0
        while tail < min(len(old_lines), len(new_lines)) - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
            tail += 1
        pairs = [(i, i) for i in range(head)] + [(len(old_lines) - 1 - k, last - k) for k in range(tail)]
        middle = SequenceMatcher(None, old_lines[head:len(old_lines) - tail], new_lines[head:len(new_lines) - tail],
                                 autojunk=False)
        for tag, i1, i2, j1, j2 in middle.get_opcodes():
            if tag in ("equal", "replace"):
                pairs += [(head + i, head + j) for i, j in zip(range(i1, i2), range(j1, j2))]
        for i, j in pairs:
            if j < last:
                new_breaks[j] = old_breaks[i] or default
        return "".join(line + brk for line, brk in zip(new_lines, new_breaks))
