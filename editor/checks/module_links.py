"""Module links: in-app links in the body and the ``module`` key, against modules.yaml.

Links are read from the document model, as the app opens them: a reference link is checked at its
definition, once; an unused definition gets a note (nothing the reader sees uses it); a raw HTML
``<a href>`` is not a link in the app, which shows HTML as text."""
from __future__ import annotations

from editor.checks import CheckContext, span_finding
from editor.checks.view import EntryView
from editor.content.links import is_in_app, parse_in_app
from editor.content.markdown import Link
from editor.content.schemas import closest
from editor.findings import Finding, excerpt

CATEGORY = "module-link"


def check(view: EntryView, ctx: CheckContext) -> list[Finding]:
    entry = view.entry
    findings: list[Finding] = []
    registry = ctx.registry
    module = entry.meta.get("module")
    if registry is not None and isinstance(module, str) and module and module not in registry.modules:
        span = entry.frontmatter.span_for(("module",))
        findings.append(Finding(entry.path, span.line, span.column, span.end_line, span.end_column, CATEGORY,
                                "unknown-module", "error", f"No module '{excerpt(module)}' in modules.yaml",
                                closest(module, list(registry.modules))))
    body = view.body
    for link in body.targets():
        if link.kind == "html":
            findings.append(raw_html_link(view, link, CATEGORY if is_in_app(link.target.strip()) else "external-link"))
            continue
        if not is_in_app(link.target.strip()):
            continue
        for problem in parse_in_app(link.target.strip(), registry).problems:
            start, end = link.place(problem.start, problem.end)
            findings.append(span_finding(entry, start, end, CATEGORY, problem.rule, problem.severity, problem.message,
                                         problem.suggestion if link.raw == link.target else None))
    for definition in body.definitions:
        if not definition.used:
            findings.append(span_finding(entry, definition.span[0], definition.span[1],
                                         CATEGORY if is_in_app(definition.target) else "external-link",
                                         "unused-reference", "info",
                                         f"Nothing uses the link definition [{excerpt(definition.raw_label)}]: readers never "
                                         "see it, and its target is not checked"))
    return findings


def raw_html_link(view: EntryView, link: Link, category: str) -> Finding:
    return span_finding(view.entry, link.span[0], link.span[1], category, "raw-html-link", "error",
                        "The app shows HTML as plain text, so this is not a link: readers would see the tag. "
                        "Write it as [text](target)")
