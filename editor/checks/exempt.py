"""Exemptions, applied once to all the findings of an entry's checks: exemption comments
(``<!-- malone-disable... -->``, see README: exemption comments) and tone.yaml's ``allow``."""
from __future__ import annotations

import bisect
import functools
import re

from editor.checks import CheckContext
from editor.checks.registry import ALLOW_SPAN, ALLOW_WORD, ALWAYS, NEVER, Check, category
from editor.checks.view import EntryView
from editor.findings import Finding


def unexempted(view: EntryView, ctx: CheckContext, produced: list[tuple[Check, list[Finding]]]):
    """Each check's findings less those exempted, the one place exemptions apply: by an exemption
    comment covering the finding's line (README: exemption comments), where the check's
    ``exemptions`` allow it; by tone.yaml's ``allow``, where the check's ``allow`` says how."""
    if not any(check.exemptions != NEVER or check.allow for check, _ in produced):
        return produced
    lines = view.prose.exemptions
    allowed = ctx.ruleset.allowed if ctx.ruleset is not None else set()
    if not lines and not allowed:
        return produced
    spans: tuple[list[int], list[int]] | None = None
    kept = []
    for check, found in produced:
        commented = check.exemptions != NEVER and bool(lines)
        by_allow = check.allow if allowed else None
        if not commented and by_allow is None:
            kept.append((check, found))
            continue
        left = []
        for finding in found:
            if commented and (check.exemptions == ALWAYS or category(finding.category).exemptible) \
                    and lines.covers(view.body_line(finding), finding.rule):
                continue
            if by_allow == ALLOW_SPAN:
                if spans is None:
                    spans = _allowed_spans(view, allowed)
                start, end = view.offsets(finding)
                index = bisect.bisect_right(spans[0], start) - 1
                if index >= 0 and spans[1][index] >= end:
                    continue  # an allowed term that starts at or before the finding reaches past its end
            elif by_allow == ALLOW_WORD:
                start, end = view.offsets(finding)
                word = view.prose.text_at(start, end).lower()
                if word in allowed or ("'" in word and word.split("'")[0] in allowed):
                    continue  # an allowed word, or a contraction of one
            left.append(finding)
        kept.append((check, left))
    return kept


def _allowed_spans(view: EntryView, allowed: set[str]) -> tuple[list[int], list[int]]:
    """Body spans of tone.yaml's allowed terms in the prose: their starts in order, and for each the
    furthest end of any span starting there or before (so one look says whether a span holds a finding)."""
    prose = view.prose
    spans = sorted(prose.source_span(*m.span()) for m in _allowed_pattern(tuple(sorted(allowed))).finditer(prose.text))
    reach, furthest = [], -1
    for _, end in spans:
        furthest = max(furthest, end)
        reach.append(furthest)
    return [start for start, _ in spans], reach


@functools.lru_cache(maxsize=8)
def _allowed_pattern(terms: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\b", re.I)
