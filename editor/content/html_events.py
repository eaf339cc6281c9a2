"""Raw HTML read into events (tags, comments, text) with Python's HTML parser, imported only for an
entry that has an html block (``model``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass
class Event:
    kind: str  # "tag", "comment" or "text"
    text: str  # the tag or comment as written; for text, the text as decoded
    start: int  # offsets in the HTML read
    end: int


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
