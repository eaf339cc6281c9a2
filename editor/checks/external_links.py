"""External links, offline part: safe schemes, well-formed addresses, https."""
from __future__ import annotations

from editor.checks import CheckContext, span_finding
from editor.checks.view import EntryView
from editor.content.links import check_web_target, is_in_app
from editor.findings import Finding

CATEGORY = "external-link"


def check(view: EntryView, ctx: CheckContext) -> list[Finding]:
    entry = view.entry
    findings: list[Finding] = []
    for link in view.body.targets():  # as the app opens them (see editor.content.markdown)
        target = link.target
        if link.kind == "html" or is_in_app(target.strip()):
            continue  # raw HTML anchors: module_links says the app shows them as text
        for problem in check_web_target(target.strip()):
            start, end = link.place(problem.start, problem.end)
            findings.append(span_finding(entry, start, end, CATEGORY, problem.rule, problem.severity, problem.message,
                                         problem.suggestion if link.raw == target else None))
    sources = entry.meta.get("sources")
    if isinstance(sources, list) and entry.frontmatter is not None:
        for index, url in enumerate(sources):
            if not isinstance(url, str):
                continue  # the schema reports it
            span = entry.frontmatter.span_for(("sources", index))
            # offsets inside a quoted scalar start one character later
            shift = 1 if span.end_column - span.column == len(url) + 2 else 0
            for problem in check_web_target(url):
                line = span.line
                findings.append(Finding(entry.path, line, span.column + shift + problem.start, line,
                                        span.column + shift + max(problem.end, problem.start + 1), CATEGORY,
                                        problem.rule, problem.severity, problem.message, problem.suggestion))
    return findings
