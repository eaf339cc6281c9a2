"""Files that ship with the tool: JSON Schemas, built-in rules and the sample content.

Installed, they live inside the ``editor`` package; in a source checkout, beside it.
"""
from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the tool's '{name}' folder is missing from this installation")


def schemas_dir() -> Path:
    return data_dir("schemas")


def sample_content_dir() -> Path:
    return data_dir("sample_content")


def user_cache_dir() -> Path:
    """Where the tool keeps its caches (checks, links): ``$XDG_CACHE_HOME/malone-editor``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "malone-editor"
