"""Spelling suggestions from the bucketed index (editor/checks/suggestions.py), against a brute
force over the whole word list with the same distance: the index must find what the brute force
finds, one edit away always, two edits away when the first letter is kept."""
from __future__ import annotations

import string
from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import OSA

from editor.checks import spelling
from editor.checks.suggestions import FAR, Index

@lru_cache(maxsize=1)
def words() -> tuple[Index, list[str], list[str]]:
    """The index (read inside a test: the cache folder is the test's own), its words commonest first,
    and the common words typos are made of."""
    index = spelling._index("en-US")
    ranked = sorted(index.rank, key=index.rank.__getitem__)
    return index, ranked, [w for w in ranked[:20_000] if 4 <= len(w) <= 12]


def brute(word: str) -> tuple[int, str] | None:
    index, ranked, _ = words()
    found = [(distance, index.rank[w], w) for w, distance, _ in
             process.extract(word, ranked, scorer=OSA.distance, score_cutoff=2, limit=None) if distance]
    return min(found)[::2] if found else None


def typo(word: str, edit: tuple[float, str, str]) -> str:
    at = int(edit[0] * len(word))
    kind, letter = edit[1], edit[2]
    if kind == "d":
        return word[:at] + word[at + 1:]
    if kind == "i":
        return word[:at] + letter + word[at:]
    if kind == "s":
        return word[:at] + letter + word[at + 1:]
    return word[:at] + word[at + 1:at + 2] + word[at] + word[at + 2:]


EDIT = st.tuples(st.floats(0, 0.999), st.sampled_from("dist"), st.sampled_from(string.ascii_lowercase))


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 0.999), st.lists(EDIT, min_size=1, max_size=2))
def test_the_index_finds_what_a_search_of_every_word_finds(choice, edits):
    index, _, common = words()
    word = common[int(choice * len(common))]
    for edit in edits:
        word = typo(word, edit) or word
    if word in index.rank:
        return  # the typo made another word
    got, best = index.nearest(word), brute(word)
    if best is None:
        assert got is None
    elif best[0] == 1:
        assert got == best[1]  # the commonest word one edit away, whatever the edit
    elif len(word) < FAR:
        assert got is None  # two edits from a short word: a guess, not a suggestion
    elif best[1][0] == word[0]:
        assert got == best[1]
    else:
        assert got is None or OSA.distance(got, word) == 2


def test_names_get_no_guess_and_typos_their_word():
    assert spelling.suggest("Okonkwo") is None
    assert spelling.suggest("Oyelaran") is None
    assert spelling.suggest("overwhlemed") == "overwhelmed"
    assert spelling.suggest("Pregnacy") == "Pregnancy"
    assert spelling.suggest("rivate") == "private"  # the first letter lost
    assert spelling.suggest("recieveing") == "receiving"  # two edits
    assert spelling.suggest("x" * 30) is None


def test_a_suggestion_is_a_word_of_the_locale():
    assert spelling.suggest("neighbur", "en-GB") == "neighbour"
    assert spelling.suggest("neighbur", "en-US") == "neighbor"
