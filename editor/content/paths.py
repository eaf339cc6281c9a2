"""Paths inside a repository, and writing files there without ever touching anything outside it.

A repository path is refused when it is absolute outside the repository, climbs out with ``..``, or
passes through a symbolic link that leads outside. A link that stays inside the repository is
followed: its target is read and written, and the link itself is kept.
"""
from __future__ import annotations

import os
import posixpath
from pathlib import Path

from editor.content.atomic import write_atomically


class UnsafePath(Exception):
    """The path leads outside the repository; the message says which and why."""


class WriteError(Exception):
    """A file could not be written; the message names the file and the reason, and says that the
    file on disk is unchanged."""


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def relative_inside(root: Path | str, relative: str) -> str:
    """``relative`` as a normalised repository path with '/', or UnsafePath."""
    root_text = os.path.abspath(root)
    text = str(relative)
    if not text.strip():
        raise UnsafePath("An empty path is not a file in the repository")
    if os.path.isabs(text):
        absolute = os.path.normpath(text)
        if not _within(absolute, root_text):
            raise UnsafePath(f"{relative} is outside the repository")
        text = os.path.relpath(absolute, root_text)
    normal = posixpath.normpath(text.replace(os.sep, "/"))
    if normal == ".." or normal.startswith(("../", "/")):
        raise UnsafePath(f"{relative} is outside the repository")
    outside = link_outside(root_text, normal)
    if outside is not None:
        raise UnsafePath(f"{normal} is a symbolic link to {outside}, outside the repository; it is neither read nor "
                         "written (replace the link with the file itself)")
    return normal


def link_outside(root: Path | str, relative: str) -> str | None:
    """Where ``relative`` really leads when a symbolic link on the way takes it outside ``root``; None when
    it stays inside (or is no link at all)."""
    parts = [part for part in str(relative).replace(os.sep, "/").split("/") if part not in ("", ".")]
    if ".." not in parts and not os.path.isabs(relative):
        current = os.fspath(root)
        for part in parts:  # the common case, cheaply: no link on the way (one lstat per folder)
            current = os.path.join(current, part)
            if os.path.islink(current):
                break
        else:
            return None
    root_real = os.path.realpath(root)
    real = os.path.realpath(os.path.join(root, relative))
    return None if _within(real, root_real) else real


def atomic_write(root: Path | str, relative: str, data: bytes) -> Path:
    """Write ``data`` to the repository file ``relative`` all at once: a temporary file beside it, flushed
    to disk, then renamed over it. A failure (read-only folder, full disk) raises WriteError and leaves
    the file exactly as it was. Never writes through a link that leads outside the repository."""
    try:
        relative = relative_inside(root, relative)
    except UnsafePath as exc:
        raise WriteError(f"Cannot save {relative}: {exc}") from None
    target = Path(os.path.realpath(Path(root) / relative))  # a link inside the repository stays a link
    try:
        write_atomically(target, data)
    except OSError as exc:
        reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else "the disk refused it")
        raise WriteError(f"Cannot save {relative}: {reason}. The file on disk is unchanged.") from None
    return target
