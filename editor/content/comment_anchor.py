"""Where a comment's passage is in an entry's body now: its quote found again (runs of white space
and line breaks may differ, as after re-wrapping a paragraph), the place whose surroundings and
position fit best winning among several; None when the words are no longer there (outdated)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.content.comments import Thread

CONTEXT = 40  # characters of prefix and suffix kept
PLACES_LIMIT = 100_000  # places a quote is looked for at, at most


def _flexible(quote: str) -> re.Pattern | None:
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _squash(text: str) -> str:
    return " ".join(text.split())


def anchor(thread: Thread, body: str) -> tuple[int, int] | None:
    """Where the thread's passage is in ``body`` now (start, end offsets), or None when its words are
    no longer there (the passage was rewritten: the comment is outdated)."""
    if thread.problem is not None or not thread.quote.strip():
        return None
    spans = []
    at = body.find(thread.quote)
    while at != -1 and len(spans) < PLACES_LIMIT:
        spans.append((at, at + len(thread.quote)))
        at = body.find(thread.quote, at + 1)
    if not spans:
        pattern = _flexible(thread.quote)
        spans = [m.span() for m, _ in zip(pattern.finditer(body), range(PLACES_LIMIT))] if pattern else []
    if not spans:
        return None
    if len(spans) == 1:
        return spans[0]
    prefix, suffix = _squash(thread.prefix), _squash(thread.suffix)

    def fit(span: tuple[int, int]) -> tuple[int, int]:
        before = _squash(body[max(0, span[0] - 3 * CONTEXT): span[0]])
        after = _squash(body[span[1]: span[1] + 3 * CONTEXT])
        context = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        return context, -abs(span[0] - thread.start)

    return max(spans, key=fit)


@dataclass
class Placed:
    """A thread and where its passage is in a body now (None: outdated)."""

    thread: Thread
    span: tuple[int, int] | None = field(default=None)

    @property
    def outdated(self) -> bool:
        return self.span is None and self.thread.problem is None


def place(threads: Iterable[Thread], body: str) -> list[Placed]:
    return [Placed(t, anchor(t, body)) for t in threads]
