"""Findings as the protocol's diagnostics: the exact range in the client's units, severity, the
rule as ``code``, "malone" as ``source`` and, for a language rule, its guidance as ``codeDescription``."""
from __future__ import annotations

from dataclasses import dataclass, field

from lsprotocol import types

from editor.findings import Finding
from editor.lsp.library import Guidance
from editor.lsp.positions import Places

SOURCE = "malone"
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}


def offsets(finding: Finding, places: Places) -> tuple[int, int]:
    """The finding's span as offsets into the text it was found in."""
    start = places.check_offset(finding.line, finding.column)
    return start, max(start, places.check_offset(finding.end_line, finding.end_column))


def to_range(places: Places, start: int, end: int) -> types.Range:
    return types.Range(types.Position(*places.position(start)), types.Position(*places.position(end)))


def diagnostic(finding: Finding, places: Places, guidance: dict[str, Guidance]) -> types.Diagnostic:
    source = guidance.get(finding.rule)
    return types.Diagnostic(
        range=to_range(places, *offsets(finding, places)), message=finding.message,
        severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Information), code=finding.rule,
        source=SOURCE, code_description=types.CodeDescription(href=source.url) if source and source.url else None)


@dataclass(frozen=True)
class Result:
    """A document's findings for one of its versions, with what hover and code actions need."""

    uri: str
    version: int | None
    findings: tuple[Finding, ...]
    places: Places
    guidance: dict[str, Guidance]
    diagnostics: tuple[types.Diagnostic, ...]
    safe: dict[Finding, str] = field(default_factory=dict)  # a finding -> its safe fix's text (``malone-editor fix``)

    @classmethod
    def of(cls, uri: str, version: int | None, findings: list[Finding], places: Places,
           guidance: dict[str, Guidance], safe: dict[Finding, str] | None = None) -> "Result":
        return cls(uri, version, tuple(findings), places, guidance,
                   tuple(diagnostic(f, places, guidance) for f in findings), dict(safe or {}))

    def spans(self):
        """Each finding with its offsets and its diagnostic."""
        for finding, shown in zip(self.findings, self.diagnostics):
            yield finding, offsets(finding, self.places), shown
