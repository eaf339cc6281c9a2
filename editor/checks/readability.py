"""Readability: Flesch-Kincaid grade of the answer's prose, and overlong sentences.

Computed here rather than with textstat (whose releases from 0.7.9 download NLTK data on first
use, which fails offline). Prose only: headings, link targets, URLs, code and the frontmatter are
left out (see ``editor.content.prose``); the ``A:`` marker is not a word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from editor.checks import CheckContext, span_finding
from editor.content.entry import Entry
from editor.content.prose import Prose
from editor.findings import Finding

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


def _total(sentences) -> tuple[int, int]:
    """Words and syllables of ``sentences``."""
    words = [w for s in sentences for w in s.words]
    return len(words), sum(map(_COUNTS.__getitem__, words))


def stats(prose: Prose) -> Stats:
    sentences = prose.sentences()
    words, total = _total(sentences)
    return Stats(words, len(sentences), total)


def check_entry(entry: Entry, prose: Prose, ctx: CheckContext) -> list[Finding]:
    ruleset = ctx.ruleset
    if ruleset is None:
        return []
    findings: list[Finding] = []
    sentences = None
    for rule in ruleset.of_kind("readability", "sentence-length"):
        if sentences is None:
            sentences = prose.sentences()
        if rule.kind == "readability":
            limit = ctx.settings.max_grade if rule.max_grade in (None, "from_settings") and ctx.settings else \
                (rule.max_grade if isinstance(rule.max_grade, (int, float)) else 8)
            words, total = _total(sentences)
            if words < 30 or prose.answer_start is None:
                continue  # too little prose for a meaningful grade
            grade = Stats(words, len(sentences), total).grade
            if grade > limit and not prose.exemptions.covers(_line(prose, prose.answer_start), rule.id):
                start = prose.answer_start
                end = prose.text.find("\n", start)
                message = rule.message.replace("{grade}", f"{grade:.1f}").replace("{max}", f"{limit:g}")
                findings.append(span_finding(entry, start, end if end > start else start + 1, rule.category,
                                             rule.id, ruleset.severity(rule.id, rule.severity), message))
        else:
            limit = rule.max_words or 35
            for sentence in sentences:
                if len(sentence.words) > limit and not prose.exemptions.covers(_line(prose, sentence.start), rule.id):
                    message = rule.message.replace("{words}", str(len(sentence.words))).replace("{max}", str(limit))
                    findings.append(span_finding(entry, sentence.start, sentence.end, rule.category, rule.id,
                                                 ruleset.severity(rule.id, rule.severity), message))
    return findings


def _line(prose: Prose, offset: int) -> int:
    return prose.text.count("\n", 0, offset)
