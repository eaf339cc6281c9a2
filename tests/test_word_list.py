"""The sorted word list answers exactly as a set of the same words, by bisection and after it has
become a set (``editor.checks.word_list``)."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from editor.checks import word_list
from editor.checks.word_list import WordList

WORD = st.text(st.sampled_from("abcdeé'’zA\u2019-"), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.sets(WORD, max_size=60), st.lists(WORD, max_size=40))
def test_bisection_answers_as_a_set(words, asked):
    listed = WordList.of(words)
    for word in list(words) + asked:
        assert (word in listed) == (word in words), word
    assert listed.missing(asked) == set(asked) - words


def test_past_many_asks_it_is_a_set_with_the_same_answers(monkeypatch):
    monkeypatch.setattr(word_list, "SET_AFTER", 5)
    words = {"apple", "baby", "cot", "nappy", "sleep", "sleepy"}
    listed = WordList.of(words)
    asked = ["apple", "zebra", "sleep", "sle", "sleepyhead", "baby", "a", "cot", "nappy", "", "\n"]
    assert [w in listed for w in asked] == [w in words for w in asked]
    assert listed._set is not None  # noqa: SLF001 - the switch itself is what is tested
    assert set(listed) == words and len(listed) == len(words)


def test_the_locale_word_list_as_read_from_the_cache_is_sorted():
    from editor.checks.spelling import _known_words

    known = _known_words("en-US")
    lines = known.text.split("\n")
    assert lines == sorted(lines) and "" not in lines
    assert "breastfeeding" in known and "xqzzv" not in known


@settings(max_examples=200, deadline=None)
@given(st.sets(WORD, max_size=80), st.integers(1, 12))
def test_the_set_made_a_piece_at_a_time_holds_every_word_and_nothing_else(words, chunk):
    """Made in pieces of the text (so a worker never holds the interpreter lock for long), the set
    is the text's lines, whatever the pieces' size and wherever they end."""
    before, word_list.CHUNK = word_list.CHUNK, chunk
    try:
        listed = WordList.of(words)
        assert listed._words() == set(words)  # noqa: SLF001 - what it is made of is what is tested
    finally:
        word_list.CHUNK = before
