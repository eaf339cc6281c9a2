"""Find where many case-insensitive patterns match, fast: index them by the words they start with.

Language rules are dozens of large alternations. Run one after another over every entry they
cost milliseconds. Read from each compiled pattern which word (or pair of words) every match
must begin with, and the entry's words say which few patterns to try, and where.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _parser
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

DEPTH = 24
_MAX_SET = 4000
_OPEN = "\x00"  # "anything may follow here"
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")  # on lowered text with curly apostrophes made straight
_WORD = _TOKEN


class _Unknown(Exception):
    pass


def prefixes(fragment: str, depth: int = DEPTH) -> set[str] | None:
    """Lowercase strings, one of which begins every match of ``fragment``: complete up to
    ``depth`` characters, or ending in _OPEN where the pattern allows anything next.
    None when the start cannot be told (the pattern may begin with anything)."""
    try:
        result = _sequence(list(_parser.parse(fragment)), {""}, depth)
    except (_Unknown, re.error, RecursionError):
        return None
    if any(p in ("", _OPEN) for p in result) or len(result) > _MAX_SET:
        return None
    return {p.replace("\u2019", "'") for p in result}


KNOWN: dict[str, frozenset[str] | None] = {}  # fragment -> its prefixes, as kept with the built-in rules


def known_prefixes(fragment: str) -> set[str] | frozenset[str] | None:
    """``prefixes(fragment)``, from ``KNOWN`` when the built-in rules' cache had it (``rules_cache``:
    reading a pattern's start costs a fresh process as much as compiling it)."""
    if fragment in KNOWN:
        return KNOWN[fragment]
    return prefixes(fragment)


def _done(prefix: str, depth: int) -> bool:
    return len(prefix) >= depth or prefix.endswith(_OPEN)


def _extend(current: set[str], options: set[str], depth: int) -> set[str]:
    out = {p if _done(p, depth) else (p + o)[:depth] for p in current for o in options}
    if len(out) > _MAX_SET:
        raise _Unknown
    return out


def _sequence(items: list, current: set[str], depth: int) -> set[str]:
    for op, arg in items:
        if all(_done(p, depth) for p in current):
            break
        current = _item(op, arg, current, depth)
    return current


def _chars(arg) -> set[str] | None:
    chars: set[str] = set()
    for kind, value in arg:
        if kind is _c.LITERAL:
            chars.add(chr(value).lower())
        elif kind is _c.CATEGORY and value is _c.CATEGORY_SPACE:
            chars.add(" ")
        elif kind is _c.RANGE and value[1] - value[0] < 12:
            chars.update(chr(c).lower() for c in range(value[0], value[1] + 1))
        else:
            return None
    return chars


def _item(op, arg, current: set[str], depth: int) -> set[str]:
    if op is _c.LITERAL:
        char = chr(arg).lower()
        return _extend(current, {" " if char.isspace() else char}, depth)
    if op is _c.IN:
        chars = _chars(arg)
        return _extend(current, chars if chars is not None else {_OPEN}, depth)
    if op is _c.AT:
        return current  # \b and friends take no characters
    if op is _c.SUBPATTERN:
        return _sequence(list(arg[-1]), current, depth)
    if op is _c.BRANCH:
        out: set[str] = set()
        for branch in arg[1]:
            out |= _sequence(list(branch), set(current), depth)
        if len(out) > _MAX_SET:
            raise _Unknown
        return out
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, high, body = arg
        body = list(body)
        if len(body) == 1 and body[0][0] is _c.IN and (_chars(body[0][1]) or {"x"}) <= {" ", "-"}:
            # runs of white space (or hyphens: the index's words are split at them too) read as one space
            return _extend(current, {" "}, depth) if low else current | _extend(current, {" "}, depth)
        if high is _c.MAXREPEAT or high > depth:
            high = None
        result = set(current) if low == 0 else set()
        step = set(current)
        for count in range(1, (high or depth) + 1):
            step = _sequence(body, step, depth)
            if count >= low:
                result |= step
            if all(_done(p, depth) for p in step):
                break
        if high is None:
            result = {p if _done(p, depth) else p + _OPEN for p in result}
        return result
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return current
    return _extend(current, {_OPEN}, depth)  # anything else: the start is known up to here


class PatternIndex:
    """Patterns by the first word, or first two words, every match of theirs begins with."""

    def __init__(self) -> None:
        self.unigrams: dict[str, list[Any]] = {}
        self.bigrams: dict[str, list[Any]] = {}
        self.partial: dict[str, list[tuple[str, Any]]] = {}  # first 3 letters -> (word prefix, item)
        self.suffixes: dict[str, list[Any]] = {}  # "'m", "'re": matches that start inside a contraction
        self.anywhere: list[Any] = []
        self.required: dict[int, frozenset[str]] = {}
        self._keys: tuple[frozenset[str], ...] | None = None

    def add(self, fragment: str, item: Any, keys: frozenset[str] | None = None,
            required: tuple[frozenset[str], ...] = ()) -> None:
        """``keys``: the words (or pairs of words, a space between) every match begins with, when
        the caller knows them (a rule phrase does); otherwise they are read from the pattern.
        ``required``: for each word a match must contain further on, its forms; the item is not
        offered for a text that lacks one."""
        self._keys = None
        if required:  # one word is enough to rule a text out: the likeliest to be missing, the longest
            self.required[id(item)] = max(required, key=lambda forms: min(map(len, forms)))
        if keys is not None:
            for key in keys:
                (self.bigrams if " " in key else self.unigrams).setdefault(key, []).append(item)
            return
        found = known_prefixes(fragment)
        if found is None:
            self.anywhere.append(item)
            return
        keys: set[tuple[str, str]] = set()
        for prefix in found:
            key = _key(prefix)
            if key is None:
                self.anywhere.append(item)
                return
            keys.add(key)
        for kind, key in keys:
            if kind == "partial":
                self.partial.setdefault(key[:3], []).append((key, item))
            elif kind == "suffix":
                self.suffixes.setdefault(key, []).append(item)
            else:
                (self.unigrams if kind == "uni" else self.bigrams).setdefault(key, []).append(item)

    def candidates(self, text: str, words: "Words | None" = None) -> Iterator[tuple[int | None, Any]]:
        """(offset, item) pairs: try ``item`` at ``offset`` of ``text``; items that may match
        anywhere come with None. Set operations in C pick the few keys the text contains."""
        words = words or Words(text)
        if self._keys is None:
            conditional = frozenset(key for table in (self.unigrams, self.bigrams) for key, items in table.items()
                                    if any(id(item) in self.required for item in items))
            self._keys = (frozenset(self.unigrams), frozenset(self.bigrams),
                          frozenset(key.split(" ", 1)[0] for key in self.bigrams), conditional)
        unigram_keys, bigram_keys, first_words, conditional = self._keys
        lowered = words.lowered
        required, present = self.required, words.keys

        def offered(key: str, items: list[Any]) -> list[Any]:
            if key not in conditional:
                return items
            return [item for item in items if (forms := required.get(id(item))) is None or not forms.isdisjoint(present)]

        for token in words.keys & unigram_keys:
            items = offered(token, self.unigrams[token])
            if items:
                for start in words.occurrences(token):
                    for item in items:
                        yield start, item
        if not words.keys.isdisjoint(first_words):
            # words a pattern may join across more than one space (prose has one space between words)
            spaced_out = "  " in lowered or " -" in lowered or "- " in lowered or "--" in lowered
            seconds: dict[str, list[tuple[str, list[Any]]]] = {}
            padded = words._padded
            for pair in words.pairs & bigram_keys:  # neighbouring words joined and compared in C
                items = offered(pair, self.bigrams[pair])
                if not items:
                    continue
                if spaced_out:
                    first, second = pair.split(" ", 1)
                    seconds.setdefault(first, []).append((second, items))
                    continue
                needle = " " + pair.replace("'", " ") + " "  # the two words side by side: a search in C
                position = padded.find(needle)
                while position >= 0:
                    for item in items:
                        yield position, item
                    position = padded.find(needle, position + 1)
            for first, wanted in seconds.items():
                for start, following in words.followed(first):
                    for second, items in wanted:
                        if second in following:
                            for item in items:
                                yield start, item
        for entries in self.partial.values():
            for start, item in entries:
                position = lowered.find(start)
                while position >= 0:
                    if not position or not lowered[position - 1].isalnum():
                        yield position, item
                    position = lowered.find(start, position + 1)
        if self.suffixes and "'" in lowered:
            for token in words._apostrophe:
                if token[token.index("'"):] not in self.suffixes:
                    continue
                cut = token.index("'")
                for start in words.occurrences(token):
                    for item in self.suffixes[token[cut:]]:
                        yield start + cut, item
        for item in self.anywhere:
            yield None, item


class _WordChars(dict):
    """str.translate table: letters (accented ones too), digits and the apostrophe stay, everything
    else is a space."""

    def __missing__(self, char: int) -> int:
        letter = chr(char)
        keep = letter in "abcdefghijklmnopqrstuvwxyz0123456789'" or (letter.isalnum() and not letter.isascii())
        self[char] = char if keep else 32  # "café" stays one word
        return self[char]


_WORD_CHARS = _WordChars({0x2019: ord("'")})


class Words:
    """The words of a text, once, for every check that looks at them: lowercase, curly apostrophes
    made straight, split in C (translate and split) rather than by a regex scan. An apostrophe
    belongs to a word only between two of its letters ("don't"); any other is a space."""

    def __init__(self, text: str):
        self.lowered = text.lower().replace("\u2019", "'")
        spaced = self.lowered.translate(_WORD_CHARS)
        if "'" in spaced:
            spaced = _STRAY_APOSTROPHE.sub(" ", spaced)  # one character for one: offsets stay
        self._spaced = spaced
        self.tokens = spaced.split()
        self.present = set(self.tokens)
        # a pattern's \b also stops at an inner apostrophe ("addict's"): the index sees both views,
        # the words whole and their pieces ("addict", "s")
        self._apostrophe = [t for t in self.present if "'" in t] if "'" in spaced else []
        self._loose = spaced.replace("'", " ") if self._apostrophe else spaced
        self.keys = self.present.union("'".join(self._apostrophe).split("'")) if self._apostrophe else self.present
        self._padded = " " + self._loose + " "

    def split(self, start: int, end: int) -> list[str]:
        """The words between two offsets (a sentence), as the tokens list has them."""
        return self._spaced[start:end].split()

    @functools.cached_property
    def pairs(self) -> set[str]:
        """Every two neighbouring words, joined by a space, in both views; shared by the indexes."""
        tokens = self.tokens
        found = set(map(" ".join, zip(tokens, tokens[1:])))
        if self._apostrophe:  # the loose view differs only around words with an apostrophe
            last = len(tokens) - 1
            for word in self._apostrophe:
                pieces = word.split("'")
                found.update(map(" ".join, zip(pieces, pieces[1:])))
                index = tokens.index(word)
                while True:
                    if index > 0:
                        found.add(tokens[index - 1].rpartition("'")[2] + " " + pieces[0])
                    if index < last:
                        found.add(pieces[-1] + " " + tokens[index + 1].partition("'")[0])
                    try:
                        index = tokens.index(word, index + 1)
                    except ValueError:
                        break
        return found

    def occurrences(self, token: str) -> Iterator[int]:
        """Offsets where ``token`` stands as a whole word (a pattern's \\b also stops at an inner
        apostrophe): found by a search in C for the word between spaces, so "a" is not tried at
        every letter a."""
        needle = " " + token.replace("'", " ") + " "
        padded = self._padded
        position = padded.find(needle)
        while position >= 0:
            yield position  # the padding's space and the needle's cancel out
            position = padded.find(needle, position + 1)

    def followed(self, first: str) -> Iterator[tuple[int, tuple[str, str]]]:
        """(offset, next word as each view has it) for each whole-word ``first``."""
        spaced, loose = self._spaced, self._loose
        for position in self.occurrences(first):
            after = _GAP.match(loose, position + len(first)).end()
            stop = loose.find(" ", after)
            stop = stop if stop >= 0 else len(loose)
            strict = spaced.find(" ", after)
            yield position, (loose[after:stop], spaced[after:strict if strict >= 0 else len(spaced)])


_STRAY_APOSTROPHE = re.compile(r"'(?:(?<![a-z0-9]')|(?![a-z0-9]))")  # starts with the quote: searched in C
_GAP = re.compile(r" *")


def _key(prefix: str) -> tuple[str, str] | None:
    """What the index files a prefix under: ("uni", word), ("bi", "word word") or ("partial", letters)."""
    if prefix[0] == "'":
        tail = _WORD.match(prefix, 1)
        return ("suffix", "'" + tail.group()) if tail and prefix[tail.end():tail.end() + 1] in (" ", "") else None
    first = _WORD.match(prefix)
    if first is None:
        return None
    word = first.group()
    rest = prefix[len(word):]
    if rest.startswith(_OPEN) or (rest == "" and len(prefix) >= DEPTH):
        return ("partial", word) if len(word) >= 3 else None
    if rest.startswith(" "):
        second = _WORD.match(rest, 1)
        if second is not None:
            after = rest[second.end():]
            if after and not after.startswith(_OPEN) and not after[0].isalnum():
                return "bi", f"{word} {second.group()}"
            if after == "" and len(prefix) < DEPTH:
                return "bi", f"{word} {second.group()}"
    return "uni", word
