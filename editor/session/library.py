"""The library as the session holds it: loading it, its index kept current as entries change, and
checking the open entry as it is typed. Qt-free: plain functions over the core, run on workers."""
from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from editor.findings import Finding

if TYPE_CHECKING:  # the checks are loaded by the first task that needs them, off the UI thread
    from editor.checks import CheckContext
    from editor.content.entry import Entry
    from editor.content.index import IndexRow
    from editor.content.repository import Repository


@dataclass
class Loaded:
    repo: Repository
    ctx: CheckContext
    config_findings: list[Finding]
    rows: list[IndexRow]
    index: LibraryIndex | None = None  # made on the worker too: its maps of 50,000 rows are not the UI thread's work


def load_repository(root: Path, progress=None) -> Loaded:
    from editor.checks.runner import context_for
    from editor.content.index import build_index
    from editor.content.repository import Repository

    repo = Repository.open(root)
    ctx, findings = context_for(repo)
    rows = build_index(repo.root, repo.paths, progress)
    return Loaded(repo, ctx, findings, rows, LibraryIndex(rows))


SHOWN_LIMIT = 300  # findings of the open entry the window lists and underlines (the counts are of all)


@dataclass
class LiveResult:
    findings: list[Finding]
    row: IndexRow
    words: int
    grade: float
    searchable: str = ""  # the entry as the full-text search reads it
    counts: dict[str, int] | None = None  # findings by severity, of all of them

    @property
    def shown(self) -> list[Finding]:
        """The findings the window lists and underlines: all of them, or the first ``SHOWN_LIMIT``
        by line (an entry of 200,000 findings would take the window seconds to list)."""
        return self.findings[:SHOWN_LIMIT]

    @property
    def hidden(self) -> int:
        return max(0, len(self.findings) - SHOWN_LIMIT)


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
            self._reid(row.path, old.id if old is not None else None, row.id)
        return old

    def remove(self, path: str) -> IndexRow | None:
        """Take the entry at ``path`` out (a rename, a deletion); its row is returned."""
        position = self._positions.pop(path, None)
        if position is None:
            return None
        old = self.rows.pop(position)  # in place: the session's rows are this very list
        for number in range(position, len(self.rows)):
            self._positions[self.rows[number].path] = number
        if old.id:
            self._reid(path, old.id, None)
        return old

    def _reid(self, path: str, old: str | None, new: str | None) -> None:
        """The entry at ``path`` changed its id: a new map (a copy, changed in two places: a check on
        a worker may be reading the old one), each id's paths in the rows' order as ``ids_of`` has them."""
        ids = dict(self.ids)
        if old and old in ids:
            left = tuple(other for other in ids[old] if other != path)
            if left:
                ids[old] = left
            else:
                del ids[old]
        if new:
            paths = set(ids.get(new, ())) | {path}
            ids[new] = tuple(sorted(paths, key=lambda other: self._positions.get(other, len(self.rows))))
        self.ids = ids

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


def freeze_long_lived() -> None:
    """After the library loads, and after each large piece of state made on a worker is installed
    (the entry list's arrangement): what is alive then (the modules, the index, the settings, the
    list's rows) lives long, so the cycle collector stops walking it. A full collection walked it
    all, on whatever thread it fell, holding the interpreter lock: 60 to 120 ms at 50,000 entries,
    in which the UI thread could not run a line of Python. (Freezing is a splice of lists, O(1);
    what is frozen is still freed by reference counting when dropped.)"""
    gc.freeze()


def check_text(ctx: CheckContext, path: str, text: str, ids: dict[str, tuple[str, ...]], threads=(),
               entry: Entry | None = None) -> LiveResult:
    """Check the editor's text of one entry; ``ids`` maps entry ids to the paths using them (from
    the index), so a duplicate id is found without reading any other file; ``threads``: its comment
    threads, each an open-comment finding where its passage is in the text now. ``entry``: the
    entry made of ``text``, when the caller made it to use its parse afterwards (the language
    server's quick fixes)."""
    from editor.checks.readability import stats
    from editor.checks.runner import check_entry
    from editor.content.entry import Entry
    from editor.content.index import row_for
    from editor.checks import budget
    from editor.content.markdown import TooComplex
    from editor.content.prose import extract
    from editor.session.search import searchable

    entry = entry if entry is not None else Entry.from_text(path, text)
    findings = check_entry(entry, ctx)
    holders = [other for other in ids.get(entry.id, ()) if other != path] if entry.id else []
    if holders:
        span = entry.frontmatter.span_for(("id",))
        findings.append(Finding(path, span.line, span.column, span.end_line, span.end_column, "schema",
                                "duplicate-id", "error", f"Id '{entry.id}' is already used by {holders[0]}"))
    if threads:
        from editor.checks.comments import findings as comment_findings

        findings = findings + comment_findings(entry, threads)
    findings = sorted(findings, key=lambda f: f.sort_key)
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    words, grade = 0, 0.0
    # past the budget no figures, and no second try at a parse the check gave up (it keeps the one it made)
    if entry.readable and budget.oversize(entry) is None and not any(f.rule == budget.RULE for f in findings):
        try:
            figures = stats(extract(entry.parsed_body(budget.MAX_PARTS)))
            words, grade = figures.words, figures.grade
        except TooComplex:
            pass
    return LiveResult(findings, row_for(entry), words, grade, searchable(path, text), counts)


def check_all(repo, progress=None, cancelled=None) -> list[Finding]:
    """On a worker: every entry, as ``malone-editor check`` does, with its cache and its worker
    processes, in a process of its own (``check_process``: none of its work holds this process's
    interpreter lock, so the UI thread never waits for it)."""
    from editor.session.check_process import check_all_in_process

    return check_all_in_process(repo.root, progress, cancelled)


def add_word(root: Path, word: str) -> str:
    """Append ``word`` to dictionary.txt with the file's own line ending; every other byte stays."""
    from editor.checks.spelling import DICTIONARY_FILE
    from editor.content.paths import atomic_write

    target = root / DICTIONARY_FILE
    raw = target.read_bytes() if target.is_file() else b""
    existing = raw.decode("utf-8-sig", errors="replace")
    if word not in {w.strip().lower() for w in existing.splitlines()}:
        newline = b"\r\n" if b"\r\n" in raw else b"\n"
        ending = b"" if not raw or raw.endswith((b"\n", b"\r")) else newline
        atomic_write(root, DICTIONARY_FILE, raw + ending + word.encode("utf-8") + newline)
    return word
