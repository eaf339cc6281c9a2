"""The installed version of a distribution, read from the name of its ``.dist-info`` folder on
``sys.path``, as importlib.metadata finds it (the first path that has it), without importing
importlib.metadata and the email parser it brings (a fifth of a fresh ``check``'s start-up went
there). A distribution installed some other way is asked of importlib.metadata after all."""
from __future__ import annotations

import os
import re
import sys
from functools import lru_cache


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@lru_cache(maxsize=64)
def _listing(folder: str) -> tuple[str, ...]:
    try:
        return tuple(os.listdir(folder or "."))
    except OSError:
        return ()


@lru_cache(maxsize=64)
def version(name: str) -> str | None:
    """``name``'s version, or None when it is not installed."""
    wanted = _normal(name)
    for folder in sys.path:
        for item in _listing(folder):
            if item.endswith(".dist-info"):
                found, _, made = item[:-len(".dist-info")].partition("-")
                if made and _normal(found) == wanted:
                    return made
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
