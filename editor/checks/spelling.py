"""Spelling, offline: pyspellchecker's English word list (US spellings) and the repository's
``dictionary.txt`` (a tone.yaml ``allow`` list is applied by the runner). URLs, link targets, code
and slugs are not prose and are never checked; acronyms (all capitals) and words with digits are
left alone.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from editor.checks import CheckContext, locale_spelling, prose_finding, suggestions
from editor.checks.view import EntryView
from editor.checks.word_list import WordList
from editor.content.atomic import write_atomically
from editor.content.config import read_bytes
from editor.findings import Finding, excerpt

RULE = "misspelling"
CATEGORY = "spelling"
DICTIONARY_FILE = "dictionary.txt"
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")  # letters, accented ones too ("café")
@lru_cache(maxsize=1)
def _checker():
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


BUILT_IN_WORDS = Path(__file__).resolve().parent / "rules" / "words.txt"


@lru_cache(maxsize=4)
def _known_words(locale: str | None = "en-US") -> WordList:
    """The locale's words: the word list and the built-in clinical words, less the spellings of
    the other locale (see ``locale_spelling``), plus this locale's own.

    pyspellchecker's list is a compressed JSON of word frequencies that takes a quarter of a second
    to load; the words alone are kept as plain text in the user's cache folder (named after the
    library's version and our own lists, sorted: ``WordList``), and the checker itself loads only to
    suggest a correction."""
    from editor.resources import user_cache_dir

    own = BUILT_IN_WORDS.read_bytes()
    other, mine = locale_spelling.other_spellings(locale), locale_spelling.own_spellings(locale)
    cached = user_cache_dir() / f"words-{_tag(locale)}.txt"
    try:
        return WordList(cached.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        pass
    extra = {line.strip().lower() for line in own.decode("utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    words = WordList.of((frozenset(_checker().word_frequency.dictionary.keys()) | extra | mine) - other.keys())
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(cached, words.text.encode("utf-8"), durable=False)
    except OSError:
        pass  # only slower next time
    return words


def load_dictionary(root: Path | None, files: dict[str, bytes] | None = None) -> frozenset[str]:
    """The repository's extra words, lowercased; a missing or unreadable file is simply empty. The
    bytes read are recorded in ``files`` (``config.read_bytes``)."""
    if root is None:
        return frozenset()
    try:
        text = read_bytes(root / DICTIONARY_FILE, DICTIONARY_FILE, files).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.lstrip().startswith("#"))


def _tag(locale: str | None) -> str:
    """What a cached word file is made of: our lists, the locale and the word list's version."""
    from editor.dist_versions import version

    return hashlib.blake2b(BUILT_IN_WORDS.read_bytes() + locale_spelling.TABLE.read_bytes() + str(locale).encode() +
                           str(version("pyspellchecker")).encode(), digest_size=10).hexdigest()


@lru_cache(maxsize=4)
def _index(locale: str | None) -> suggestions.Index:
    """The locale's words of letters, commonest first (pyspellchecker's counts), for suggestions:
    kept in the user's cache folder, so the counts (a quarter of a second to load) are read once."""
    from editor.resources import user_cache_dir

    cached = user_cache_dir() / f"ranked-words-{_tag(locale)}.txt"
    try:
        return suggestions.Index(cached.read_text(encoding="utf-8").split("\n"))
    except (OSError, UnicodeDecodeError):
        pass
    counts = _checker().word_frequency.dictionary
    words = sorted((w for w in _known_words(locale) if w.isalpha() and w.isascii() and w.islower()),
                   key=lambda w: (-counts.get(w, 0), w))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(cached, "\n".join(words).encode("utf-8"), durable=False)
    except OSError:
        pass  # only slower next time
    return suggestions.Index(words)


@lru_cache(maxsize=65536)
def suggest(word: str, locale: str | None = "en-US") -> str | None:
    """The correction offered for ``word``: this locale's spelling of a word of the other one, else
    the nearest common word (``suggestions``); once per distinct word and locale in a process."""
    lowered = word.lower()
    if lowered in locale_spelling.pairs():
        best = locale_spelling.pairs()[lowered]
    else:
        best = _index(locale).nearest(lowered)
    if best and word[:1].isupper():
        best = best[:1].upper() + best[1:]
    return best


def _known_contraction(word: str, extra: frozenset[str], locale: str | None) -> bool:
    if "'" not in word:
        return False
    known = _known_words(locale)
    stem = word.split("'")[0]
    return stem in known or stem in extra or word.replace("'", "") in known


def check(view: EntryView, ctx: CheckContext) -> list[Finding]:
    ruleset = ctx.ruleset
    if ruleset is None or not (ruleset.enabled(RULE) or ruleset.enabled(locale_spelling.RULE)):
        return []
    locale = ctx.settings.locale if ctx.settings else "en-US"
    prose = view.prose
    extra = ctx.dictionary
    text = prose.text
    unknown = _known_words(locale).missing(view.words.present - extra)  # the words the phrase rules looked at
    unknown = {w for w in unknown if w.isalpha() or ("'" in w and w.replace("'", "").isalpha())}
    unknown = {w for w in unknown if not _known_contraction(w, extra, locale)}
    if not unknown:
        return []
    other = locale_spelling.other_spellings(locale)
    findings: list[Finding] = []
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        lowered = word.lower().replace("\u2019", "'")
        if lowered not in unknown:
            continue
        if lowered in other:
            if ruleset.enabled(locale_spelling.RULE):
                findings.append(_locale_finding(view, match, word, other[lowered], locale, ruleset))
            continue
        if not ruleset.enabled(RULE) or len(word) < 3 or word.isupper() or \
                (any(c.isupper() for c in word[1:]) and not word.isupper()):
            continue  # short words, acronyms (PTSD) and CamelCase names
        findings.append(prose_finding(view, match.start(), match.end(), CATEGORY, RULE,
                                      ruleset.severity(RULE, "warning"), _message(word, None)))
    return findings


def _locale_finding(view: EntryView, match, word: str, spelling: str, locale: str, ruleset) -> Finding:
    if word[:1].isupper():
        spelling = spelling[:1].upper() + spelling[1:]
    kind = "US" if locale in locale_spelling.US_LOCALES else "British"
    other = "British" if kind == "US" else "US"
    return prose_finding(view, match.start(), match.end(), CATEGORY, locale_spelling.RULE,
                         ruleset.severity(locale_spelling.RULE, "warning"),
                         f"'{excerpt(word)}' is the {other} spelling; this library writes {kind} English ({locale}): "
                         f"'{spelling}'", spelling)


def complete(view: EntryView, ctx: CheckContext, findings: list[Finding]) -> list[Finding]:
    """The findings that no exemption comment or ``allow`` dropped, each with its correction:
    finding one can take a second, so it is not looked for a word that is not reported."""
    done = []
    locale = ctx.settings.locale if ctx.settings else "en-US"
    for finding in findings:
        if finding.rule != RULE:
            done.append(finding)
            continue
        word = view.prose.text_at(*view.offsets(finding))
        suggestion = suggest(word, locale)
        done.append(dataclasses.replace(finding, message=_message(word, suggestion), suggestion=suggestion))
    return done


def _message(word: str, suggestion: str | None) -> str:
    return f"'{excerpt(word)}' may be misspelled" + (f"; did you mean '{suggestion}'?" if suggestion else "") + \
        " (add it to dictionary.txt if it is right)"
