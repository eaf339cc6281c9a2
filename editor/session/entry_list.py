"""The entry list as the session holds it: one flat list of rows, each a group's heading or an entry
under it, kept current one row at a time as entries are typed, saved, created, renamed and deleted.

No widget. It says what changed, row by row, as an item model must hear it (``inserted(first,
last)``, ``removed``, ``moved``, ``rowsChanged``, or ``wasReset`` for a new arrangement), so a thin
model over it (``editor.ui.entry_model``) shows fifty thousand entries without the UI thread ever
walking them: an entry's change moves, inserts or removes its own row, and the headings' counts
follow. A new filter, a grouping or a load is arranged on a worker (``entry_arrange``) for a large
library, its labels too, and installed in one swap; changes made meanwhile are replayed on it
after, one row at a time, so none is lost."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from editor.session.library import freeze_long_lived
from editor.session.entry_arrange import (Arrangement, ListFilter, arrange, entry_label, group_of, heading_label, holds_all,
                                         key_of, matcher)

if TYPE_CHECKING:
    from editor.content.index import IndexRow
    from editor.session.session import Session

SYNC_ROWS = 2_000  # up to this many entries, a filter is arranged at once on the UI thread (a few ms)
HEADING, ENTRY = "heading", "entry"


def _arrange_to_keep(*args) -> Arrangement:
    """On the worker: ``arrange``, its result frozen before the collector wakes (its first pass
    would walk the 100,000 keys and labels made here, holding the interpreter lock)."""
    view = arrange(*args)
    freeze_long_lived()
    return view


class EntryList(QObject):
    wasReset = Signal()  # a new arrangement: every row (``labels()``)
    inserted = Signal(int, int)  # first, last: flat rows, as they are now
    removed = Signal(int, int)  # first, last: as they were
    moved = Signal(int, int)  # the row, and the row it went before (numbered as before the move)
    rowsChanged = Signal(int, int)  # first, last: their text changed (a heading's count, a question, a mark)
    arranged = Signal()  # a filter or a load was installed (the first time: the list is ready)

    def __init__(self, session: Session, sync_rows: int = SYNC_ROWS):
        super().__init__(session)
        self.session = session
        self.sync_rows = sync_rows
        self.spec = ListFilter()
        self.problems: frozenset[str] = frozenset()
        self.collapsed: set[str] = set()
        self.view = Arrangement()
        self.ready = False  # an arrangement of the loaded library is installed
        self.arrangements = 0  # installed (tests read it: a one-entry change installs none)
        self._starts: list[int] = []  # the flat row of each group's heading
        self._count = 0
        self._pending: int | None = None  # the token of the arrangement being made on a worker
        self._since: set[str] = set()  # entries changed while it is made: replayed on it
        self._waiting: list[Callable[[], None]] = []
        session.rowChanged.connect(self._row_changed)
        session.files.entryRemoved.connect(self._entry_removed)
        session.files.searchReady.connect(self._search_ready)
        session.libraryChanged.connect(self.rearrange)

    # ------------------------------------------------------------------ reading it

    def count(self) -> int:
        return self._count

    @property
    def shown(self) -> int:
        return len(self.view.placed)

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def at(self, flat: int) -> tuple[str, str]:
        """(HEADING, group name) or (ENTRY, path) of a flat row."""
        number = bisect_right(self._starts, flat) - 1
        name = self.view.names[number]
        offset = flat - self._starts[number]
        if offset == 0:
            return HEADING, name
        return ENTRY, self.view.members[name][offset - 1][1]

    def position(self, path: str) -> int | None:
        """The flat row of the entry at ``path``; None when it is not shown (or its group is folded)."""
        placed = self.view.placed.get(path)
        if placed is None or placed[0] in self.collapsed:
            return None
        name, key = placed
        start = self._starts[self.view.group_index(name)]
        return start + 1 + self.view.position_in(self.view.members[name], key)

    def heading_row(self, name: str) -> int | None:
        if name not in self.view.members:
            return None
        return self._starts[self.view.group_index(name)]

    def size(self, name: str) -> int:
        return len(self.view.members.get(name, ()))

    def first_entry(self) -> int | None:
        for number, name in enumerate(self.view.names):
            if name not in self.collapsed:
                return self._starts[number] + 1
        return None

    def matching(self, spec: ListFilter) -> list[IndexRow]:
        """The rows ``spec`` shows, in the library's order (at once, on the calling thread)."""
        shown = matcher(spec, self.problems, self._body_holds(spec))
        return [row for row in self.session.rows if shown(row)]

    # ------------------------------------------------------------------ changing what is shown

    def set_filter(self, spec: ListFilter) -> None:
        self.spec = spec
        self.rearrange()

    def set_problems(self, paths: set[str] | frozenset[str]) -> None:
        """The entries with problems (marked in the list; the only ones shown with "Has problems")."""
        problems = frozenset(paths)
        if problems == self.problems:
            return
        changed, self.problems = problems ^ self.problems, problems
        self._stale()
        if self.spec.problems_only:
            self.rearrange()
        elif len(changed) > max(500, self._count // 4):  # most rows: every label again, in one go
            self.wasReset.emit()
        else:
            for path in changed:
                row = self.position(path)
                if row is not None:
                    self.rowsChanged.emit(row, row)

    def toggle(self, name: str) -> None:
        """Fold a group to its heading, or unfold it."""
        start = self.heading_row(name)
        size = self.size(name)
        if start is None:
            return
        self._stale()
        if name in self.collapsed:
            self.collapsed.discard(name)
            self._layout()
            if size:
                self.inserted.emit(start + 1, start + size)
        else:
            self.collapsed.add(name)
            self._layout()
            if size:
                self.removed.emit(start + 1, start + size)
        self.rowsChanged.emit(start, start)

    def when_arranged(self, callback: Callable[[], None]) -> None:
        """Call back once the filter set last is shown (at once if it is)."""
        if self._pending is None:
            callback()
        else:
            self._waiting.append(callback)

    def rearrange(self, *_args) -> None:
        """Arrange the library again under the current filter: at once for a small library, on a
        worker for a large one (the last one asked for wins; the list shows the previous meanwhile)."""
        session = self.session
        if session.loaded is None:
            return
        rows, spec = session.rows, self.spec
        titles = self._titles()
        texts = session.files.search.texts if spec.query else {}
        if len(rows) <= self.sync_rows:
            self._pending = None
            self._install(arrange(rows, spec, titles, self.problems, texts, frozenset(self.collapsed)))
            return
        # the worker gets copies: the UI thread goes on changing the rows and the texts meanwhile
        self._since = set()
        self._pending = session.tasks.submit("entry-list", _arrange_to_keep, list(rows), spec, titles, self.problems,
                                             dict(texts), frozenset(self.collapsed), pause_gc=True, on_done=self._arranged,
                                             on_error=self._failed)

    def _arranged(self, view: Arrangement) -> None:
        self._pending = None
        since, self._since = self._since, set()
        self._install(view, since)

    def _failed(self, failure) -> None:
        self._pending = None
        self.session.failed.emit(failure)

    def _install(self, view: Arrangement, since: set[str] = frozenset()) -> None:
        self.view = view
        self.collapsed &= set(view.names)
        if view.labels is not None and (self.collapsed != view.folded or self.problems != view.problems):
            view.labels = None  # folded or marked differently since it was arranged: labelled again
        self._layout()
        self.ready = True
        self.arrangements += 1
        self.wasReset.emit()
        for path in since:  # changed while it was arranged: as they are now, row by row
            row = self.session.library.row(path)
            if row is None:
                self._unplace(path)
            else:
                self._row_changed(row, None)
        self.arranged.emit()
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()

    def labels(self) -> list[str]:
        """The text of every row, in order (the arrangement's own, made on the worker, while it holds)."""
        view = self.view
        if view.labels is not None and len(view.labels) == self._count:
            return view.labels
        labels: list[str] = []
        for name in view.names:
            labels.append(self.heading_label(name))
            if name not in self.collapsed:
                labels.extend(self.entry_label(path) for _question, path in view.members[name])
        return labels

    def label(self, flat: int) -> str:
        kind, value = self.at(flat)
        return self.heading_label(value) if kind == HEADING else self.entry_label(value)

    def heading_label(self, name: str) -> str:
        return heading_label(name, self.size(name), name in self.collapsed)

    def entry_label(self, path: str) -> str:
        row = self.session.library.row(path)
        return entry_label(row.question if row is not None else path, path in self.problems)

    # ------------------------------------------------------------------ one entry at a time

    def _row_changed(self, row: IndexRow, old: IndexRow | None) -> None:
        if self._pending is not None:
            self._since.add(row.path)
        if not self.ready:
            return
        placed = self.view.placed.get(row.path)
        wanted = self._shown(row)
        name = group_of(row, self.spec.by_status, self._titles()) if wanted else None
        if placed is not None and wanted and placed[0] == name:
            self._move(row, placed[1])
            return
        self._unplace(row.path)
        if wanted:
            self._place(row)

    def _entry_removed(self, path: str) -> None:
        if self._pending is not None:
            self._since.add(path)
        if self.ready:
            self._unplace(path)

    def _search_ready(self) -> None:
        if self.spec.query:
            self.rearrange()  # the filter now finds words of every body too

    def _move(self, row: IndexRow, old_key) -> None:
        """The entry stays in its group: its row changes in place, or moves to its new place."""
        name, key = self.view.placed[row.path][0], key_of(row)
        members = self.view.members[name]
        before = self.view.position_in(members, old_key)
        self._stale()
        if key == old_key:
            self._changed_entry(row.path)
            return
        after = self.view.position_in(members, key)  # numbered with the old key still in
        self.view.placed[row.path] = (name, key)
        if after in (before, before + 1):  # the same place among the others
            members[before] = key
            self._changed_entry(row.path)
            return
        del members[before]
        members.insert(after - 1 if after > before else after, key)
        if name not in self.collapsed:
            start = self._starts[self.view.group_index(name)] + 1
            self.moved.emit(start + before, start + after)
            self._changed_entry(row.path)

    def _changed_entry(self, path: str) -> None:
        flat = self.position(path)
        if flat is not None:
            self.rowsChanged.emit(flat, flat)

    def _unplace(self, path: str) -> None:
        placed = self.view.placed.pop(path, None)
        if placed is None:
            return
        self._stale()
        name, key = placed
        members = self.view.members[name]
        number = self.view.group_index(name)
        start, folded = self._starts[number], name in self.collapsed
        at = self.view.position_in(members, key)
        if len(members) == 1:  # the group goes with its last entry
            del self.view.members[name]
            del self.view.names[number]
            self.collapsed.discard(name)
            self._layout()
            self.removed.emit(start, start + (0 if folded else 1))
            return
        del members[at]
        self._layout()
        if not folded:
            self.removed.emit(start + 1 + at, start + 1 + at)
        self.rowsChanged.emit(start, start)

    def _place(self, row: IndexRow) -> None:
        self._stale()
        name, key = group_of(row, self.spec.by_status, self._titles()), key_of(row)
        members = self.view.members.get(name)
        number = self.view.group_index(name)
        self.view.placed[row.path] = (name, key)
        if members is None:  # a new group, with this entry
            start = self._starts[number] if number < len(self._starts) else self._count
            self.view.names.insert(number, name)
            self.view.members[name] = [key]
            self._layout()
            self.inserted.emit(start, start + 1)
            return
        start, folded = self._starts[number], name in self.collapsed
        at = self.view.position_in(members, key)
        members.insert(at, key)
        self._layout()
        if not folded:
            self.inserted.emit(start + 1 + at, start + 1 + at)
        self.rowsChanged.emit(start, start)

    # ------------------------------------------------------------------ helpers

    def _stale(self) -> None:
        self.view.labels = None  # the arrangement's labels no longer match its rows

    def _layout(self) -> None:
        """Where each group's heading is in the flat list (a few groups: cheap)."""
        starts, at = [], 0
        for name in self.view.names:
            starts.append(at)
            at += 1 + (0 if name in self.collapsed else len(self.view.members[name]))
        self._starts, self._count = starts, at

    def _shown(self, row: IndexRow) -> bool:
        return matcher(self.spec, self.problems, self._body_holds(self.spec))(row)

    def _body_holds(self, spec: ListFilter) -> Callable[[str], bool]:
        return holds_all(self.session.files.search.texts, spec.query) if spec.query else (lambda path: True)

    def _titles(self) -> dict[str, str]:
        registry = self.session.registry
        return {slug: module.title for slug, module in registry.modules.items()} if registry else {}
