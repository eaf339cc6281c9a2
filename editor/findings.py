"""Findings: what every check reports, in the contract's JSON shape."""
from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    category: str
    rule: str
    severity: str
    message: str
    suggestion: str | None = None

    def to_json(self) -> dict:
        data = {"path": self.path, "line": self.line, "column": self.column,
                "end_line": self.end_line, "end_column": self.end_column,
                "category": self.category, "rule": self.rule, "severity": self.severity,
                "message": self.message}
        if self.suggestion is not None:
            data["suggestion"] = self.suggestion
        return data

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, SEVERITIES.index(self.severity), self.rule)


def at(path: str, category: str, rule: str, severity: str, message: str, line: int = 1, column: int = 1,
       end_line: int | None = None, end_column: int | None = None, suggestion: str | None = None) -> Finding:
    """A finding at one position; the span defaults to a single character."""
    return Finding(path, line, column, end_line if end_line is not None else line,
                   end_column if end_column is not None else column + 1,
                   category, rule, severity, message, suggestion)


EXCERPT = 60  # characters of the flagged text a message quotes at most


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """``text`` as a message quotes it: whole when short, else its start and an ellipsis (a
    10 MB word must not make a 10 MB message, nor a row the window lays out)."""
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"
