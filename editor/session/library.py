"""The library as the session holds it: loading it, its index kept current as entries change, and
checking the open entry as it is typed. Qt-free: plain functions over the core, run on workers."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from editor.findings import Finding

if TYPE_CHECKING:  # the checks are loaded by the first task that needs them, off the UI thread
    from editor.checks import CheckContext
    from editor.content.index import IndexRow
    from editor.content.repository import Repository


@dataclass
class Loaded:
    repo: Repository
    ctx: CheckContext
    config_findings: list[Finding]
    rows: list[IndexRow]


def load_repository(root: Path, progress=None) -> Loaded:
    from editor.checks.runner import context_for
    from editor.content.index import build_index
    from editor.content.repository import Repository

    repo = Repository.open(root)
    ctx, findings = context_for(repo)
    rows = build_index(repo.root, repo.paths, progress)
    return Loaded(repo, ctx, findings, rows)


@dataclass
class LiveResult:
    findings: list[Finding]
    row: IndexRow
    words: int
    grade: float


class LibraryIndex:
    """The index rows of every entry, kept current as entries change without being rebuilt (typing
    must cost the same in a library of ten entries or ten thousand), and the map of ids the
    duplicate-id check reads. A check on a worker may be reading ``ids``: it is replaced, never
    changed in place."""

    def __init__(self, rows: list[IndexRow] | None = None):
        self.rows: list[IndexRow] = list(rows or [])
        self._positions = {row.path: number for number, row in enumerate(self.rows)}
        self.ids = ids_of(self.rows)

    def update(self, row: IndexRow) -> IndexRow | None:
        """Put ``row`` in place of the entry's old row (returned; None for a new entry)."""
        position = self._positions.get(row.path)
        old = self.rows[position] if position is not None else None
        if position is None:
            self._positions[row.path] = len(self.rows)
            self.rows.append(row)
        else:
            self.rows[position] = row
        if old is None or old.id != row.id:
            self.ids = ids_of(self.rows)
        return old

    def remove(self, path: str) -> IndexRow | None:
        """Take the entry at ``path`` out (a rename, a deletion); its row is returned."""
        position = self._positions.get(path)
        if position is None:
            return None
        old = self.rows.pop(position)  # in place: the entry list holds this very list
        self._positions = {row.path: number for number, row in enumerate(self.rows)}
        if old.id:
            self.ids = ids_of(self.rows)
        return old

    def row(self, path: str) -> IndexRow | None:
        position = self._positions.get(path)
        return self.rows[position] if position is not None else None

    def question(self, path: str) -> str | None:
        """The question of the entry at ``path``, if it is indexed."""
        position = self._positions.get(path)
        return self.rows[position].question if position is not None else None


def ids_of(rows: list[IndexRow]) -> dict[str, tuple[str, ...]]:
    """Entry id -> the paths of the entries that use it."""
    found: dict[str, list[str]] = {}
    for row in rows:
        if row.id:
            found.setdefault(row.id, []).append(row.path)
    return {key: tuple(paths) for key, paths in found.items()}


def check_text(ctx: CheckContext, path: str, text: str, ids: dict[str, tuple[str, ...]], threads=()) -> LiveResult:
    """Check the editor's text of one entry; ``ids`` maps entry ids to the paths using them (from
    the index), so a duplicate id is found without reading any other file; ``threads``: its comment
    threads, each an open-comment finding where its passage is in the text now."""
    from editor.checks.readability import stats
    from editor.checks.runner import check_entry
    from editor.content.entry import Entry
    from editor.content.index import row_for
    from editor.content.prose import extract

    entry = Entry.from_text(path, text)
    findings = check_entry(entry, ctx)
    holders = [other for other in ids.get(entry.id, ()) if other != path] if entry.id else []
    if holders:
        span = entry.frontmatter.span_for(("id",))
        findings.append(Finding(path, span.line, span.column, span.end_line, span.end_column, "schema",
                                "duplicate-id", "error", f"Id '{entry.id}' is already used by {holders[0]}"))
    if threads:
        from editor.checks.comments import findings as comment_findings

        findings = sorted(findings + comment_findings(entry, threads), key=lambda f: f.sort_key)
    words, grade = 0, 0.0
    if entry.readable:
        figures = stats(extract(entry.parsed_body()))
        words, grade = figures.words, figures.grade
    return LiveResult(findings, row_for(entry), words, grade)
