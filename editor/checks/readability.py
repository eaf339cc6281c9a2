"""Readability measures: syllables, and the Flesch-Kincaid grade of the answer's prose.

Computed here rather than with textstat (whose releases from 0.7.9 download NLTK data on first
use, which fails offline). Prose only: headings, link targets, URLs, code and the frontmatter are
left out (see ``editor.content.prose``); the ``A:`` marker is not a word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from editor.content.prose import Prose

_SILENT_END = re.compile(r"(?:[^laeiouy]es|[^laeiouydt]ed|[^laeiouy]e)$")
_VOWEL_GROUPS = re.compile(r"[aeiouy]{1,2}")


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """English syllables by rule (silent endings dropped, vowel groups counted): right for most
    everyday words, which is all a grade needs."""
    word = word.lower().replace("\u2019", "'")
    word = re.sub(r"'s$|'", "", word)
    if not word:
        return 0
    if word.isdigit():
        return max(1, len(word) - 1)
    if len(word) <= 3:
        return 1
    word = _SILENT_END.sub("", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(_VOWEL_GROUPS.findall(word)))


@dataclass
class Stats:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        if not self.words or not self.sentences:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59


class _Syllables(dict):
    """word -> syllables, filled as words come: ``map(counts.__getitem__, words)`` runs in C."""

    def __missing__(self, word: str) -> int:
        if len(self) > 200_000:
            self.clear()
        count = self[word] = syllables(word)
        return count


_COUNTS = _Syllables()


def totals(sentences) -> tuple[int, int]:
    """Words and syllables of ``sentences``."""
    words = [w for s in sentences for w in s.words]
    return len(words), sum(map(_COUNTS.__getitem__, words))


def stats(prose: Prose) -> Stats:
    sentences = prose.sentences()
    words, total = totals(sentences)
    return Stats(words, len(sentences), total)
