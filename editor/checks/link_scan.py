"""The links of a body read without markdown-it, for the bodies the content team writes.

Parsing a body with markdown-it costs about 2 ms; a first start with ten thousand entries would
spend most of its time there just to find the links. Most bodies are headings, paragraphs, lists,
emphasis and inline links ``[text](target)`` or ``[text](target "title")`` (and images ``![alt](src)``),
and in such a body every link is exactly where a plain scan finds it. ``scan`` reads such a body
and gives its links; any body with a construct it cannot be sure of, it refuses (None), and the
caller parses that one with markdown-it. What it refuses:

- backticks, ``~~~``, ``<`` (HTML, autolinks, angle-bracket destinations), ``\\`` (escapes),
  ``|`` (tables), an entity (``&name;``, ``&#…;``), ``]:`` (reference definitions), NUL, a lone CR;
- a ``[`` or ``]`` that is not part of a simple one-line link: a reference or shortcut link,
  nested brackets, a link whose text runs onto the next line, a destination with spaces,
  parentheses, control characters or nothing in it, a title not in double quotes, white space
  between ``](`` and the destination;
- ``http`` anywhere outside a link's destination (a bare address is a link too, found in the
  text the reader sees: left to the full reading);
- a tab before a line's text or after a list marker, a list marker followed by five spaces or
  more, a line starting with ``>`` (after any list markers), and a line indented four spaces or
  more unless it follows a line of paragraph text (which it then continues: indented code cannot
  interrupt a paragraph).

Whenever ``scan`` gives links, they are the ones the document model (``editor.content.markdown``)
finds: tests/test_link_index_fast.py holds it to that.
"""
from __future__ import annotations

import re

_REFUSE = re.compile(r"[`<\\|\x00]|~~~|\]:|&[#A-Za-z0-9]*;|\r(?!\n)")
_LINK = re.compile(r'!?\[[^\[\]\n]*\]\(([^\x00-\x20\x7f()<>\\]+)(?: +"[^"\n\\]*")? *\)')
_HTTP = re.compile("http", re.I)
_MARKER = re.compile(r"(?:[-+*]|[0-9]{1,9}[.)])(?=[ \t]|$)")
_DECORATION = re.compile(r"[-=*_ ]+")  # thematic breaks and setext underlines: never paragraph text
# a line _blocks_plain must look at: indented four spaces, a tab before its text, a ">", or a list
# marker followed by a tab, five spaces, ">" or another marker (no line like it: every line is plain)
_SUSPECT = re.compile(r"^(?: {4}| *\t| *>| *(?:[-+*]|[0-9]{1,9}[.)])[ \t]*(?:\t| {5}|>|(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|$)))",
                      re.MULTILINE)


def scan(body: str) -> list[tuple[str, int]] | None:
    """(destination as typed, its offset in ``body``) of every link and image of ``body``, in
    order; None when the body holds anything the scan cannot be sure of."""
    if _REFUSE.search(body) is not None:
        return None
    links = [(match.group(1), match.start(1), match.end(1)) for match in _LINK.finditer(body)]
    if body.count("[") != len(links) or body.count("]") != len(links):
        return None  # a bracket that is not a simple link's
    if _HTTP.search(body) is not None:
        spans = iter(links)
        current = next(spans, None)
        for match in _HTTP.finditer(body):
            while current is not None and current[2] <= match.start():
                current = next(spans, None)
            if current is None or not current[1] <= match.start() or match.end() > current[2]:
                return None  # an address in the text: perhaps a bare link
    if _SUSPECT.search(body) is not None and not _blocks_plain(body):
        return None
    return [(target, start) for target, start, _ in links]


def _blocks_plain(body: str) -> bool:
    """Every line is read as text of a paragraph, heading or list item (never as code or a quote)."""
    after_text = False  # the line before is paragraph text, so a paragraph is open
    for line in body.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        stripped = line.lstrip(" ")
        if not stripped:
            after_text = False
            continue
        indent = len(line) - len(stripped)
        if stripped[0] == "\t":
            return False
        if indent >= 4 and not after_text:
            return False  # perhaps indented code
        if _DECORATION.fullmatch(stripped):
            after_text = False
            continue
        rest = stripped
        while True:
            marker = _MARKER.match(rest)
            if marker is None:
                break
            after = rest[marker.end():]
            spaces = len(after) - len(after.lstrip(" "))
            if after[spaces:spaces + 1] == "\t" or spaces >= 5:
                return False  # a tab after the marker, or an item that starts with indented code
            rest = after[spaces:]
            if not rest:
                break
        if rest.startswith(">"):
            return False
        after_text = bool(rest) and rest[0] != "#"
    return True
