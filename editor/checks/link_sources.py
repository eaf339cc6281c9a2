"""The ``sources`` of a frontmatter read without YAML, for the frontmatters the team writes.

Building the link index for a whole library (a first start) parsed every file's frontmatter with
YAML, node positions and all, only to find the ``sources`` list and where each item stands: about
as long as finding the body's links. ``read_sources`` reads the YAML text line by line instead,
for these shapes only:

- ``key: plain value`` at the top level (the value on one line);
- ``key: [a, b, c]``: a flow list on one line of plain words or ``"simple"`` double-quoted words
  (no backslash, no quote inside), or ``[]``;
- ``key:`` followed by ``- plain item`` (or ``- [a, b]``) lines, indented or not, all at one
  indentation, or by ``subkey: plain value`` lines, indented, all at one indentation (``review:``);
- blank lines and ``# comment`` lines; LF or CRLF line endings, spaces at line ends.

``sources`` itself must be a block list of http(s) addresses (``- https://…``), empty
(``sources:``, ``sources: []``) or a plain value (not a list: it gives no address). Anything else
is refused (None) and the caller parses the YAML: a tab, a quote (but for the simple flow items
above), a control character, a BOM, a line break other than LF and CRLF (CR alone, U+0085,
U+2028, U+2029); an anchor, alias, tag, directive, block scalar (``|``, ``>``), flow
mapping or ``<<``; a value starting with an indicator (``-?:,[]{}#&*!|>'"%@```) or ``=`` or ``<`` (``<<``); a value with
``: `` or ``#`` in it, ending in ``:``, or with ``[]{}`` in it (but the flow lists above); a
number-like value with ``_`` in it (YAML may fail to build it); a ``---`` or ``...`` line; a
plain value continued on the next line; any deeper nesting, an empty sub-value or list item; an
indentation that changes inside a block; a key that is not a plain word, or any key twice; a flow
``sources: [...]`` with items; a ``sources`` item that is not a plain http(s) address (quotes,
brackets, spaces, ``<>\\^|`` and the like refuse it).

Whenever it accepts, the addresses and their spans are the ones the YAML path
(``Frontmatter.span_for(("sources", i))``) gives: tests/test_link_sources_fast.py holds it to that.
"""
from __future__ import annotations

import re

from editor.content.entry import Entry
from editor.content.frontmatter import MAX_FRONTMATTER, Frontmatter, Span

ENABLED = True  # off: ``fast_sources`` always says None, and the YAML parse is used

# every character YAML reads as printable and Python does not split lines at: no tab, no control
# character, no lone CR, no U+0085/U+2028/U+2029, no BOM, no U+FFFE/U+FFFF, no surrogate, no ' or `
_REFUSE = re.compile("[^\r\n\x20-\x26\x28-\x5f\x61-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe"
                     "\uff00-\ufffd\U00010000-\U0010ffff]|\r(?!\n)")
_REFUSE_ASCII = re.compile("[^\n\x20-\x26\x28-\x5f\x61-\x7e]")  # the same for ASCII without CR, sooner
_KEY = re.compile(r"([A-Za-z][A-Za-z0-9_-]{0,99}):(?= |$)")
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|><'\"%@`=][^#\[\]{}\"]*")  # not an indicator first; no "#", brackets
_FLOW_ITEM = r'(?:[^\W\d_][\w.-]*|[0-9][0-9.-]*|"[^"\\]*")'  # a word, a number without "_", "text"
_FLOW = re.compile(rf"\[ *(?:{_FLOW_ITEM}(?: *, *{_FLOW_ITEM})*)? *\]")
_URL = re.compile(r"[hH][tT][tT][pP][sS]?://[\w\-.~:/?#@!$&()*+,;=%]*")
_NUMBERISH = frozenset("0123456789.+")


def read_sources(yaml_text: str, first_line: int = 2) -> list[tuple[str, Span]] | None:
    """Each address of ``sources`` with its span in the file (``first_line``: the file line of the
    YAML text's first line), [] when there is no list; None when the text is not in the shapes
    above (then only YAML can say)."""
    if len(yaml_text) > MAX_FRONTMATTER:
        return None  # not read at all (frontmatter-too-large): YAML's path says so
    careful = "\r" in yaml_text or not yaml_text.isascii()
    if (_REFUSE if careful else _REFUSE_ASCII).search(yaml_text) is not None:
        return None
    found: list[tuple[str, Span]] = []
    keys: set[str] = set()
    open_key: str | None = None  # a top-level key with nothing after its colon: its block may follow
    block = ""  # what that block holds: "" (nothing yet), "list" or "map"
    indent = -1  # the block's indentation
    for number, line in enumerate(yaml_text.split("\n")):
        line = line.rstrip(" \r")  # the only CR left is a line's last character
        if not line:
            continue
        if line[0] == " ":
            stripped = line.lstrip(" ")
            if stripped[0] == "#":
                continue
            depth = len(line) - len(stripped)
        elif line[0] == "#":
            continue
        else:
            stripped, depth = line, 0
        if open_key is not None and (depth > 0 or (stripped[:2] == "- " and block != "map")):
            if block and depth != indent:
                return None  # an indentation that changes: continued text, deeper nesting or an error
            if stripped[:2] == "- ":
                if block == "map":
                    return None
                block, indent = "list", depth
                item = stripped[2:].lstrip(" ")
                if open_key != "sources":
                    if not _value_ok(item, flow=True):
                        return None
                    continue
                if _URL.fullmatch(item) is None or item[-1] == ":":
                    return None
                column = len(line) - len(item) + 1
                found.append((item, Span(first_line + number, column, first_line + number, column + len(item))))
                continue
            if block == "list":
                return None
            block, indent = "map", depth
            key = _KEY.match(stripped)
            if key is None or not _value_ok(stripped[key.end():].lstrip(" "), flow=True):
                return None  # an empty sub-value (perhaps a nested block) is refused too
            continue
        if depth > 0:
            return None  # continued text, or an indented first key
        key = _KEY.match(stripped)
        if key is None:
            return None  # "---", "...", "%", "- ", "<<", quoted or odd keys
        name = key.group(1)
        if name in keys:
            return None  # any key twice
        keys.add(name)
        value = stripped[key.end():].lstrip(" ")
        open_key, block, indent = None, "", -1
        if not value or value[0] == "#":
            open_key = name  # "key:" or "key:  # comment": a block may follow
        elif name == "sources":
            if value != "[]" and (value[0] == "[" or not _value_ok(value, flow=False)):
                return None  # a flow list with items, or an odd value
        elif not _value_ok(value, flow=True):
            return None
    return found


def _value_ok(value: str, flow: bool) -> bool:
    """A one-line plain value (or, with ``flow``, a one-line flow list of simple words) that YAML
    reads without fail, and that neither continues nor opens anything."""
    if not value:
        return False
    if value[0] == "[":
        return flow and _FLOW.fullmatch(value) is not None
    if _PLAIN.fullmatch(value) is None or value[-1] == ":" or ": " in value:
        return False
    return not (value[0] in _NUMBERISH and "_" in value)  # YAML may fail to build such a number


def yaml_sources(entry: Entry) -> list[tuple[str, int, int]]:
    """(address, line, column) of each http(s) address of ``sources``, as the YAML parse has them."""
    sources = entry.meta.get("sources")
    if not isinstance(sources, list) or entry.frontmatter is None:
        return []
    return [(url, span.line, span.column) for index, url in enumerate(sources)
            if isinstance(url, str) and url.lower().startswith(("http://", "https://"))
            for span in (entry.frontmatter.span_for(("sources", index)),)]


def fast_sources(fm: Frontmatter | None) -> list[tuple[str, int, int]] | None:
    """``yaml_sources`` read without YAML (``read_sources``); None when it cannot be sure."""
    if fm is None or not fm.closed:
        return []  # no frontmatter, or one never parsed (unclosed): no sources
    found = read_sources(fm.yaml_text, fm.first_line) if ENABLED else None
    return [(url, span.line, span.column) for url, span in found] if found is not None else None
