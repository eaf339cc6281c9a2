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
_BE = r"(?:[ \-]{1,3}(?:am|is|are|was|were|be|been|being)|'(?:s|re|m))"
_BE_WORDS = ("am", "is", "are", "was", "were", "be", "been", "being")  # not "isn't": that negates the phrase
_BE_WORD = "(?:" + "|".join(_BE_WORDS) + ")"
SEPARATOR = r"[ \-]{1,3}"  # prose has one space wherever the text had white space
_POS = {"verb": "VERB", "noun": "NOUN", "adj": "ADJ", "adv": "ADV"}


class PhraseError(ValueError):
    """A phrase that cannot be read (an unknown slot, an empty alternative)."""


@dataclass
class _Element:
    pattern: str
    optional: bool
    glued: bool = False  # brings its own separator (a form of "be" may be a contraction)
    starts: frozenset[str] | None = None  # the words a match of it begins with, if they can be listed
    slot: bool = False  # a slot ({det}, {be} …): its words are in nearly every text
    choices: tuple[tuple["_Element", ...], ...] | None = None  # a ( | ) group's alternatives, word by word


class _FormsCache:
    """Word forms already made, kept in the user's cache folder (named after lemminflect's version):
    loading lemminflect's tables takes a second, reading the forms of the built-in rules' 700 words
    a few milliseconds. A cache that cannot be read or written only makes the next start slower."""

    def __init__(self) -> None:
        self.forms: dict[str, list[str]] | None = None
        self.changed = False

    def path(self):
        from editor.dist_versions import version
        from editor.resources import user_cache_dir

        return user_cache_dir() / f"word-forms-{version('lemminflect')}.json"

    def load(self) -> dict[str, list[str]]:
        if self.forms is None:
            import json

            try:
                loaded = json.loads(self.path().read_text(encoding="utf-8"))
                self.forms = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                self.forms = {}
        return self.forms

    def save(self) -> None:
        if not self.changed or self.forms is None:
            return
        import json

        from editor.content.atomic import write_atomically

        try:
            path = self.path()
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, json.dumps(self.forms, sort_keys=True).encode("utf-8"), durable=False)
            self.changed = False
        except OSError:
            pass


FORMS = _FormsCache()


@functools.lru_cache(maxsize=None)
def word_forms(word: str, pos: str | None = None) -> tuple[str, ...]:
    """``word`` and its inflections, longest first. A word lemminflect does not know as a base
    form stays as it is, plus a plural -s for a noun-like word of letters only."""
    lowered = word.lower()
    if not lowered.isalpha():
        return (lowered,)
    key = f"{lowered}/{pos or ''}"
    cached = FORMS.load().get(key)
    if isinstance(cached, list) and all(isinstance(f, str) for f in cached):
        return tuple(cached)
    forms = _made_forms(lowered, pos)
    FORMS.forms[key] = list(forms)
    FORMS.changed = True
    return forms


def _made_forms(lowered: str, pos: str | None) -> tuple[str, ...]:
    import lemminflect  # only for words not made before: its tables take a second to load

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
        # "s", "re", "m": the index's loose view parts "she's" into "she" and "s"
        return _Element(_BE, optional, glued=True, starts=_first_words(_BE_WORDS + ("s", "re", "m")), slot=True)
    if name not in SLOTS:
        raise PhraseError(f"'{{{name}}}' is not a slot ({', '.join('{' + s + '}' for s in [*SLOTS, 'be'])})")
    default_optional, words = SLOTS[name]
    if name == "any":
        return _Element(r"[a-z0-9']+", optional, slot=True)
    pattern = "(?:" + "|".join(re.escape(w).replace("\\ ", SEPARATOR) for w in sorted(words, key=len, reverse=True)) + ")"
    return _Element(pattern, optional or default_optional, starts=_first_words(words), slot=True)


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
            starts: set[str] | None = set()
            choices = []
            for choice in token[1:-1].split("|"):
                parts = _elements(choice.strip()) if choice.strip() else []
                choices.append(tuple(parts))
                first = parts[:1]
                if not first or first[0].starts is None or starts is None:
                    starts = None
                else:
                    starts |= first[0].starts
            elements.append(_Element(_group(token[1:-1]), optional,
                                     starts=frozenset(starts) if starts is not None else None,
                                     choices=tuple(choices)))
            continue
        if " " in token:
            parts = _elements(token)
            if any(p.optional or p.glued for p in parts):
                raise PhraseError(f"'[{token}]': slots and optional words do not go inside [ ]")
            elements.append(_Element(SEPARATOR.join(p.pattern for p in parts), optional, starts=parts[0].starts))
            continue
        if token.startswith("{") and token.endswith("}") and token.count("{") == 1 and token.count("}") == 1:
            element = _slot(token[1:-1])
            element.optional = element.optional or optional
            elements.append(element)
            continue
        if any(mark in token for mark in "[](){}"):
            raise PhraseError(f"'{token}' has a bracket that is not closed, or one inside a word")
        choices = token.split("|")
        if any(not c for c in choices):
            raise PhraseError(f"'{token}' has an empty alternative")
        if all(c.lower() in _DETERMINERS for c in choices):
            element = _slot("det")  # any determiner, and one must be there unless the word is in [ ]
            element.optional = optional
            elements.append(element)
            continue
        elements.append(_Element(_alternatives_of(choices), optional, starts=_starts_of(choices)))
    return elements


def _alternatives_of(choices: list[str]) -> str:
    patterns = [_word_pattern(c) for c in choices]
    return patterns[0] if len(patterns) == 1 else "(?:" + "|".join(patterns) + ")"


_PLAIN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")  # a word as the index's words have it (accents kept)


def _starts_of(choices: list[str]) -> frozenset[str] | None:
    """The words a match of these written choices begins with (None when a choice has a hyphen,
    whose match may run the word together with the next)."""
    found: set[str] = set()
    for choice in choices:
        literal = choice.startswith("=")
        word, _, pos = choice.lstrip("=").partition("/")
        word = word.lower()
        if "-" in word and not literal:  # "self-harm": "self harm", "self-harm" or "selfharm"
            head, _, last = word.partition("-")
            if "-" in last:
                return None
            forms = [head] + [head + form for form in word_forms(last, pos or None)]
        else:
            forms = [word] if literal else list(word_forms(word, pos or None))
        for form in forms:
            form = form.split("-")[0]  # a form with a hyphen ("mid-wives"): the index's words part there
            if not _PLAIN.fullmatch(form):
                return None
            found.add(form)
    return frozenset(found)


def _first_words(words) -> frozenset[str] | None:
    firsts = {w.split()[0].lower() for w in words}
    return frozenset(firsts) if all(_PLAIN.fullmatch(w) for w in firsts) else None


def compile_phrase(phrase: str) -> str:
    """The regular-expression fragment (for the engine's ``\\b(?:…)\\b``) that ``phrase`` stands for."""
    return compiled(phrase).fragment


@dataclass(frozen=True)
class Compiled:
    fragment: str
    keys: frozenset[str] | None  # the words (or pairs) every match begins with; None: unknown
    required: tuple[frozenset[str], ...]  # for each later word it must have, that word's forms


@functools.lru_cache(maxsize=None)
def compiled(phrase: str) -> Compiled:
    """``phrase``'s fragment; the words every match of it begins with, and the words it must
    contain further on (for the pattern index: a phrase is only tried where they all are)."""
    elements = _elements(phrase.strip())
    if sum(e.optional for e in elements) > 8:
        raise PhraseError("a phrase may have at most 8 optional words or slots (more makes matching slow)")
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
    required = tuple(e.starts for e in elements[1:] if not e.optional and not e.slot and e.starts is not None)
    return Compiled("".join(out), _index_keys(elements), required)


_COMMON = frozenset({"a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "their", "our",
                     "its", "some", "any", "one", "such", "i", "you", "he", "she", "they", "we", "it", "me", "him",
                     "them", "us", "am", "is", "are", "was", "were", "be", "been", "being", "so", "very", "just",
                     "to", "of", "in", "on", "for", "and", "or", "not", "no", "at", "as", "with", "by"})


def _index_keys(elements: list[_Element]) -> frozenset[str] | None:
    """What the pattern index files the phrase under: its first words, or, when a first word is one
    of the commonest ("a", "you", "is"), the pairs of first and next word (a space between), so a
    phrase is not tried at every "a" of an entry. None when the words cannot be listed. A group
    first ("(you are|you're) ...") is keyed choice by choice: a choice of two words or more brings
    its own second word."""
    head = elements[0]
    if head.choices is not None and any(len(choice) > 1 for choice in head.choices):
        keys: set[str] = set()
        for choice in head.choices:
            made = _index_keys([*choice, *elements[1:]])
            if made is None:
                return None
            keys |= made
        return frozenset(keys) if len(keys) <= 3000 else head.starts
    first = elements[0].starts
    if first is None:
        return None
    if first.isdisjoint(_COMMON):
        return first
    seconds: set[str] = set()
    for element in elements[1:]:
        if element.starts is None:
            return first
        seconds |= element.starts
        if not element.optional:
            break
    else:
        return first  # nothing must follow: the first word alone
    pairs = frozenset(f"{a} {b}" for a in first for b in seconds)
    return pairs if len(pairs) <= 3000 else first
