"""A sorted word list kept as the one text it is read as, a word a line. A process that checks one
entry asks for a few hundred words: each is found by bisection over the text, with nothing built.
One that asks for many (a whole library, the editor's live check) gets a set, built at the first
ask past ``SET_AFTER``, since a set costs about as much to build as a few thousand bisections."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

SET_AFTER = 3000
CHUNK = 1 << 16  # characters of the text made into words at a time (``_words``)


class WordList:
    def __init__(self, text: str):
        """``text``: the words sorted (as Python sorts strings), one a line, no line empty."""
        self._text = text
        self._set: set[str] | None = None
        self._asked = 0

    @classmethod
    def of(cls, words: Iterable[str]) -> WordList:
        return cls("\n".join(sorted(set(words) - {""})))

    @property
    def text(self) -> str:
        return self._text

    def _words(self) -> set[str]:
        """The words as a set (never changed), made a piece of the text at a time: made in one go,
        160,000 words held the interpreter lock for 30 ms in two C calls, and the editor's UI thread
        waited that long for it while a worker's live check made it."""
        if self._set is None:
            built: set[str] = set()
            text, start = self._text, 0
            while start < len(text):
                end = text.find("\n", min(start + CHUNK, len(text)))
                end = len(text) if end < 0 else end
                built.update(text[start:end].split("\n"))
                start = end + 1
            self._set = built
        return self._set

    def __contains__(self, word: object) -> bool:
        if self._set is not None:
            return word in self._set
        if not isinstance(word, str) or "\n" in word or not word:
            return False
        self._asked += 1
        if self._asked > SET_AFTER:
            return word in self._words()
        return self._find(word)

    def missing(self, words: Iterable[str]) -> set[str]:
        """Those of ``words`` not in the list (once it is a set, a difference made in C: the
        editor's live check asks this at every pause in typing)."""
        if self._set is not None:
            return set(words) - self._set
        return {w for w in words if w not in self}

    def __iter__(self) -> Iterator[str]:
        return iter(self._words())

    def __len__(self) -> int:
        return len(self._words())

    def _find(self, word: str) -> bool:
        text = self._text
        low, high = 0, len(text)  # the lines still in question start at or after low, before high
        while low < high:
            middle = (low + high) // 2
            start = text.rfind("\n", low, middle) + 1 or low  # the start of the line around middle
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            line = text[start:end]
            if line == word:
                return True
            if line < word:
                low = end + 1
            else:
                high = start
        return False
