"""The one way this tool writes a file: all at once, or not at all.

The data goes to a temporary file beside the target, is flushed to disk, and is renamed over the
target, so a crash, a kill or a full disk leaves either the old file or the new one, never half of
each. Every write of an entry, a settings file, a draft or a cache goes through ``write_atomically``.

A killed write can leave its temporary file behind. Temporary files carry the writer's process id
(``.NAME.~malone-PID-RANDOM.tmp``), so the next start removes those whose writer is gone
(``remove_leftovers``) and nothing lists them as entries or as changes (``is_leftover``).
"""
from __future__ import annotations

import errno
import os
import re
import stat
import time
from pathlib import Path

_MARK = ".~malone-"
_LEFTOVER = re.compile(r"^\..*\.~malone-(\d+)-[^/]*\.tmp$")
NAME_BYTES = 160  # of the target's name kept in the temporary file's, which adds about 30
STALE_SECONDS = 3600  # a temporary file this old is left over even if its process id was reused


def write_atomically(target: Path | str, data: bytes, mode: int | None = None, durable: bool = True) -> Path:
    """Write ``data`` to ``target`` (its folder must exist). Keeps the target's permissions (or
    ``mode``, or the umask's default for a new file). Raises OSError and leaves the target unchanged.
    ``durable``: flushed to the disk before the rename (a cache, which a power cut may lose, skips it)."""
    target = Path(target)
    name = target.name.encode("utf-8")[:NAME_BYTES].decode("utf-8", "ignore")  # names are at most 255 bytes
    handle, temp = create_temporary(target.parent, f".{name}{_MARK}{os.getpid()}-", ".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        if mode is None:
            try:
                mode = stat.S_IMODE(os.stat(target).st_mode)
            except FileNotFoundError:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
        os.chmod(temp, mode)
        os.replace(temp, target)
        temp = None
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
    return target


_CREATE = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_BINARY", 0)


def create_temporary(folder: Path, prefix: str, suffix: str) -> tuple[int, str]:
    """A new file in ``folder`` that nobody else can have opened (``O_EXCL``, readable by its owner
    only until its mode is set), as ``tempfile.mkstemp`` makes one, without importing tempfile,
    random and shutil (4 ms at each start of a command that writes a cache)."""
    for _ in range(100):
        path = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(path, _CREATE, 0o600), path
        except FileExistsError:
            continue  # a name taken: one in 2**48, or a folder that lies
    raise FileExistsError(errno.EEXIST, "No temporary name could be made", str(folder))


def is_leftover(name: str) -> bool:
    """Whether a file name (or a path's last part) is one of our temporary files."""
    return _MARK in name and _LEFTOVER.match(name.rpartition("/")[2]) is not None


def _writer_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists but is not ours to signal
        return False
    return False


def remove_leftovers(folder: Path | str, recursive: bool = True, now: float | None = None) -> list[Path]:
    """Remove temporary files under ``folder`` left by writes that were killed: their process is gone,
    or they are over an hour old. Hidden folders (``.git``) are not walked. Returns what was removed."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    for current, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")] if recursive else []
        for name in files:
            match = _LEFTOVER.match(name) if _MARK in name else None
            if match is None:
                continue
            path = Path(current) / name
            try:
                old = now - path.lstat().st_mtime > STALE_SECONDS
                if old or _writer_gone(int(match.group(1))):
                    path.unlink()
                    removed.append(path)
            except OSError:
                continue
    return removed
