"""Compiled regular expressions kept for the next process.

A fresh ``check`` after one edit compiled some 190 patterns (the settings' and Markdown's, PyYAML's,
the rules the changed entry may match): 29 ms of a re-check that should cost little more than
reading the library. Python compiles a pattern in two steps: its parser and code generator, written
in Python, turn the text into a list of numbers, and ``_sre.compile``, in C, makes the pattern
object from that list. This module keeps the lists (in ``whole_file``'s checked format) and, in the
next process, makes the patterns from them and puts them in ``re``'s own cache, so ``re.compile``
of the same text and flags finds them made.

Nothing else changes: a pattern made from the list its own Python's compiler produced is the same
object a compile makes (``tests/test_regex_cache.py`` compares them), and ``_sre`` validates every
list it is given. The file is keyed by the Python version, and this is switched off, as if there
were no file, on any Python whose ``re`` is not built the way this relies on."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from editor.content import whole_file

KEPT = 400  # patterns kept: fewer than re's own cache holds (512), so a preload leaves it room
FILE_NAME = f"regex-{sys.implementation.cache_tag}.{whole_file.SUFFIX}"

try:
    import _sre
    import re._compiler as _compiler
    import re._parser as _parser
    _USABLE = callable(getattr(_sre, "compile", None)) and isinstance(getattr(re, "_cache", None), dict) \
        and callable(getattr(_compiler, "_code", None)) and callable(getattr(_parser, "parse", None))
except ImportError:  # pragma: no cover - another Python's re
    _USABLE = False

# the compiler's own version besides the Python's: a patch release may compile differently
_COMPILER = (sys.version, getattr(_compiler, "MAGIC", None) if _USABLE else None)
_loaded: set[tuple] = set()  # keys of re's cache the file holds (made from it, or already made)
SMALL = (8, 2_000)  # fewer new patterns than this, this long in all, compile faster than a write


def _file(folder: Path | None) -> Path:
    if folder is None:
        from editor.resources import user_cache_dir

        folder = user_cache_dir()
    return folder / FILE_NAME


def _made(kind: type, pattern, flags: int, parts):
    """The pattern of ``parts`` (as ``_parts`` made them), or None when they are not such parts."""
    try:
        final_flags, code, groups, groupindex, indexgroup = parts
        if type(pattern) is not kind or kind not in (str, bytes) or type(code) is not list:
            return None
        return _sre.compile(pattern, final_flags, code, groups, groupindex, indexgroup)
    except (TypeError, ValueError, RuntimeError, OverflowError):  # not the parts of a pattern
        return None


def _parts(pattern, flags: int):
    """What ``re._compiler.compile`` hands ``_sre.compile`` for ``pattern`` and ``flags``."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # plain numbers: its names are int subclasses
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _kept(data) -> list:
    """The kept items, if the file was written by this very Python and compiler; else none."""
    if type(data) is tuple and len(data) == 2 and data[0] == _COMPILER and type(data[1]) is list:
        return data[1]
    return []


def preload(folder: Path | None = None) -> int:
    """Put the kept patterns in ``re``'s cache; how many were made."""
    if not _USABLE:
        return 0
    kept = _kept(whole_file.read(_file(folder)))
    cache, made = re._cache, 0
    for item in kept[:KEPT]:
        if type(item) is not tuple or len(item) != 4:
            continue
        kind_name, pattern, flags, parts = item
        kind = str if kind_name == "str" else bytes if kind_name == "bytes" else None
        key = (kind, pattern, flags)
        if kind is None or type(flags) is not int:
            continue
        if key in cache:  # compiled before the preload (by the modules a command starts with)
            _loaded.add(key)
            continue
        compiled = _made(kind, pattern, flags, parts)
        if compiled is None:
            continue
        cache[key] = compiled
        _loaded.add(key)
        made += 1
    return made


def save(folder: Path | None = None) -> None:
    """Keep the patterns in ``re``'s cache now (this process's newest first, then those kept before),
    when enough are new to be worth a write: a library may make a pattern anew in each process (from
    the members of a set, whose order changes from one process to the next), and writing the file
    for it would cost more than compiling it. A folder that cannot be written only makes the next
    start slower."""
    if not _USABLE:
        return
    keys = [key for key in list(re._cache) if type(key) is tuple and len(key) == 3]
    new = [key for key in keys if key not in _loaded and key[0] in (str, bytes) and not key[2] & re.DEBUG]
    if len(new) < SMALL[0] and sum(len(key[1]) for key in new) < SMALL[1]:
        return
    file = _file(folder)
    before = _kept(whole_file.read(file))
    items, seen = [], set()
    for kind, pattern, flags in reversed(new):
        try:
            parts = _parts(pattern, flags)
        except Exception:  # noqa: BLE001 - a pattern that compiled once compiles again; never fail a command for a cache
            continue
        items.append((kind.__name__, pattern, flags, parts))
        seen.add((kind.__name__, pattern, flags))
    for item in before:
        if type(item) is tuple and len(item) == 4 and item[:3] not in seen:
            items.append(item)
            seen.add(item[:3])
    whole_file.write(file, (_COMPILER, items[:KEPT]))
    _loaded.update(new)
