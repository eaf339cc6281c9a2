"""The digest of this build of the tool: its version and the bytes of its code, built-in rules, word
lists and schemas. Caches keep what they made under it, so any change of the tool makes them anew.

Reading and hashing the package's two hundred files cost every fresh process 10 to 20 ms, more than
a re-check of one entry's rules. So the digest is also kept in the user's cache folder under the
stamps of those files (``file_stamp``: size, times and inode, as git's index keeps them): a process
that finds every file's stamp as it was reads the digest and not the files. A file changed within
the last two seconds has no stamp, and then nothing kept is used or kept."""
from __future__ import annotations

import hashlib
import os
import time
from functools import lru_cache
from pathlib import Path

import editor
from editor.content import file_stamp, whole_file

_PACKAGE = Path(editor.__file__).resolve().parent
MEMO_NAME = f"tool-digest.{whole_file.SUFFIX}"
MEMO_KEPT = 8  # digests kept: a few builds side by side (an installed one, a checkout, its branches)


def tool_digest(schema_folder: Path) -> str:
    """The tool's version and the bytes of its code, built-in rules, word lists and schemas (hashed
    again only when one of those files changes its stamp; the package's files are listed once a
    process)."""
    files = list(_package_files(str(_PACKAGE)))
    try:
        files += (os.path.join(schema_folder, name) for name in os.listdir(schema_folder) if name.endswith(".json"))
    except OSError:
        pass
    now, stamps, racy = time.time(), [], False
    for name in sorted(files):
        try:
            stat = os.stat(name)
        except OSError:
            continue
        stamp = file_stamp.stamp(stat, now)
        racy = racy or stamp is None
        stamps.append((name, stamp or (stat.st_size, stat.st_mtime_ns)))  # racy: told apart in this process only
    return _digest_of(tuple(stamps), racy)


SUFFIXES = (".py", ".yaml", ".txt", ".json")


@lru_cache(maxsize=2)
def _package_files(package: str) -> tuple[str, ...]:
    found = []
    for folder, dirs, names in os.walk(package):  # as rglob, at a third of its cost
        dirs.sort()
        found.extend(os.path.join(folder, name) for name in names if os.path.splitext(name)[1] in SUFFIXES)
    return tuple(found)


@lru_cache(maxsize=4)
def _digest_of(stamps: tuple[tuple[str, tuple[int, ...]], ...], racy: bool) -> str:
    key = hashlib.blake2b(repr((editor.__version__, stamps)).encode("utf-8", "surrogateescape"),
                          digest_size=16).hexdigest()
    memo = None if racy else _read_memo()
    if memo is not None and isinstance(memo.get(key), str):
        return memo[key]
    digest = hashlib.blake2b(editor.__version__.encode(), digest_size=20)
    for name, _ in stamps:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(Path(name).read_bytes())
        except OSError:
            digest.update(b"(unreadable)")
    made = digest.hexdigest()
    if memo is not None:
        memo.pop(key, None)
        memo[key] = made
        _write_memo(dict(list(memo.items())[-MEMO_KEPT:]))
    return made


def _memo_file() -> Path:
    from editor.resources import user_cache_dir

    return user_cache_dir() / MEMO_NAME


def _read_memo() -> dict:
    """The digests kept, by the key of the stamps they were made under; damaged or none: empty."""
    kept = whole_file.read(_memo_file())
    return {k: v for k, v in kept.items() if isinstance(v, str)} if type(kept) is dict else {}


def _write_memo(memo: dict) -> None:
    whole_file.write(_memo_file(), memo)  # one that cannot be written: only slower next time
