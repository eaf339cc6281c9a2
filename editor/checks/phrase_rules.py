"""The phrase-rule engine: every existence and substitution rule over the prose, whatever the
rule's category (most are tone: judgmental, stigmatising, minimising or shaming wording), with the
context that keeps careful writing from being flagged (the reader's question, quotes, listed
exceptions, negation)."""
from __future__ import annotations

import re

from editor.checks import CheckContext, budget, prose_finding
from editor.checks.context import excused
from editor.checks.rules import Matcher, Rule
from editor.checks.view import EntryView
from editor.content.prose import Prose
from editor.findings import Finding, excerpt

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
    budget.within(len(tried), "phrase-rules")  # each is judged in its sentence: a million would take an hour
    findings: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    taken: dict[str, int] = {}  # rule -> where its last finding ends: one finding for overlapping matches
    for rule, matcher, match in sorted(tried, key=lambda t: (t[2].start(), -t[2].end())):
        start, end = match.span()
        if (rule.id, start) in seen or start < taken.get(rule.id, -1):
            continue
        seen.add((rule.id, start))
        if _skipped(rule, match, prose, text):
            continue
        taken[rule.id] = end
        message = rule.message.replace("{match}", excerpt(match.group(0)))
        findings.append(prose_finding(view, start, end, rule.category, rule.id,
                                     ruleset.severity(rule.id, rule.severity), message,
                                     _suggestion(matcher.replacement, match.group(0))))
    return findings


def _skipped(rule: Rule, match: re.Match, prose: Prose, text: str) -> bool:
    """The match's context keeps careful writing quiet: the rule's listed exceptions (compounds,
    literal senses) and the context mechanisms it switches on. (Exemption comments and tone.yaml's
    ``allow`` are not context: the runner applies them to every check's findings.)"""
    start, end = match.span()
    if rule.exceptions is not None:
        # only near the match: an exception that overlaps it starts or ends within this window
        near = [m.span() for m in rule.exceptions.finditer(text, max(0, start - 120), min(len(text), end + 120))]
        if any(e_start < end and start < e_end for e_start, e_end in near):
            return True
    return excused(rule.context, prose, start, end)
