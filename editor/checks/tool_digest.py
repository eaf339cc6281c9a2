"""The digest of this build of the tool: its version and the bytes of its code, built-in rules, word
lists and schemas. Caches keep what they made under it, so any change of the tool makes them anew."""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import editor

_PACKAGE = Path(editor.__file__).resolve().parent


def tool_digest(schema_folder: Path) -> str:
    """The tool's version and the bytes of its code, built-in rules, word lists and schemas (hashed
    again only when one of those files changes size or time; the package's files are listed once a
    process)."""
    files = list(_package_files())
    files += schema_folder.glob("*.json")
    stamps = []
    for file in sorted(files):
        try:
            stat = file.stat()
        except OSError:
            continue
        stamps.append((str(file), stat.st_mtime_ns, stat.st_size))
    return _digest_of(tuple(stamps))


SUFFIXES = (".py", ".yaml", ".txt", ".json")


@lru_cache(maxsize=1)
def _package_files() -> tuple[Path, ...]:
    found = []
    for folder, dirs, names in os.walk(_PACKAGE):  # as rglob, at a third of its cost
        dirs.sort()
        found.extend(Path(folder, name) for name in names if os.path.splitext(name)[1] in SUFFIXES)
    return tuple(found)


@lru_cache(maxsize=4)
def _digest_of(stamps: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.blake2b(editor.__version__.encode(), digest_size=20)
    for name, _, _ in stamps:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(Path(name).read_bytes())
        except OSError:
            digest.update(b"(unreadable)")
    return digest.hexdigest()
