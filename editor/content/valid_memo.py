"""What has been validated before and found valid, kept for the next process.

Loading jsonschema and building a validator costs a fresh process a tenth of a second or more, to
learn again that the settings and an unchanged frontmatter are valid. So the digest of each value
found valid (with the schema's bytes and jsonschema's version) is kept in the user's cache folder,
and a value whose digest is there is valid without asking jsonschema. Only "valid" is kept: a value
with problems is validated every time, so what a problem says is never stale. A digest is of the
value's canonical JSON with every type named, so two values that differ in any way differ in digest."""
from __future__ import annotations

import hashlib
import json
import threading
from functools import lru_cache
from typing import Any

from editor.content.atomic import write_atomically

LIMIT = 100_000  # digests kept (the newest): some 3 MB
_lock = threading.Lock()
_known: dict[str, None] | None = None  # digest -> None, oldest first
_added: dict[str, None] = {}


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {"d": [[_canonical(k), _canonical(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return {"l": [_canonical(v) for v in value]}
    if value is None or isinstance(value, (bool, str)):
        return value
    return {type(value).__name__: repr(value)}  # int, float, dates...: the type and the exact value


@lru_cache(maxsize=8)
def _schema_key(name: str, schema_bytes: bytes) -> bytes:
    from editor.dist_versions import version

    return hashlib.blake2b(name.encode() + b"\0" + schema_bytes + str(version("jsonschema")).encode(), digest_size=16).digest()


def digest(name: str, schema_bytes: bytes, value: Any) -> str | None:
    try:
        text = json.dumps(_canonical(value), ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return None
    return hashlib.blake2b(_schema_key(name, schema_bytes) + text.encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def _file():
    from editor.resources import user_cache_dir

    return user_cache_dir() / "valid-values.json"


def _load() -> dict[str, None]:
    global _known
    if _known is None:
        try:
            listed = json.loads(_file().read_text(encoding="utf-8"))
            _known = dict.fromkeys(d for d in listed if isinstance(d, str)) if isinstance(listed, list) else {}
        except (OSError, ValueError):
            _known = {}
    return _known


def known_valid(key: str | None) -> bool:
    if key is None:
        return False
    with _lock:
        return key in _load() or key in _added


def remember(key: str | None) -> None:
    if key is not None:
        with _lock:
            _added[key] = None


def save() -> None:
    """Add what this process found valid to the kept file (as it is now: other processes add theirs)."""
    global _known
    with _lock:
        if not _added:
            return
        _known = None
        merged = _load()
        merged.update(_added)
        keep = list(merged)[-LIMIT:]
        try:
            target = _file()
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, json.dumps(keep).encode(), durable=False)
        except OSError:
            return  # only slower next time
        _added.clear()
        _known = dict.fromkeys(keep)
