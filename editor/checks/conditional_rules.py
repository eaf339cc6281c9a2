"""The conditional-rule engine: every conditional rule (when the prose mentions its ``if:``, the
entry must give one of its ``then:`` resources). The built-in one is safety: an entry that
mentions suicide or self-harm must give a crisis resource (content.yaml's ``crisis_resources``),
an in-app link to it, or its text (``988``)."""
from __future__ import annotations

import re

from editor.checks import CheckContext, span_finding
from editor.checks.view import EntryView
from editor.content.entry import Entry
from editor.findings import Finding


def has_resource(entry: Entry, resources: list[str]) -> bool:
    body = entry.body
    targets = [link.target for link in entry.parsed_body().links]
    for resource in resources:
        if resource.startswith("?"):
            if any(t == resource or t.startswith(resource + "&") for t in targets):
                return True
        elif re.search(r"(?<!\w)" + re.escape(resource) + r"(?!\w)", body, re.I):
            return True
    return False


def check(view: EntryView, ctx: CheckContext) -> list[Finding]:
    ruleset = ctx.ruleset
    if ruleset is None:
        return []
    entry, prose = view.entry, view.prose
    findings: list[Finding] = []
    mentions: dict[str, re.Match] = {}
    for position, rule in ruleset.condition_index().candidates(prose.text, view.words):
        found = rule.condition.search(prose.text) if position is None else rule.condition.match(prose.text, position)
        if found and (rule.id not in mentions or found.start() < mentions[rule.id].start()):
            mentions[rule.id] = found
    for rule in ruleset.of_kind("conditional"):
        mention = mentions.get(rule.id)
        if mention is None:
            continue
        if rule.then == "crisis_resources":
            resources = ctx.settings.crisis_resources if ctx.settings else []
        else:
            resources = [str(r) for r in rule.then or []]
        if not resources or has_resource(entry, resources):
            continue
        findings.append(span_finding(entry, mention.start(), mention.end(), rule.category, rule.id,
                                     ruleset.severity(rule.id, rule.severity), rule.message))
    return findings
