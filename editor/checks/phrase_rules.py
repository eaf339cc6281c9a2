"""The phrase-rule engine: every existence and substitution rule over the prose, whatever the
rule's category (most are tone: judgmental, stigmatising, minimising or shaming wording), with the
context that keeps careful writing from being flagged (the reader's question, quotes, listed
exceptions, negation)."""
from __future__ import annotations

import re

from editor.checks import CheckContext, prose_finding
from editor.checks.rules import Matcher, Rule
from editor.checks.view import EntryView
from editor.content.prose import Prose
from editor.findings import Finding

_NEGATION_WORDS = {"not", "no", "never", "nobody", "none", "nothing", "neither", "nor", "without", "hardly",
                   "cannot"}
_NEGATION_PHRASES = re.compile(r"(?:does|do|did|will|would|could|should|is|are|was|were)(?:n['\u2019]t| not)\s+"
                               r"(?:make|makes|mean|means)\s+(?:you|her|him|them|me|us)?\s*$", re.I)
_SENTENCE_BREAK = re.compile(r"[.!?;:]\s|\n")  # the prose parts blocks with a line break
_WORD = re.compile(r"[\w'\u2019]+")


def negated(text: str, start: int) -> bool:
    """A negation up to four words before ``start``, in the same sentence."""
    window = text[max(0, start - 80):start]
    breaks = list(_SENTENCE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    if _NEGATION_PHRASES.search(window):
        return True
    for word in _WORD.findall(window)[-4:]:
        lowered = word.lower()
        if lowered in _NEGATION_WORDS or lowered.endswith(("n't", "n\u2019t")):
            return True
    return False


def _suggestion(replacement: str | None, matched: str) -> str | None:
    if replacement is None:
        return None
    if matched[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def check(view: EntryView, ctx: CheckContext) -> list[Finding]:
    ruleset = ctx.ruleset
    if ruleset is None:
        return []
    prose = view.prose
    text = prose.text
    tried: list[tuple[Rule, Matcher, re.Match]] = []
    for position, (rule, matcher) in ruleset.pattern_index().candidates(text, view.words):
        if position is None:
            tried.extend((rule, matcher, match) for match in matcher.pattern.finditer(text))
            continue
        match = matcher.pattern.match(text, position)
        if match:
            tried.append((rule, matcher, match))
    findings: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    exception_spans: dict[str, list[tuple[int, int]]] = {}
    for rule, matcher, match in sorted(tried, key=lambda t: t[2].start()):
        start, end = match.span()
        if (rule.id, start) in seen:
            continue
        seen.add((rule.id, start))
        if _skipped(rule, match, prose, exception_spans, text):
            continue
        message = rule.message.replace("{match}", match.group(0))
        findings.append(prose_finding(view, start, end, rule.category, rule.id,
                                     ruleset.severity(rule.id, rule.severity), message,
                                     _suggestion(matcher.replacement, match.group(0))))
    return findings


def _skipped(rule: Rule, match: re.Match, prose: Prose, exception_spans, text: str) -> bool:
    """The match's context keeps careful writing quiet. (Exemption comments and tone.yaml's
    ``allow`` are not context: the runner applies them to every check's findings.)"""
    start, end = match.span()
    if rule.skip_question and prose.in_question(start):
        return True
    if rule.skip_quoted and prose.in_quotes(start, end):
        return True
    if rule.exceptions is not None:
        if rule.id not in exception_spans:
            exception_spans[rule.id] = [m.span() for m in rule.exceptions.finditer(text)]
        if any(e_start <= start and end <= e_end for e_start, e_end in exception_spans[rule.id]):
            return True
    if rule.unless_negated and negated(text, start):
        return True
    return False
