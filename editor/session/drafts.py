"""Keeping the open entry's unsaved text for recovery, and the drafts kept by windows that are gone.

Each session is one window with an ``owner`` id of its own: its autosave writes only its own draft
of the open entry, and its save or discard deletes only that one, so two windows on one entry never
lose each other's words. A draft that would hold nothing the file does not (the text is the one on
disk, or the one this window last saved or read) is dropped instead of written.

A failed autosave is a state, not a passing message: ``problem`` says why in plain words until an
autosave succeeds (``problemChanged``). Restoring or discarding a draft of a window that is gone
says ``draftsChanged``."""
from __future__ import annotations

import itertools
import os
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from editor.content import recovery
from editor.content.recovery import Draft

if TYPE_CHECKING:
    from editor.session.session import Session

_SKIPPED = "skipped"  # a write that a newer one, or a drop, made pointless


@dataclass
class Recoverable:
    """A draft to offer: the entry's question (or its path), and whether its file changed since."""

    draft: Draft
    question: str
    disk: str  # recovery.SAME, CHANGED or DELETED


class DraftKeeper(QObject):
    problemChanged = Signal(object)  # the plain reason autosave fails, or None once it works again
    draftsChanged = Signal()  # a draft of another window was restored or discarded

    def __init__(self, session: Session):
        super().__init__(session)
        self.session = session
        self.owner = os.urandom(8).hex()  # this window's id, in the names of its drafts
        self.problem: str | None = None
        self._kept: tuple[str, str] | None = None  # (path, text) this window's draft holds
        self._adopted: dict[str, list[Path]] = {}  # path: restored drafts to delete once ours is kept
        self._seq = itertools.count(1)
        self._lock = threading.Lock()  # one write of our drafts at a time, never an older one last
        self._done = 0
        # a window dropped without closing: its lock goes when the session is collected. (Not on Qt's
        # destroyed signal: Python run while Qt destroys the session, inside the garbage collector,
        # crashed the process. A crash ends the process, and the system lets go of its locks.)
        weakref.finalize(session, session.recovery.release, self.owner)

    @property
    def store(self) -> recovery.RecoveryStore:
        return self.session.recovery

    # ------------------------------------------------------------------ this window's draft

    def opened(self) -> None:
        """A document was installed: nothing of it is kept yet."""
        self._kept = None

    def autosave(self) -> None:
        """Keep the open entry's unsaved text (every few seconds, and on Retry). While autosave
        fails, each call tries again, so the problem clears as soon as a write works."""
        session = self.session
        session._pull()
        document = session.document
        if document is None:
            return
        path = document.path
        if not document.modified:  # undone to the saved text: a draft would hold nothing more
            if self._kept is not None or self.problem is not None or self._adopted.get(path):
                self.drop(path)
            return
        if self._kept == (path, document.text) and self.problem is None:
            return
        seq, text = next(self._seq), document.text
        session.tasks.submit("autosave", self._write, seq, path, text, document.disk_sha256,
                             list(self._adopted.get(path, ())),
                             on_done=lambda reason: self._written(reason, path, text),
                             on_error=lambda failure: self._set_problem("something unexpected went wrong"))

    def _write(self, seq: int, path: str, text: str, base: str | None, adopted: list[Path]) -> str | None:
        """On a worker: our draft of ``path``, or none when the file already holds the text. Returns
        None when done, or the plain reason it could not be."""
        root, store = self.session.root, self.store
        with self._lock:
            if seq < self._done:
                return _SKIPPED  # a newer write or a drop came first
            self._done = seq
            try:
                store.claim(self.owner)
                if recovery.editor_text_of(root / path) == text:
                    store.discard(root, path, self.owner)
                else:
                    store.save(root, path, text, base, self.owner)
            except OSError as exc:
                return recovery.plain_reason(exc, store.folder)
            for file in adopted:
                store.remove(file)
        return None

    def _written(self, reason: str | None, path: str, text: str) -> None:
        if reason == _SKIPPED:
            return
        if reason is None:
            self._kept = (path, text)
            self._adopted.pop(path, None)
        self._set_problem(reason)

    def drop(self, path: str) -> None:
        """The text was saved or discarded: this window's draft of ``path`` goes (and any draft it
        restored), now, and no autosave still running writes it again."""
        store, root = self.store, self.session.root
        with self._lock:
            self._done = next(self._seq)
            store.discard(root, path, self.owner)
            for file in self._adopted.pop(path, ()):
                store.remove(file)
        self._kept = None
        self._set_problem(None)  # nothing unsaved is at risk now; the next edit tries again

    def _set_problem(self, reason: str | None) -> None:
        if reason != self.problem:
            self.problem = reason
            self.problemChanged.emit(reason)

    def use_folder(self, folder: Path) -> None:
        """Keep drafts in ``folder`` from now on (the old folder is still read), and try at once."""
        store = self.store
        if Path(folder) != store.folder:
            store.also.insert(0, store.folder)
            store.folder = Path(folder)
        self._kept = None
        self.autosave()

    # ------------------------------------------------------------------ drafts of windows that are gone

    def recoverable(self, path: str | None = None) -> list[Recoverable]:
        """Drafts of windows that are gone (crashed, killed, or an older version's), newest first."""
        root, library = self.session.root, self.session.library
        adopted = {file for files in self._adopted.values() for file in files}
        drafts = [d for d in self.store.orphans(root, path, mine=self.owner) if d.file not in adopted]
        return [Recoverable(d, library.question(d.path) or d.path, recovery.disk_state(root, d)) for d in reversed(drafts)]

    def elsewhere(self, path: str) -> list[Draft]:
        """Drafts of ``path`` that other windows still running keep: their unsaved changes."""
        return [d for d in self.store.drafts(self.session.root, path)
                if d.owner != self.owner and self.store.is_live(d.owner)]

    def adopt(self, draft: Draft) -> None:
        """``draft`` was restored into this window: it is deleted once this window's draft of the
        text is written (or the text is saved), so the words are always in one draft or the other."""
        self._adopted.setdefault(draft.path, []).append(draft.file)
        self._kept = None
        self.draftsChanged.emit()
        self.autosave()

    def discard(self, draft: Draft) -> None:
        """Forget a draft of a window that is gone (never one of a window still running)."""
        if not self.store.is_live(draft.owner) or draft.owner == self.owner:
            self.store.remove(draft.file)
        self.draftsChanged.emit()

    def close(self) -> None:
        """A clean close: this window's draft goes if it holds nothing unsaved, drafts whose text is
        the file's go, and this window is no longer running (what is left is offered next start)."""
        document = self.session.document
        if document is not None and not document.modified:
            self.drop(document.path)
        try:
            self.store.prune(self.session.root, mine=self.owner)
        except OSError:
            pass
        self.store.release(self.owner)
