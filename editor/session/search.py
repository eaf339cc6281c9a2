"""Full-text search of the library: the body (question and answer) of every entry, held in memory
and searched by the Entries filter as the writer types.

Qt-free. The texts are read once on a worker when the library loads (``build_texts``) and kept
current by the session as entries are typed, saved, created, renamed and deleted. A search is a
substring test of each query word against each entry's normalised text: about 10 ms for ten
thousand entries of a few thousand characters, so the filter never needs an index of words."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

_SPACE = re.compile(r"\s+")
# what a writer does not type when looking for words: emphasis marks, and typographic quotes
_MARKS = str.maketrans({"*": "", "_": "", "`": "", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                        "\u00a0": " "})


def normalise(text: str) -> str:
    """Lower case (casefold), emphasis marks dropped, typographic quotes made plain, every run of
    white space one space: "**Very** tired" and "very  tired" are found by "very tired"."""
    return _SPACE.sub(" ", text.translate(_MARKS).casefold())


def terms(query: str) -> list[str]:
    """The words of a query: every one must occur in an entry (in any order) for it to match."""
    return [word for word in normalise(query).split(" ") if word]


def body_of(text: str) -> str:
    """What is searched of an entry's text: everything after the frontmatter (the whole text when
    there is none), so a search for "review" does not find every approved entry by its metadata."""
    from editor.content.frontmatter import split

    text = text.removeprefix("\ufeff")
    fm = split(text)
    return text[fm.body_offset:] if fm is not None and fm.closed else text


def searchable(path: str, text: str) -> str:
    """The normalised text an entry is searched by: its file's path and its body."""
    return normalise(path) + "\n" + normalise(body_of(text))


READ_BATCH = 200  # files read in a row before their texts are made: 10 to 20 ms of work without a read


def build_texts(root: Path, paths: Iterable[str], cancelled: Callable[[], bool] | None = None) -> dict[str, str]:
    """On a worker: the searchable text of every entry file (unreadable files are left out; their
    question, id and path still match through the index rows).

    The files are read a batch at a time, then their texts made: a read (a few microseconds from
    the page cache) after each 0.1 ms of making a text let go of the interpreter lock and took it
    back so often that the UI thread, woken by each release, lost every race for it and never
    waited out the switch interval that would have made the worker hand it over: 100 to 300 ms
    without a tick of the UI thread at 20,000 entries. Between batches the worker holds the lock
    long enough (more than ``sys.getswitchinterval()``) for the UI thread to ask for it."""
    texts: dict[str, str] = {}
    root, paths = Path(root), list(paths)
    for start in range(0, len(paths), READ_BATCH):
        if cancelled is not None and cancelled():
            break
        read: list[tuple[str, bytes]] = []
        for path in paths[start:start + READ_BATCH]:
            try:
                read.append((path, (root / path).read_bytes()))
            except OSError:
                continue
        for path, raw in read:
            texts[path] = searchable(path, raw.decode("utf-8", errors="replace"))
    return texts


class SearchIndex:
    """Path -> searchable text. ``ready`` once the texts read on load are in; changes made while
    they were being read (an entry typed, renamed, deleted) are kept and win over what was read."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.ready = False
        self.version = 0
        self._since_build: dict[str, str | None] = {}  # changes while a build runs; None: removed
        self._last: tuple[tuple[str, ...], int, frozenset[str]] | None = None

    def start_build(self) -> None:
        """A build of every text started (on load, or again after a pull)."""
        self._since_build = {}

    def install(self, built: dict[str, str]) -> None:
        texts = dict(built)
        for path, text in self._since_build.items():
            if text is None:
                texts.pop(path, None)
            else:
                texts[path] = text
        self.texts, self.ready = texts, True
        self._since_build = {}
        self._changed()

    def update(self, path: str, text: str) -> None:
        """The entry at ``path`` now holds ``text`` (as typed, saved or created)."""
        self.put(path, searchable(path, text))

    def put(self, path: str, value: str) -> None:
        """The entry at ``path`` is now searched by ``value`` (``searchable`` of its text, made on a worker)."""
        if self.texts.get(path) != value:
            self.texts[path] = value
            self._since_build[path] = value
            self._changed()

    def remove(self, path: str) -> None:
        self.texts.pop(path, None)
        self._since_build[path] = None
        self._changed()

    def rename(self, old: str, new: str, text: str | None = None) -> None:
        """The entry moved from ``old`` to ``new`` (its text, when it changed too)."""
        previous = self.texts.get(old)
        self.remove(old)
        if text is not None:
            self.update(new, text)
        elif previous is not None:
            self.texts[new] = self._since_build[new] = normalise(new) + previous[previous.index("\n"):]
            self._changed()

    def _changed(self) -> None:
        self.version += 1

    def find(self, query: str) -> frozenset[str]:
        """The paths of the entries that contain every word of ``query``."""
        words = tuple(terms(query))
        if not words:
            return frozenset(self.texts)
        last = self._last
        if last is not None and last[0] == words and last[1] == self.version:
            return last[2]
        found = frozenset(path for path, text in self.texts.items() if all(word in text for word in words))
        self._last = (words, self.version, found)
        return found
