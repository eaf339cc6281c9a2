"""Schema: frontmatter values against schemas/entry.schema.json, duplicate fields and ids."""
from __future__ import annotations

import operator
from typing import NamedTuple

from editor.checks import CheckContext
from editor.checks.view import EntryView
from editor.content.entry import Entry
from editor.content.schemas import validate
from editor.findings import Finding, at

CATEGORY = "schema"


def check(view: EntryView, ctx: CheckContext) -> list[Finding]:
    entry = view.entry
    fm = entry.frontmatter
    if fm is None:
        return [at(entry.path, CATEGORY, "missing-metadata", "warning",
                   "This entry has no metadata: add a frontmatter block with id, module and status", 1, 1)]
    if fm.error is not None or (fm.data is not None and not isinstance(fm.data, dict)):
        return []  # reported as a format problem
    findings: list[Finding] = []
    for key, node in fm.duplicate_keys():
        span = fm.node_span(node)
        findings.append(Finding(entry.path, span.line, span.column, span.end_line, span.end_column, CATEGORY,
                                "duplicate-field", "error", f"Field '{key}' is given twice; only the last one counts"))
    for problem in validate("entry", entry.meta):
        if problem.rule == "missing-field" and not problem.path:
            span_line, span_col, end_col = 1, 1, 4  # the opening '---'
            findings.append(Finding(entry.path, span_line, span_col, span_line, end_col, CATEGORY, problem.rule,
                                    problem.severity, problem.message, problem.suggestion))
            continue
        span = fm.span_for(problem.path, problem.on_key)
        findings.append(Finding(entry.path, span.line, span.column, span.end_line, span.end_column, CATEGORY,
                                problem.rule, problem.severity, problem.message, problem.suggestion))
    return findings


class IdRecord(NamedTuple):
    """Where an entry states its id: enough to compare ids across files checked in other processes
    (a named tuple: a re-check makes one for each of 10,000 cached entries)."""

    path: str
    id: str
    span: tuple[int, int, int, int]


def id_record(entry: Entry) -> IdRecord | None:
    if not entry.readable or not entry.id:
        return None
    span = entry.frontmatter.span_for(("id",))
    return IdRecord(entry.path, entry.id, (span.line, span.column, span.end_line, span.end_column))


_PATH = operator.itemgetter(0)  # a record's path: in C, for the 10,000 records of a re-check


def duplicate_ids(records: list[IdRecord]) -> list[Finding]:
    """Every entry whose id an earlier file (in path order) already uses, naming that file."""
    first: dict[str, str] = {}
    findings = []
    for record in sorted(records, key=_PATH):
        if record.id in first:
            findings.append(Finding(record.path, *record.span, CATEGORY, "duplicate-id", "error",
                                    f"Id '{record.id}' is already used by {first[record.id]}"))
        else:
            first[record.id] = record.path
    return findings
