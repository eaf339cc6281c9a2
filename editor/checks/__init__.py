"""Checks over entries and the repository: ``registry.py`` lists the checks of an entry and the
categories they report under; ``runner.py`` runs them."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from editor.content.config import Registry, Settings
from editor.content.entry import Entry
from editor.findings import Finding

if TYPE_CHECKING:
    from editor.checks.rules import RuleSet


@dataclass
class CheckContext:
    """What entry checks need to know about the repository around the entry."""

    settings: Settings | None
    registry: Registry | None
    today: _dt.date = field(default_factory=_dt.date.today)
    ruleset: "RuleSet | None" = None  # language rules; None skips the checks that need them (registry)
    dictionary: frozenset[str] = frozenset()
    files: dict[str, bytes] = field(default_factory=dict)  # the settings files' bytes the checks used (cache key)


def span_finding(entry: Entry, start: int, end: int, category: str, rule: str, severity: str, message: str,
                 suggestion: str | None = None) -> Finding:
    """A finding over body offsets ``start``..``end`` of ``entry``."""
    line, column = entry.body_position(start)
    end_line, end_column = entry.body_position(end) if end > start else (line, column + 1)
    return Finding(entry.path, line, column, end_line, end_column, category, rule, severity, message, suggestion)


def prose_finding(view, start: int, end: int, category: str, rule: str, severity: str, message: str,
                  suggestion: str | None = None) -> Finding:
    """A finding over prose offsets ``start``..``end`` of ``view``: it underlines the words in the
    file they were read from, whatever markup stood between them."""
    body_start, body_end = view.prose.source_span(start, end)
    return span_finding(view.entry, body_start, body_end, category, rule, severity, message, suggestion)
