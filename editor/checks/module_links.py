"""Module links: in-app links in the body and the ``module`` key, against modules.yaml."""
from __future__ import annotations

from editor.checks import CheckContext, span_finding
from editor.checks.view import EntryView
from editor.content.links import is_in_app, parse_in_app
from editor.content.schemas import closest
from editor.findings import Finding

CATEGORY = "module-link"


def check(view: EntryView, ctx: CheckContext) -> list[Finding]:
    entry = view.entry
    findings: list[Finding] = []
    registry = ctx.registry
    module = entry.meta.get("module")
    if registry is not None and isinstance(module, str) and module and module not in registry.modules:
        span = entry.frontmatter.span_for(("module",))
        findings.append(Finding(entry.path, span.line, span.column, span.end_line, span.end_column, CATEGORY,
                                "unknown-module", "error", f"No module '{module}' in modules.yaml",
                                closest(module, list(registry.modules))))
    for link in view.body.links:
        if not is_in_app(link.target):
            continue
        for problem in parse_in_app(link.target, registry).problems:
            findings.append(span_finding(entry, link.start + problem.start, link.start + problem.end, CATEGORY,
                                         problem.rule, problem.severity, problem.message, problem.suggestion))
    return findings
