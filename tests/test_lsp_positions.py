"""The server's conversions of places (``editor.lsp.positions``) against a slow count written here,
on generated text full of the characters that make them differ: CR, LF, CRLF, emoji, U+2028 (no
line break to the protocol), combining marks and UTF-8's wider characters."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.lsp.positions import UTF8, UTF16, UTF32, Places, apply_change, choose_encoding

PIECES = ["a", "b", " ", "\n", "\r", "\r\n", "\U0001F600", "\u00e9", "\u20ac", "\u2028", "\x0c", "e\u0301", "\u4e2d"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
encodings = st.sampled_from([UTF8, UTF16, UTF32])


def width(char: str, encoding: str) -> int:
    if encoding == UTF32:
        return 1
    if encoding == UTF16:
        return 2 if ord(char) > 0xFFFF else 1
    return len(char.encode("utf-8"))


def slow_position(text: str, offset: int, encoding: str) -> tuple[int, int]:
    """Walk the text: a line ends at LF, at CR not followed by LF, and (as one) at CRLF."""
    line, character, index = 0, 0, 0
    while index < offset:
        char = text[index]
        if char == "\n" or (char == "\r" and not text.startswith("\r\n", index)):
            line, character = line + 1, 0
        elif char == "\r":  # the CR of a CRLF: still the end of the line
            pass
        else:
            character += width(char, encoding)
        index += 1
    return line, character


@given(texts, encodings, st.data())
@settings(max_examples=300, deadline=None)
def test_offsets_and_positions_agree_with_a_slow_count(text, encoding, data):
    places = Places(text, encoding)
    # every offset that is not inside a CRLF has one position, and that position leads back to it
    for offset in range(len(text) + 1):
        position = places.position(offset)
        if offset < len(text) + 1 and not (0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n"):
            assert position == slow_position(text, offset, encoding)
            assert places.offset(*position) == offset
    line = data.draw(st.integers(-2, len(places.starts) + 2))
    character = data.draw(st.integers(0, 200))
    offset = places.offset(line, character)  # anything a client sends lands on a real place
    assert 0 <= offset <= len(text)
    assert not (0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n")


@given(texts, st.data())
@settings(max_examples=300, deadline=None)
def test_a_finding_s_place_is_lines_of_lf_and_columns_of_code_points(text, data):
    places = Places(text)
    lines = text.split("\n")
    line = data.draw(st.integers(1, len(lines)))
    column = data.draw(st.integers(1, len(lines[line - 1]) + 1))
    assert places.check_offset(line, column) == sum(len(part) + 1 for part in lines[:line - 1]) + column - 1


@given(texts, texts, encodings, st.data())
@settings(max_examples=300, deadline=None)
def test_an_incremental_change_replaces_exactly_its_range(text, new, encoding, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    places = Places(text, encoding)
    changed = apply_change(text, encoding, places.position(start), places.position(end), new)
    start, end = places.offset(*places.position(start)), places.offset(*places.position(end))
    assert changed == text[:start] + new + text[end:]


def test_the_encoding_is_utf32_when_offered_else_utf16():
    assert choose_encoding(None) == UTF16
    assert choose_encoding(["utf-8"]) == UTF16
    assert choose_encoding(["utf-8", "utf-16"]) == UTF16
    assert choose_encoding(["utf-16", "utf-32"]) == UTF32


def test_an_emoji_is_two_utf16_units_and_one_code_point():
    text = "x\U0001F600y\r\nz"
    assert Places(text, UTF16).position(2) == (0, 3) and Places(text, UTF32).position(2) == (0, 2)
    assert Places(text, UTF16).offset(0, 2) == 1  # inside the pair: the emoji's start
    assert Places(text, UTF16).position(3) == (0, 4) == Places(text, UTF16).position(4)  # inside CRLF: the end
    assert Places(text, UTF16).offset(1, 0) == 5 and Places(text, UTF16).offset(0, 99) == 3
