"""The metric-rule engine: every readability and sentence-length rule, a measure of the prose
(see ``editor.checks.readability``) against a limit: the answer's reading grade, each sentence's
length in words."""
from __future__ import annotations

from editor.checks import CheckContext, prose_finding
from editor.checks.readability import Stats, totals
from editor.checks.view import EntryView
from editor.findings import Finding


def check(view: EntryView, ctx: CheckContext) -> list[Finding]:
    ruleset = ctx.ruleset
    if ruleset is None:
        return []
    prose = view.prose
    findings: list[Finding] = []
    sentences = None
    for rule in ruleset.of_kind("readability", "sentence-length"):
        if sentences is None:
            sentences = prose.sentences()
        if rule.kind == "readability":
            limit = ctx.settings.max_grade if rule.max_grade in (None, "from_settings") and ctx.settings else \
                (rule.max_grade if isinstance(rule.max_grade, (int, float)) else 8)
            words, total = totals(sentences)
            if words < 30 or prose.answer_start is None:
                continue  # too little prose for a meaningful grade
            grade = Stats(words, len(sentences), total).grade
            if grade > limit:
                start = prose.answer_start
                end = prose.text.find("\n", start)
                message = rule.message.replace("{grade}", f"{grade:.1f}").replace("{max}", f"{limit:g}")
                findings.append(prose_finding(view, start, end if end > start else start + 1, rule.category,
                                             rule.id, ruleset.severity(rule.id, rule.severity), message))
        else:
            limit = rule.max_words or 35
            for sentence in sentences:
                if len(sentence.words) > limit:
                    message = rule.message.replace("{words}", str(len(sentence.words))).replace("{max}", str(limit))
                    findings.append(prose_finding(view, sentence.start, sentence.end, rule.category, rule.id,
                                                 ruleset.severity(rule.id, rule.severity), message))
    return findings
