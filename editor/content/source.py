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
