"""Link Health in the session: the link index and the model the panel shows, built on a worker
and kept current as the library changes (a reload or pull reads the files whose size or time
changed, a save the saved file, typing the open entry's text), stale results dropped.

Nothing is built until someone asks (``activate``: the panel is shown, or "what links here" is
asked for): a library nobody looks at the links of costs nothing. Web statuses come from the last
Check Web Links (``session.web.statuses``) and from fresh answers in the link cache; nothing here
touches the network."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from editor.lazy import lazy
from editor.session import failures
from editor.session.failures import Failure, FailureError

if TYPE_CHECKING:
    from editor.checks.link_health import LinkHealth
    from editor.checks.link_index import LinkIndex
    from editor.session.session import Session

link_index = lazy("editor.checks.link_index")
health = lazy("editor.checks.link_health")
link_cache = lazy("editor.web.cache")
links = lazy("editor.content.links")
render = lazy("editor.render.html")

KEY = "link-health"
COALESCE_MS = 60  # a save emits several signals: one refresh follows them all


class LinkHealthState(QObject):
    changed = Signal()  # ``model`` is new
    progress = Signal(int, int)  # files read with markdown-it, of (a first build of a big library)

    def __init__(self, session: Session):
        super().__init__(session)
        self.session = session
        self.active = False
        self.index: LinkIndex | None = None
        self.model: LinkHealth | None = None
        self.building = False
        self._full = True  # the next refresh looks at every file (a reload, a pull, the first build)
        self._paths: set[str] = set()  # ... or only at these
        self._full_in_flight = False
        self.timer = QTimer(self, singleShot=True, interval=COALESCE_MS, timeout=self._submit)
        session.libraryChanged.connect(self.refresh)
        session.repositoryChanged.connect(self.refresh)
        session.documentSaved.connect(lambda path: self.refresh([path]))
        session.rowChanged.connect(lambda row, _old: self.refresh([row.path]))
        session.files.entryRemoved.connect(lambda _path: self.refresh())
        session.web.finished.connect(self.refresh_statuses)

    def activate(self) -> None:
        """Build the model now, if it is not built yet, and keep it current from now on."""
        if not self.active:
            self.active = True
            self.refresh()

    def refresh(self, paths: list[str] | None = None) -> None:
        """Read the links again: of ``paths`` only, or (None) of every file whose size or time changed."""
        if not self.active:
            return
        if paths is None or self.index is None:
            self._full = True
        else:
            self._paths.update(paths)
        self.timer.start()

    def refresh_statuses(self) -> None:
        """Check Web Links finished (or was cancelled): the web rows take its answers."""
        self.refresh([])

    def _submit(self) -> None:
        session = self.session
        if session.loaded is None:
            return  # libraryChanged follows
        full = self._full or self._full_in_flight  # a partial refresh must not drop a full one in flight
        paths = None if full else sorted(self._paths)
        self._full, self._paths = False, set()
        self._full_in_flight = full
        document = session.document
        texts = {}
        if document is not None and document.modified:
            texts[document.path] = document.text  # as typed: the panel's lines are the editor's
        rows = list(session.rows)
        statuses = dict(session.web.statuses or {})
        self.building = True
        session.tasks.submit(KEY, _build, self.index, session.root, rows, session.registry, paths, texts, statuses,
                             on_done=self._built, on_error=self._failed, on_progress=self.progress.emit,
                             cancellable=True, pause_gc=True)

    def _built(self, result) -> None:
        index, model = result
        same = self.model is not None and model == self.model
        self.index, self.model = index, model
        self.building = self._full_in_flight = False
        if not same:  # opening an entry, or a save that changed no link, leaves the panel as it is
            self.changed.emit()

    @property
    def settled(self) -> bool:
        """Built, and nothing waiting to be read again."""
        return self.model is not None and not self.building and not self.timer.isActive()

    def cancel(self) -> None:
        """Stop reading the links (the window closes)."""
        self.timer.stop()
        self.session.tasks.cancel(KEY)

    def _failed(self, failure: Failure) -> None:
        self.building = self._full_in_flight = False
        self._full = True  # whatever was half read is read again next time
        if failure.kind == failures.CANCELLED:
            return
        self.session.failed.emit(Failure(failure.kind, f"Could not read the library's links: {failure.message}"))
        self.changed.emit()


def _build(index, root, rows, registry, paths, texts, statuses, progress=None, cancelled=None):
    """On a worker: the index (only ``paths`` looked at, unless None), then the model."""
    all_paths = [row.path for row in rows]
    cache = link_index.ExtractCache(root) if paths is None else None
    try:
        new = link_index.refresh(index, root, all_paths, cache, paths, texts, progress, cancelled)
    except link_index.LinkIndexCancelled:
        raise FailureError(Failure(failures.CANCELLED, "Reading the links was stopped")) from None
    answers = link_cache.LinkCache(None)  # fresh healthy answers only; read from disk, never fetched

    questions = {row.path: (row.question, row.module) for row in rows}
    return new, health.build(new, registry, questions, statuses, answers.get)


def describe_in_app_link(target: str, registry, model: LinkHealth | None) -> str:
    """Where an in-app link leads, in words, and how many entries link to the same module."""
    parsed = links.parse_in_app(target, registry)
    label = render.destination_label(parsed, registry)
    if not parsed.ok:
        lead = f"Broken link {target}: {label}"
    else:
        lead = f"Opens {label} in the app."
    if not parsed.module or model is None:
        return lead
    backlinks = model.backlinks(parsed.module)
    count = len(backlinks.entries)
    return (f"{lead} {count} entr{'y links' if count == 1 else 'ies link'} to "
            f"{backlinks.title}: see Link Health.")
