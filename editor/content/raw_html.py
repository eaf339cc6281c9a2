"""Raw HTML in an entry, read the way a browser's HTML parser reads it (Python's ``html.parser``):
comments, tags with their ``href`` or ``src``, and the text between them. The app shows raw HTML
as text; the document model uses this to know which words stand between the tags, which
comments are exemption comments, and which tags look like links or images."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

_TARGET = re.compile(r"""\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)


@dataclass
class Event:
    kind: str  # "tag", "comment" or "text"
    text: str  # the tag or comment as written; for text, the text as decoded
    start: int  # offsets in the HTML read
    end: int


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
            return unescape(raw), match.start(group), match.end(group), raw
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
        found.append((unescape(match.group(group)), match.start(group), match.end(group)))
    return found


class _Reader(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.source = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.events: list[Event] = []

    def _here(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        text = self.get_starttag_text() or ""
        start = self._here()
        self.events.append(Event("tag", text, start, start + len(text)))

    def handle_startendtag(self, tag, attrs):
        text = self.get_starttag_text() or ""
        start = self._here()
        self.events.append(Event("tag", text, start, start + len(text)))

    def handle_endtag(self, tag):
        start = self._here()
        end = self.source.find(">", start) + 1 or len(self.source)
        self.events.append(Event("tag", self.source[start:end], start, end))

    def handle_comment(self, data):
        start = self._here()
        end = self.source.find("-->", start)
        end = end + 3 if end >= 0 else len(self.source)
        self.events.append(Event("comment", self.source[start:end], start, end))

    def handle_data(self, data):  # the app shows raw HTML as text: words inside <code> are read too
        start = self._here()
        self.events.append(Event("text", data, start, start))


def read(text: str) -> list[Event]:
    """The comments, tags and text of ``text``, in order; a text's end is where the next event starts."""
    reader = _Reader(text)
    try:
        reader.feed(text)
        reader.close()
    except AssertionError:  # Python 3.11's parser gives up on a declaration such as "<![x": the rest is text
        here = reader._here()
        done = max((e.end for e in reader.events), default=0)
        back = text.rfind("<!", done, here + 1)  # from the declaration's own "<"
        start = back if back >= 0 else max(here, done)
        reader.events.append(Event("text", text[start:], start, start))
    events = reader.events
    following = len(text)
    for event in reversed(events):
        if event.kind == "text":
            event.end = max(following, event.start)
        following = event.start if event.start < following else following
    return events
