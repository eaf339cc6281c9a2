"""What every check of one entry reads: the entry, and what is worked out from it on first use and
then shared by the checks that follow (the parsed body, the prose, the prose's words). A check
that never reads the prose never pays for it.

The body is parsed within the entry's budget (``editor.checks.budget``): past it, reading it raises
TooLarge. A view made with ``whole=False`` (of an entry over the budget) reads as an empty body, so
the checks that still run check only what the frontmatter says."""
from __future__ import annotations

from typing import TYPE_CHECKING

from editor.checks import budget
from editor.content.entry import Entry
from editor.content.markdown import TooComplex, parse_body
from editor.content.prose import Prose, extract
from editor.findings import Finding

if TYPE_CHECKING:
    from editor.checks.pattern_index import Words
    from editor.content.markdown import Body


class EntryView:
    __slots__ = ("entry", "whole", "_prose", "_empty")

    def __init__(self, entry: Entry, whole: bool = True):
        self.entry = entry
        self.whole = whole
        self._prose: Prose | None = None
        self._empty: Body | None = None

    @property
    def path(self) -> str:
        return self.entry.path

    @property
    def body(self) -> Body:
        """The body, parsed once (the entry keeps the parse)."""
        if not self.whole:
            if self._empty is None:
                self._empty = parse_body("")
            return self._empty
        try:
            return self.entry.parsed_body(budget.MAX_PARTS)
        except TooComplex:
            raise budget.too_complex() from None

    @property
    def prose(self) -> Prose:
        """The body's prose, for the language checks (``editor.content.prose``)."""
        if self._prose is None:
            self._prose = extract(self.body)
        return self._prose

    @property
    def words(self) -> Words:
        """The prose's words, shared by every pattern index that looks at them."""
        return self.prose.words

    def offsets(self, finding: Finding) -> tuple[int, int]:
        """Body offsets of a finding's span (the inverse of ``editor.checks.span_finding``)."""
        source, base = self.entry.source, self.entry.body_offset
        return (source.offset(finding.line, finding.column) - base,
                source.offset(finding.end_line, finding.end_column) - base)

    def body_line(self, finding: Finding) -> int:
        """0-based body line of a finding's start (exemption comments count lines so)."""
        return finding.line - self.entry.body_first_line
