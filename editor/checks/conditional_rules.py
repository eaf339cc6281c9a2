"""The conditional-rule engine: every conditional rule (when the prose mentions its ``if:``, the
entry must give one of its ``then:`` resources). The built-in one is safety: an entry that
mentions suicide or self-harm must give a crisis resource (content.yaml's ``crisis_resources``),
an in-app link to it, or its text (``988``)."""
from __future__ import annotations

import re

from editor.checks import CheckContext, prose_finding
from editor.checks.view import EntryView
from editor.content.links import is_in_app, parse_in_app
from editor.content.prose import Prose
from editor.findings import Finding

_OPENING = "(\"'“‘["
_CLOSING = ".,;:!?)\"'”’]"


def _in_app(target: str) -> tuple | None:
    parsed = parse_in_app(target.strip(), None)
    return (parsed.tab, parsed.module, parsed.section) if parsed.ok else None


def gives_resource(view: EntryView, resources: list[str]) -> bool:
    """The reader sees one of ``resources``: as a whole word or number in the text (so "$988" and
    "9880" do not count), or as a link the app shows whose target, as the app opens it, leads there
    (in-app links compared by their parts, so their order and ``&amp;`` do not matter; a tel: or
    sms: link to a listed number counts). Comments, unused definitions, alt texts and titles
    count for nothing."""
    prose: Prose = view.prose
    links = [link for link in view.body.links if link.rendered and link.kind != "image"]
    flow = None
    for resource in resources:
        resource = resource.strip()
        if not resource:
            continue
        if is_in_app(resource):
            wanted = _in_app(resource)
            if wanted is None:
                continue
            for link in links:
                if is_in_app(link.target.strip()):
                    found = _in_app(link.target)
                    if found is not None and found[:2] == wanted[:2] and wanted[2] in (None, found[2]):
                        return True
            continue
        if flow is None:
            flow = prose.flow
        words = re.escape(resource).replace("\\ ", " ")
        if re.search(r"(?:^|(?<=[\s" + re.escape(_OPENING) + r"]))" + words + r"(?=$|[\s" + re.escape(_CLOSING) + "])",
                     flow, re.I):
            return True
        number = re.sub(r"[\s\-().]", "", resource)
        if number.isdigit():
            for link in links:
                scheme, _, rest = link.target.strip().partition(":")
                if scheme.lower() in ("tel", "sms") and re.sub(r"[\s\-().+]", "", rest.split("?")[0]) == number:
                    return True
    return False


def check(view: EntryView, ctx: CheckContext) -> list[Finding]:
    ruleset = ctx.ruleset
    if ruleset is None:
        return []
    prose = view.prose
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
        if not resources or gives_resource(view, resources):
            continue
        findings.append(prose_finding(view, mention.start(), mention.end(), rule.category, rule.id,
                                      ruleset.severity(rule.id, rule.severity), rule.message))
    return findings
