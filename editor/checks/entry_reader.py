"""Reading the library's entries for a check: never through a link that leads outside the
repository, and each file's stamp (``file_stamp``) taken as it is opened, so a cached run can know
an unchanged file by its stamp alone."""
from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from stat import S_ISREG

from editor.content import file_stamp
from editor.content.paths import link_outside


class EntryReader:
    """Entries' bytes, or None when they cannot or must not be read (a link leading outside the
    repository): ``Entry.load`` then says why, and nothing of it is cached. Whether a folder has a
    link on the way is asked once per folder, and of each file only whether it is a link."""

    def __init__(self, base: Path):
        self.base = str(base)
        self._folders: dict[str, bool] = {}
        self.now = time.time()
        self.last_stamp: bytes | None = None  # of the file last read, as it was opened (``file_stamp.packed``)

    def _safe(self, path: str) -> bool:
        folder = path.rpartition("/")[0]
        safe = self._folders.get(folder)
        if safe is None:
            safe = self._folders[folder] = link_outside(self.base, folder) is None if folder else True
        return safe

    def stamps(self, paths: list[str]) -> list[bytes | None]:
        """The stamp of each of ``paths`` that is a plain file in a safe folder (``file_stamp.packed``),
        else None; in one loop, since a fresh re-check asks it of every entry."""
        lstat, base, folders, pack = os.lstat, self.base + os.sep, self._folders, file_stamp.PACKED.pack
        settled = self.now - file_stamp.RACY_SECONDS  # ``file_stamp.packed``, inline: this loop is the re-check
        out: list[bytes | None] = []
        add = out.append
        for path in paths:
            safe = folders.get(path.rpartition("/")[0])
            if not (safe if safe is not None else self._safe(path)):
                add(None)
                continue
            try:
                stat = lstat(base + path)
            except OSError:
                add(None)
                continue
            if S_ISREG(stat.st_mode) and stat.st_mtime <= settled and stat.st_ctime <= settled:
                add(pack(stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns))
            else:
                add(None)
        return out

    def __call__(self, path: str) -> bytes | None:
        self.last_stamp = None
        if not self._safe(path):
            return None
        full = self.base + os.sep + path  # plain strings: pathlib, even os.path.join, cost more than the read
        try:
            if _NO_FOLLOW is None and os.path.islink(full):  # no O_NOFOLLOW here: ask first
                raise OSError(errno.ELOOP, "a link")
            with open(full, "rb", opener=_no_link) as stream:  # no lstat first, and no moment between the two
                stat = os.fstat(stream.fileno())  # before the read: a write during it moves the stamp
                self.last_stamp = file_stamp.packed(stat, self.now) if S_ISREG(stat.st_mode) else None
                return stream.read()
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                return None
        try:  # the file is a link: read where it leads only when that is inside the repository
            if link_outside(self.base, path) is not None:
                return None
            with open(full, "rb") as stream:
                return stream.read()
        except OSError:
            return None


_NO_FOLLOW = getattr(os, "O_NOFOLLOW", None)


def _no_link(path: str, flags: int) -> int:
    return os.open(path, flags | (_NO_FOLLOW or 0))
