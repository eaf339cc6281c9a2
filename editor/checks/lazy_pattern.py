"""A rule's pattern: its fragment wrapped in word boundaries, compiled now or when first used."""
from __future__ import annotations

import functools
import re


def wrap(fragment: str, ignorecase: bool) -> re.Pattern:
    return re.compile(r"\b(?:" + fragment + r")\b", re.IGNORECASE if ignorecase else 0)


class LazyPattern:
    """A built-in rule's condition, compiled when a text first needs it (read from ``rules_cache``,
    most conditions are never tried by a check of one entry)."""

    def __init__(self, fragment: str, ignorecase: bool):
        self.fragment, self.ignorecase = fragment, ignorecase

    @functools.cached_property
    def compiled(self) -> re.Pattern:
        return wrap(self.fragment, self.ignorecase)

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    def search(self, text: str, *where: int):
        return self.compiled.search(text, *where)

    def match(self, text: str, *where: int):
        return self.compiled.match(text, *where)
