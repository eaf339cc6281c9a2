"""Crash recovery: unsaved editor text kept in a folder of its own until it is saved or dropped.

One JSON file per (repository, entry, window): the text, and a hash of the file as it was on disk
when editing began, so a restore can tell whether the file changed since. Each window (each editing
session) has an ``owner`` id of its own, so two windows on one entry never overwrite or delete each
other's drafts. A draft file of an older version, keyed by (repository, entry) only, has no owner;
it is read like any other.

A window that keeps drafts holds a lock on ``windows/OWNER.lock`` in the folder (``claim``), which
the system lets go of when its process ends, however it ends. So ``is_live`` tells a draft whose
window is still running (not to be offered, and not to be deleted by anyone else) from one whose
window is gone (crashed or killed: offered on the next start).
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from editor.content.atomic import write_atomically
from editor.content.source import DecodeFailure, EditorText

try:
    import fcntl
except ImportError:  # not on Windows: there, only the windows of this process are known to be running
    fcntl = None

LOCKS = "windows"
SAME, CHANGED, DELETED = "same", "changed", "deleted"  # the file on disk since the draft's edits began


@dataclass
class Draft:
    repository: str
    path: str
    text: str
    base_sha256: str | None
    saved_at: float
    file: Path
    owner: str | None = None  # the window that kept it; None for a draft of an older version


def _key(repository: Path, path: str) -> str:
    return hashlib.sha256(f"{Path(repository).resolve()}\n{path}".encode()).hexdigest()[:32]


def _name(repository: Path, path: str, owner: str | None) -> str:
    return f"{_key(repository, path)}-{owner}.json" if owner else f"{_key(repository, path)}.json"


def sha256_of(file: Path) -> str | None:
    try:
        return hashlib.sha256(Path(file).read_bytes()).hexdigest()
    except OSError:
        return None


def editor_text_of(file: Path) -> str | None:
    """The file's text as the editor holds it; None when it cannot be read as text."""
    try:
        return EditorText.from_bytes(Path(file).read_bytes()).text
    except (OSError, DecodeFailure):
        return None


def disk_state(root: Path, draft: Draft) -> str:
    """SAME, CHANGED or DELETED: the entry's file now, against the one the draft's edits began from."""
    file = Path(root) / draft.path
    if not file.exists():
        return DELETED
    return SAME if draft.base_sha256 is None or sha256_of(file) == draft.base_sha256 else CHANGED


_REASONS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "your disk quota is used up",
            errno.EROFS: "the recovery folder is on a disk that is read-only",
            errno.EIO: "the disk reported an error while writing"}


def plain_reason(exc: OSError, folder: Path) -> str:
    """Why a draft could not be written, in words for the writer (never an exception's text)."""
    code = getattr(exc, "errno", None)
    if code in _REASONS:
        return _REASONS[code]
    if code in (errno.EACCES, errno.EPERM):
        return f"the recovery folder {folder} may not be written to"
    if code in (errno.ENOENT, errno.ENOTDIR):
        return f"the recovery folder {folder} cannot be found or made"
    return f"the recovery folder {folder} cannot be written to"


class RecoveryStore:
    """Drafts are written to ``folder``; drafts in the folders ``also`` (an earlier recovery
    folder) are read too, so nothing kept there is forgotten."""

    def __init__(self, folder: Path, also: tuple[Path, ...] | list[Path] = ()):
        self.folder = Path(folder)
        self.also = [Path(f) for f in also]
        self._held: dict[tuple[Path, str], object] = {}  # (folder, owner): the open, locked lock file
        self._released: set[str] = set()  # windows that closed: never marked running again
        self._mutex = threading.Lock()

    @property
    def folders(self) -> list[Path]:
        found = []
        for folder in [self.folder, *self.also]:
            if folder not in found:
                found.append(folder)
        return found

    # ------------------------------------------------------------------ drafts

    def save(self, repository: Path, path: str, text: str, base_sha256: str | None, owner: str | None = None) -> Path:
        """Write atomically: a crash while writing leaves the previous draft intact. Raises OSError."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / _name(repository, path, owner)
        data = {"repository": str(Path(repository).resolve()), "path": path, "text": text,
                "base_sha256": base_sha256, "saved_at": time.time(), "owner": owner}
        write_atomically(target, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        return target

    def discard(self, repository: Path, path: str, owner: str | None = None) -> bool:
        """Remove the draft of ``owner`` (only that one) in every folder; False when one could not be."""
        return all(self.remove(folder / _name(repository, path, owner)) for folder in self.folders)

    @staticmethod
    def remove(file: Path) -> bool:
        try:
            Path(file).unlink(missing_ok=True)
        except OSError:
            return False
        return True

    def drafts(self, repository: Path, path: str | None = None) -> list[Draft]:
        """Drafts for ``repository`` (of the entry ``path`` only, if given), oldest first; unreadable
        draft files are skipped."""
        wanted = str(Path(repository).resolve())
        pattern = f"{_key(repository, path)}*.json" if path is not None else "*.json"
        found = []
        for folder in self.folders:
            if not folder.is_dir():
                continue
            for file in sorted(folder.glob(pattern)):
                try:
                    data = json.loads(file.read_text(encoding="utf-8"))
                    if data.get("repository") == wanted and (path is None or data["path"] == path):
                        found.append(Draft(data["repository"], data["path"], data["text"], data.get("base_sha256"),
                                           float(data.get("saved_at", 0)), file, data.get("owner") or None))
                except (OSError, ValueError, KeyError, TypeError, AttributeError):
                    continue
        return sorted(found, key=lambda d: d.saved_at)

    def orphans(self, repository: Path, path: str | None = None, mine: str | None = None) -> list[Draft]:
        """Drafts whose window is gone (not ``mine``, not one still running): the ones to offer."""
        return [d for d in self.drafts(repository, path)
                if (mine is None or d.owner != mine) and not self.is_live(d.owner)]

    def prune(self, repository: Path, mine: str | None = None) -> list[Path]:
        """Remove the drafts that hold nothing the file does not (their text is the file's), of
        windows that are gone or of ``mine``; and the lock files of windows that are gone."""
        removed = []
        texts: dict[str, str | None] = {}
        for draft in self.drafts(repository):
            if draft.owner != mine and self.is_live(draft.owner):
                continue  # another window's, still running: its own business
            if draft.path not in texts:
                texts[draft.path] = editor_text_of(Path(repository) / draft.path)
            if texts[draft.path] == draft.text and self.remove(draft.file):
                removed.append(draft.file)
        self._remove_dead_locks()
        return removed

    # ------------------------------------------------------------------ which windows are running

    def _lock_file(self, folder: Path, owner: str) -> Path:
        return folder / LOCKS / f"{owner}.lock"

    def claim(self, owner: str) -> None:
        """Mark ``owner``'s window as running, in the folder drafts are written to (before its first
        draft there). Raises OSError when the folder cannot be written."""
        if owner in self._released:
            return  # a write that was already under way when its window closed: its draft is a gone window's
        if fcntl is None:
            with self._mutex:
                self._held[(self.folder, owner)] = True
                _RUNNING.add(owner)
            return
        file = self._lock_file(self.folder, owner)
        with self._mutex:
            handle = self._held.get((self.folder, owner))
            if handle is not None:
                try:  # still the lock file everyone sees (not removed by mistake): nothing to do
                    if os.stat(file).st_ino == os.fstat(handle.fileno()).st_ino:
                        return
                except OSError:
                    pass
                handle.close()
            file.parent.mkdir(parents=True, exist_ok=True)
            handle = open(file, "a+b")  # noqa: SIM115 - held open while the window runs
            try:  # blocking: others only ever hold it for a moment, to see whether it is held
                fcntl.flock(handle, fcntl.LOCK_EX)
            except OSError:
                handle.close()
                raise
            self._held[(self.folder, owner)] = handle

    def release(self, owner: str) -> None:
        """The window closed: its lock files go (its drafts, if any are left, are then offered)."""
        with self._mutex:
            self._released.add(owner)
            _RUNNING.discard(owner)
            for key in [k for k in self._held if k[1] == owner]:
                handle = self._held.pop(key)
                if handle is not True:
                    try:
                        self._lock_file(key[0], owner).unlink(missing_ok=True)
                    except OSError:
                        pass
                    handle.close()

    def is_live(self, owner: str | None) -> bool:
        """Whether the window ``owner`` is still running (in this process or another)."""
        if not owner:
            return False
        if any(k[1] == owner for k in list(self._held)):  # a worker may be claiming meanwhile
            return True
        if fcntl is None:
            return owner in _RUNNING
        return any(_locked(self._lock_file(folder, owner)) for folder in self.folders)

    def _remove_dead_locks(self) -> None:
        if fcntl is None:
            return
        for folder in self.folders:
            for file in (folder / LOCKS).glob("*.lock") if (folder / LOCKS).is_dir() else ():
                if (folder, file.stem) in list(self._held):
                    continue
                try:
                    with open(file, "rb") as handle:
                        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # its window is gone
                        file.unlink()
                except OSError:
                    continue


_RUNNING: set[str] = set()  # without fcntl: the windows of this process that keep drafts


def _locked(file: Path) -> bool:
    try:
        handle = open(file, "rb")  # noqa: SIM115
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
