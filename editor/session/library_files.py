"""The library's files as the session works on them: the full-text search of every entry (read on
a worker once the list has loaded, then kept current as entries are typed, created, renamed and
deleted), and renaming, duplicating and deleting an entry (``entry_ops``, on the serial queue).

No widget. Each operation reports by callbacks (``on_done(result)``, ``on_error(Failure)``), after
the library's index, the search, the drafts and the open entry have followed it."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Signal

from editor.lazy import lazy
from editor.session.document import DocumentError
from editor.session.search import SearchIndex, build_texts

if TYPE_CHECKING:
    from editor.content.index import IndexRow
    from editor.session.failures import Failure
    from editor.session.session import Session

entry_ops = lazy("editor.session.entry_ops")
index = lazy("editor.content.index")
entries = lazy("editor.content.entry")

SYSTEM_TRASH = "system"


def editor_data_folder() -> Path:
    """The editor's own data folder (settings, drafts, deleted entries' backups; ``editor.app.data_dir``
    makes it): ``MALONE_EDITOR_HOME``, else the platform's application data."""
    override = os.environ.get("MALONE_EDITOR_HOME")
    if override:
        return Path(override)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else Path.home() / ".local" / "share" / "malone-editor"


class LibraryFiles(QObject):
    searchReady = Signal()  # the full text of every entry can be searched (``search``)
    entryRemoved = Signal(str)  # an entry left the library (renamed away, deleted): its old path

    def __init__(self, session: Session):
        super().__init__(session)
        self.session = session
        self.search = SearchIndex()
        self.moving: set[str] = set()  # entries being renamed or deleted here: their file's going is ours
        # Delete Entry sends the file to Qt's system trash, or to a function (tests), or (None) nowhere:
        # the backup copy, made first either way, keeps it
        self.trash: Callable | str | None = SYSTEM_TRASH
        self.backups: Path | None = None  # None: "deleted-entries" in the editor's data folder
        session.libraryChanged.connect(self._build)
        session.rowChanged.connect(self._row_changed)

    # ------------------------------------------------------------------ the full-text search

    def _build(self) -> None:
        """After the list shows (a load, a pull): every entry's body is read on a worker."""
        self.search.start_build()
        self.session.tasks.submit("search-index", build_texts, self.session.root,
                                  [row.path for row in self.session.rows], on_done=self._built,
                                  on_error=self.session.failed.emit, cancellable=True, pause_gc=True)

    def _built(self, texts: dict[str, str]) -> None:
        self.search.install(texts)
        live = self.session.live
        if live is not None and self.session.document is not None and live.row.path == self.session.document.path:
            self.search.put(live.row.path, live.searchable)  # what is typed wins over what was read
        self.searchReady.emit()

    def _row_changed(self, row: IndexRow, old: IndexRow | None) -> None:
        """An entry's row changed: the open entry as typed, or a new entry (read from its file)."""
        live = self.session.live
        if live is not None and live.row is row:  # the open entry as typed: read for the search by its check
            self.search.put(row.path, live.searchable)
        elif old is None and row.path not in self.search.texts:
            try:
                self.search.update(row.path, (self.session.root / row.path).read_bytes().decode("utf-8", "replace"))
            except OSError:
                pass

    # ------------------------------------------------------------------ rename, duplicate, delete

    def rename(self, relative: str, new_name: str, new_id: str | None, on_done: Callable,
               on_error: Callable) -> None:
        """Rename the entry file (in its folder) and/or change its id: ``git mv`` when git tracks
        it. The open entry must have no unsaved changes (DocumentError otherwise); the window
        reopens it at its new path in ``on_done(Renamed)``."""
        self._start(relative)
        self.session.tasks.submit(
            "rename", entry_ops.rename_entry, self.session.root, relative, new_name, new_id, serial=True,
            on_done=lambda result: self._done(relative, self._renamed, result, on_done),
            on_error=lambda failure: self._failed(relative, failure, on_error))

    def duplicate(self, relative: str, on_done: Callable, on_error: Callable) -> str:
        """A copy beside the entry with a fresh id (``ID-copy``, ``ID-copy-2``...), status draft and
        no review block; returns the id. ``on_done(Duplicated)``."""
        row = self.session.library.row(relative)
        folder = self.session.root / Path(relative).parent
        new_id = entry_ops.fresh_id(row.id if row is not None and row.id else Path(relative).stem,
                                    self.session.library.ids, lambda name: (folder / f"{name}.md").exists())
        self.session.tasks.submit("duplicate", entry_ops.duplicate_entry, self.session.root, relative, new_id,
                                  serial=True, on_done=lambda result: on_done(self._added(result)),
                                  on_error=on_error)
        return new_id

    def delete(self, relative: str, on_done: Callable, on_error: Callable) -> None:
        """A backup copy in the editor's data folder first, then the file to the trash (or removed);
        ``on_done(Deleted)`` says where both are. The open entry closes."""
        self._start(relative)
        trash = entry_ops.default_trash if self.trash == SYSTEM_TRASH else self.trash
        backups = self.backups or editor_data_folder() / "deleted-entries"
        self.session.tasks.submit(
            "delete", entry_ops.delete_entry, self.session.root, relative, backups, trash, serial=True,
            on_done=lambda result: self._done(relative, self._deleted, result, on_done),
            on_error=lambda failure: self._failed(relative, failure, on_error))

    def _start(self, relative: str) -> None:
        document = self.session.document
        if document is not None and document.path == relative and self.session.is_modified:
            raise DocumentError(f"{relative} has unsaved changes: save or discard them first.")
        self.moving.add(relative)

    def _done(self, relative: str, follow: Callable, result, on_done: Callable) -> None:
        try:
            follow(result)
        finally:
            self.moving.discard(relative)
        on_done(result)

    def _failed(self, relative: str, failure: Failure, on_error: Callable) -> None:
        self.moving.discard(relative)
        on_error(failure)

    def _forget(self, relative: str) -> None:
        """The entry's file is gone from the library: its row, its text, its path and its draft."""
        session = self.session
        session.library.remove(relative)
        self.search.remove(relative)
        if session.loaded is not None and relative in session.loaded.repo.paths:
            session.loaded.repo.paths.remove(relative)
        session.keeper.drop(relative)
        if session.repo_findings is not None:
            session.repo_findings = [f for f in session.repo_findings if f.path != relative]
        self.entryRemoved.emit(relative)

    def _add(self, relative: str, text: str) -> None:
        session = self.session
        self.search.update(relative, text)
        session._update_row(index.row_for(entries.Entry.from_text(relative, text)))
        if session.loaded is not None and relative not in session.loaded.repo.paths:
            session.loaded.repo.paths.append(relative)

    def _renamed(self, result) -> None:
        if result.new != result.old:
            self._forget(result.old)
        self._add(result.new, result.text)
        self.session.repositoryChanged.emit()

    def _added(self, result):
        self._add(result.path, result.text)
        self.session.repositoryChanged.emit()
        return result

    def _deleted(self, result) -> None:
        session = self.session
        if session.document is not None and session.document.path == result.path:
            session.check_timer.stop()  # the open entry closes: nothing of it is left open
            session.document, session.live = None, None
            session.keeper.opened()
            session.findingsChanged.emit("entry")
        self._forget(result.path)
        session.repositoryChanged.emit()
