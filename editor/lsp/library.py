"""Each content repository the server has seen: its check context, built once and rebuilt when a
settings file (content.yaml, modules.yaml, tone.yaml, dictionary.txt) or the date changes, and the
map of entry ids the duplicate-id check reads, built from every entry once in the background and
kept current as open documents change."""
from __future__ import annotations

import datetime as _dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from editor.content import CONTENT_FILE, ENTRIES_DIR, MODULES_FILE
from editor.findings import Finding

TONE_FILE = "tone.yaml"  # (editor.checks.rules and editor.checks.spelling name them too)
DICTIONARY_FILE = "dictionary.txt"
SETTINGS_FILES = (CONTENT_FILE, MODULES_FILE, TONE_FILE, DICTIONARY_FILE)


def entry_path(root: Path, file: Path) -> str | None:
    """``file``'s path relative to ``root`` with '/' when it is where ``check`` looks for entries
    (``entries/**/*.md``, no hidden name, not inside a folder named like an entry or a comment
    folder), else None."""
    try:
        relative = PurePosixPath((file.parent.resolve() / file.name).relative_to(root).as_posix())
    except ValueError:
        return None
    parts = relative.parts
    if len(parts) < 2 or parts[0] != ENTRIES_DIR or not parts[-1].endswith(".md"):
        return None
    if any(part.startswith(".") for part in parts) or any(p.endswith((".md", ".comments")) for p in parts[1:-1]):
        return None
    return relative.as_posix()


def _stamp(path: Path) -> tuple | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


@dataclass(frozen=True)
class Guidance:
    """The published guidance behind a language rule."""

    title: str | None
    publisher: str | None
    url: str | None  # only an https address


def guidance_of(ruleset) -> dict[str, Guidance]:
    """Each language rule's guidance source, by rule id."""
    found: dict[str, Guidance] = {}
    for rule in ruleset.rules if ruleset is not None else []:
        source = rule.source if isinstance(rule.source, dict) else {}
        title, publisher, url = (source.get(key) for key in ("title", "publisher", "url"))
        url = url if isinstance(url, str) and url.startswith("https://") else None
        if isinstance(title, str) or url:
            found[rule.id] = Guidance(title if isinstance(title, str) else None,
                                      publisher if isinstance(publisher, str) else None, url)
    return found


class RepositoryState:
    """One content repository. ``refresh`` and the checks run on the checker's thread; the
    completion reads ``choices`` on the protocol's: each is replaced whole, never changed in place."""

    def __init__(self, root: Path):
        self.root = root
        self.lock = threading.Lock()
        self.ctx = None
        self.config_findings: list[Finding] = []
        self.guidance: dict[str, Guidance] = {}
        self.choices = None
        self.generation = 0  # how many times the context was built
        self._stamps: dict[str, tuple | None] = {}
        self._bytes: dict[str, bytes | None] = {}
        self._day: _dt.date | None = None
        self._index = None  # LibraryIndex, once built
        self._early: dict[str, object] = {}  # rows of documents checked before the index was built
        self.index_ready = threading.Event()
        self.refresh()
        threading.Thread(target=self._build_index, name="malone-lsp-index", daemon=True).start()

    # ---- the check context ----------------------------------------------------------------------

    def _changed(self) -> bool:
        if self.ctx is None or self._day != _dt.date.today():
            return True
        changed = False
        for name in SETTINGS_FILES:
            stamp = _stamp(self.root / name)
            if stamp != self._stamps.get(name):  # touched: the bytes say whether it really changed
                self._stamps[name] = stamp
                changed = changed or _read(self.root / name) != self._bytes.get(name)
        return changed

    def refresh(self) -> bool:
        """Rebuild the context when a settings file or the date changed; whether it was rebuilt."""
        if not self._changed():
            return False
        from editor.checks.runner import context_for
        from editor.content.link_choices import LinkChoices
        from editor.content.repository import Repository

        day = _dt.date.today()
        stamps = {name: _stamp(self.root / name) for name in SETTINGS_FILES}  # read before the context:
        raw = {name: _read(self.root / name) for name in SETTINGS_FILES}  # a change meanwhile shows next time
        ctx, findings = context_for(Repository.open(self.root), day)
        self.ctx, self.config_findings, self._day = ctx, findings, day
        self._stamps, self._bytes = stamps, raw
        self.guidance = guidance_of(ctx.ruleset)
        self.choices = LinkChoices(ctx.registry)
        self.generation += 1
        return True

    # ---- the ids of every entry -----------------------------------------------------------------

    def _build_index(self) -> None:
        from editor.content.index import build_index
        from editor.content.repository import list_entry_paths
        from editor.session.library import LibraryIndex

        try:
            rows = build_index(self.root, list_entry_paths(self.root))
        except Exception:  # an unreadable folder: the ids of what the documents say, and no more
            rows = []
        try:
            index = LibraryIndex(rows)
            with self.lock:
                for row in self._early.values():
                    index.update(row)
                self._early.clear()
                self._index = index
        finally:  # a check waiting for the ids must never wait for ever
            if self._index is None:
                self._index = LibraryIndex([])
            self.index_ready.set()

    def ids(self) -> dict[str, tuple[str, ...]]:
        """Entry id -> the paths using it; waits for the index on the first check of a repository
        (exact findings, not quick and partial ones)."""
        self.index_ready.wait()
        return self._index.ids

    def update_row(self, row) -> set[str]:
        """The open document's row in place of its old one; the ids whose holders changed."""
        with self.lock:
            if self._index is None:
                old = self._early.get(row.path)
                self._early[row.path] = row
            else:
                old = self._index.update(row)
        if old is not None and old.id == row.id:
            return set()
        return {value for value in (row.id, old.id if old is not None else None) if value}

    def id_of(self, path: str) -> str | None:
        with self.lock:
            row = self._index.row(path) if self._index is not None else self._early.get(path)
        return row.id if row is not None else None

    def reread(self, path: str) -> set[str]:
        """The row of ``path`` as stored (a document closed, a file changed, made or deleted on
        disk); the ids whose holders changed."""
        from editor.content.entry import Entry
        from editor.content.index import row_for

        if (self.root / path).exists():
            return self.update_row(row_for(Entry.load(self.root, path)))
        with self.lock:
            old = self._index.remove(path) if self._index is not None else self._early.pop(path, None)
        return {old.id} if old is not None and old.id else set()


class Library:
    """The repositories, by root, made on first use."""

    def __init__(self):
        self._lock = threading.Lock()
        self._states: dict[Path, RepositoryState] = {}

    def get(self, root: Path) -> RepositoryState:
        with self._lock:
            state = self._states.get(root)
            if state is None:
                state = self._states[root] = RepositoryState(root)
            return state

    def known(self, root: Path) -> RepositoryState | None:
        with self._lock:
            return self._states.get(root)
