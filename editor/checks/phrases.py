"""Phrases as rule authors write them, made into the patterns the engine matches.

A rule's ``phrases`` are written once, in base form, and match what writers actually type:

- every word matches its inflections (``suffer`` matches suffers, suffered, suffering; ``take``
  matches took and taken; ``victim`` matches victims; an adjective its -er and -est forms), from
  lemminflect's tables of English word forms; possessives need nothing, since a word's match
  ends at the apostrophe;
- ``a``, ``an`` and ``the`` stand for any determiner (``a diabetic`` matches "the diabetic" and
  "her diabetic", never the "diabetic" of "diabetic ketoacidosis"); ``[a]`` for any or none;
- ``{adv}`` is an optional adverb or hedge ("really", "just", "so", "kind of"), ``{det}`` an optional
  determiner; ``{self}`` a reflexive pronoun (herself, themselves ...), ``{poss}`` a possessive (her,
  their, one's ...), ``{pron}`` a personal pronoun, ``{be}`` a form of "be", contractions included
  ("she's"), ``{any}`` one word, whatever it is; a slot with ``?`` (``{poss?}``) may be left out;
- ``[word]`` is an optional word (``[kind of]`` optional words), ``word|other`` either of two
  single words, ``(a bit|kind of|so)`` either of groups of words (each word with its forms);
- ``=word`` is that word only, with no other forms; ``word/verb`` (or ``/noun``, ``/adj``) only the
  forms of that part of speech (``clean/adj`` matches "cleaner", never "cleaning");
- words are parted by a space or a hyphen as the writer likes ("attention seeking",
  "attention-seeking"); a hyphen written inside a word may also be left out ("self-harm",
  "self harm", "selfharm").

An optional slot at the start or end of a phrase is dropped: it cannot change whether the
phrase is there.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

SLOTS: dict[str, tuple[bool, tuple[str, ...]]] = {  # name -> (optional unless marked, words)
    "det": (True, ("a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "their",
                   "our", "its", "some", "any", "one", "such a", "such an")),
    "adv": (True, ("really", "just", "so", "very", "quite", "totally", "completely", "simply", "only", "truly",
                   "actually", "pretty", "such", "a bit", "a little", "kind of", "kinda", "sort of", "rather",
                   "always", "ever", "never", "still", "being", "all", "utterly", "absolutely", "seriously",
                   "extremely", "incredibly", "basically", "literally", "merely", "purely", "somewhat",
                   "clearly", "obviously", "sometimes", "often", "probably", "definitely")),
    "self": (False, ("myself", "yourself", "himself", "herself", "itself", "ourselves", "yourselves",
                     "themselves", "themself", "oneself")),
    "poss": (False, ("my", "your", "his", "her", "their", "our", "its", "one's", "someone's", "a")),
    "pron": (False, ("i", "you", "he", "she", "they", "we", "me", "him", "her", "them", "us", "it", "someone",
                     "somebody", "people", "parents")),
    "any": (False, ()),
}
_DETERMINERS = {"a", "an", "the"}
_BE = r"(?:[ \-]{1,3}(?:am|is|are|was|were|be|been|being|isn't|aren't|wasn't|weren't)|'(?:s|re|m))"
_BE_WORD = r"(?:am|is|are|was|were|be|been|being|isn't|aren't|wasn't|weren't)"
SEPARATOR = r"[ \-]{1,3}"  # prose has one space wherever the text had white space
_POS = {"verb": "VERB", "noun": "NOUN", "adj": "ADJ", "adv": "ADV"}


class PhraseError(ValueError):
    """A phrase that cannot be read (an unknown slot, an empty alternative)."""


@dataclass
class _Element:
    pattern: str
    optional: bool
    glued: bool = False  # brings its own separator (a form of "be" may be a contraction)


@functools.lru_cache(maxsize=None)
def word_forms(word: str, pos: str | None = None) -> tuple[str, ...]:
    """``word`` and its inflections, longest first. A word lemminflect does not know as a base
    form stays as it is, plus a plural -s for a noun-like word of letters only."""
    lowered = word.lower()
    if not lowered.isalpha():
        return (lowered,)
    import lemminflect  # imported the first time a rule is made: its tables take a tenth of a second

    found = {lowered}
    tables = lemminflect.getAllInflections(lowered, upos=_POS[pos]) if pos else lemminflect.getAllInflections(lowered)
    for forms in tables.values():
        found.update(f.lower() for f in forms)
    if len(found) == 1 and pos in (None, "noun") and len(lowered) > 4 and not lowered.endswith("s") and \
            not lemminflect.getAllLemmas(lowered):  # a word it does not know at all, not a form of another
        found.update(f.lower() for f in lemminflect.getAllInflectionsOOV(lowered, upos="NOUN").get("NNS", ()))
    return tuple(sorted(found, key=lambda f: (-len(f), f)))


def _word_pattern(word: str) -> str:
    """One written word: its forms, or the word as written (``=word``), hyphens optional."""
    literal = word.startswith("=")
    if literal:
        word = word[1:]
    word, _, pos = word.partition("/")
    if pos and pos not in _POS:
        raise PhraseError(f"'/{pos}' is not a part of speech (verb, noun, adj, adv)")
    if not word:
        raise PhraseError("an empty word")
    if "-" in word and not literal:
        head, _, last = word.rpartition("-")
        heads = "".join(re.escape(part) + "[ \\-]?" for part in head.split("-"))
        return heads + _alternatives(word_forms(last, pos or None))
    if literal:
        return re.escape(word.lower()).replace("'", "'")
    return _alternatives(word_forms(word, pos or None))


def _alternatives(forms) -> str:
    escaped = [re.escape(f) for f in forms]
    return escaped[0] if len(escaped) == 1 else "(?:" + "|".join(escaped) + ")"


def _slot(name: str) -> _Element:
    optional = name.endswith("?")
    name = name.rstrip("?")
    if name == "be":
        return _Element(_BE, optional, glued=True)
    if name not in SLOTS:
        raise PhraseError(f"'{{{name}}}' is not a slot ({', '.join('{' + s + '}' for s in [*SLOTS, 'be'])})")
    default_optional, words = SLOTS[name]
    if name == "any":
        return _Element(r"[a-z0-9']+", optional)
    pattern = "(?:" + "|".join(re.escape(w).replace("\\ ", SEPARATOR) for w in sorted(words, key=len, reverse=True)) + ")"
    return _Element(pattern, optional or default_optional)


_TOKENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\S+")


def _group(body: str) -> str:
    """``(a bit|kind of)``: alternatives of one word or more, each with its forms."""
    choices = [c.strip() for c in body.split("|")]
    if any(not c for c in choices):
        raise PhraseError(f"'({body})' has an empty alternative")
    patterns = []
    for choice in choices:
        parts = _elements(choice)
        if any(p.optional or p.glued for p in parts):
            raise PhraseError(f"'({body})': slots and optional words do not go inside ( )")
        patterns.append(SEPARATOR.join(p.pattern for p in parts))
    return "(?:" + "|".join(patterns) + ")"


def _elements(phrase: str) -> list[_Element]:
    elements: list[_Element] = []
    for token in _TOKENS.findall(phrase):
        optional = token.startswith("[") and token.endswith("]")
        if optional:
            token = token[1:-1].strip()
        if token.startswith("(") and token.endswith(")"):
            elements.append(_Element(_group(token[1:-1]), optional))
            continue
        if " " in token:
            parts = _elements(token)
            if any(p.optional or p.glued for p in parts):
                raise PhraseError(f"'[{token}]': slots and optional words do not go inside [ ]")
            elements.append(_Element(SEPARATOR.join(p.pattern for p in parts), optional))
            continue
        if token.startswith("{") and token.endswith("}"):
            element = _slot(token[1:-1])
            element.optional = element.optional or optional
            elements.append(element)
            continue
        choices = token.split("|")
        if any(not c for c in choices):
            raise PhraseError(f"'{token}' has an empty alternative")
        if all(c.lower() in _DETERMINERS for c in choices):
            element = _slot("det")  # any determiner, and one must be there unless the word is in [ ]
            element.optional = optional
            elements.append(element)
            continue
        elements.append(_Element(_alternatives_of(choices), optional))
    return elements


def _alternatives_of(choices: list[str]) -> str:
    patterns = [_word_pattern(c) for c in choices]
    return patterns[0] if len(patterns) == 1 else "(?:" + "|".join(patterns) + ")"


@functools.lru_cache(maxsize=None)
def compile_phrase(phrase: str) -> str:
    """The regular-expression fragment (for the engine's ``\\b(?:…)\\b``) that ``phrase`` stands for."""
    elements = _elements(phrase.strip())
    while elements and elements[0].optional:
        elements.pop(0)
    while elements and elements[-1].optional:
        elements.pop()
    if not elements:
        raise PhraseError("a phrase needs at least one word that must be there")
    first = elements[0]
    out = [_BE_WORD if first.glued else first.pattern]
    for element in elements[1:]:
        piece = element.pattern if element.glued else SEPARATOR + element.pattern
        out.append(f"(?:{piece})?" if element.optional else piece)
    return "".join(out)
