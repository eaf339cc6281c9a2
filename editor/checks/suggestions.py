"""Spelling suggestions at the cost of a lookup, whatever the word.

The locale's words are kept in the user's cache folder once, most common first, and read into
buckets by first letter and length. A suggestion for a word is searched only in the buckets of its
first letter and of lengths up to two away, by rapidfuzz's optimal-string-alignment distance
(insertions, deletions, substitutions and swapped neighbours, as pyspellchecker counts them) in
compiled code: about a quarter of a millisecond a word, where trying every edit two away took a
second, and a word with no near neighbour costs no more than one with many. A change of the first
letter is found too, one edit away, by trying those edits against the word list.

The suggestion is the commonest word one edit away; failing that, for a word of five letters or
more, the commonest two edits away; failing that, none (a name or a medicine the list does not know
gets its finding without a guess)."""
from __future__ import annotations

import string

LONGEST = 20  # no English word is longer; past it, no suggestion
FAR = 5  # words this long or longer may get a suggestion two edits away


class Index:
    """Words (of lowercase letters, commonest first) in buckets by first letter and length."""

    def __init__(self, words: list[str]):
        self.buckets: dict[tuple[str, int], list[str]] = {}
        for word in words:
            self.buckets.setdefault((word[0], len(word)), []).append(word)
        self.rank = {word: at for at, word in enumerate(words)}

    def nearest(self, word: str) -> str | None:
        """The suggestion for ``word`` (lowercase), or None."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        if not word or len(word) > LONGEST or not (word.isalpha() and word.isascii()):
            return None
        rank = self.rank
        best: tuple[int, int, str] | None = None  # (distance, rank, word)
        for length in range(max(1, len(word) - 2), len(word) + 3):
            bucket = self.buckets.get((word[0], length))
            if not bucket:
                continue
            for candidate, distance, _ in process.extract(word, bucket, scorer=OSA.distance, score_cutoff=2, limit=None):
                if distance and (best is None or (distance, rank[candidate]) < best[:2]):
                    best = (distance, rank[candidate], candidate)
        for candidate in _first_letter_edits(word):  # the buckets all share the word's first letter
            at = rank.get(candidate)
            if at is not None and (best is None or (1, at) < best[:2]):
                best = (1, at, candidate)
        if best is None or (best[0] == 2 and len(word) < FAR):
            return None
        return best[2]


def _first_letter_edits(word: str) -> set[str]:
    """The words one edit at the first letter makes: another first letter, one more or one less
    before the rest, the first two swapped."""
    rest = word[1:]
    found = {c + rest for c in string.ascii_lowercase} | {c + word for c in string.ascii_lowercase}
    found.add(rest)
    if len(word) > 1:
        found.add(word[1] + word[0] + word[2:])
    found.discard(word)
    return found
