"""Raw HTML in an entry, read the way a browser's HTML parser reads it (Python's ``html.parser``):
comments, tags with their ``href`` or ``src``, and the text between them. The app shows raw HTML
as text; the document model uses this to know which words stand between the tags, which
comments are exemption comments, and which tags look like links or images."""
from __future__ import annotations

import re

_TARGET = re.compile(r"""\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    from html import unescape

    return unescape(text)


def link_target(tag: str) -> tuple[str, int, int, str] | None:
    """(target as decoded, start, end, as written) of an ``<a href>`` or ``<img src>`` tag."""
    name = re.match(r"<\s*([A-Za-z][A-Za-z0-9-]*)", tag)
    if name is None or name.group(1).lower() not in ("a", "img"):
        return None
    wanted = "href" if name.group(1).lower() == "a" else "src"
    for match in _TARGET.finditer(tag):
        if match.group(1).lower() == wanted:
            group = next(g for g in (2, 3, 4) if match.group(g) is not None)
            raw = match.group(group)
            return _unescape(raw), match.start(group), match.end(group), raw
    return None


_PARTING = {"br", "p", "div", "li", "ul", "ol", "hr", "td", "th", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
            "blockquote", "pre", "section", "article", "header", "footer", "img", "dd", "dt", "dl"}
_NAME = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9-]*)")
_SHOWN = re.compile(r"""\b(title|alt)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def parts_words(tag: str) -> bool:
    """A tag that breaks a line or starts a block, so the words before and after it are apart."""
    name = _NAME.match(tag)
    return name is not None and name.group(1).lower() in _PARTING


def attribute_texts(tag: str) -> list[tuple[str, int, int]]:
    """(text as decoded, start, end) of a tag's ``title`` and ``alt``: words a reader is shown."""
    found = []
    for match in _SHOWN.finditer(tag):
        group = 2 if match.group(2) is not None else 3
        found.append((_unescape(match.group(group)), match.start(group), match.end(group)))
    return found
