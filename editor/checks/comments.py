"""Open comments as findings: each unresolved comment thread on an entry is a warning on its passage
(or on the question, when its passage was rewritten), saying who asked what. An approval is refused
while any is open (``editor.vcs.review.approve``). They come from files beside the entry, not from
its text, so they are added after the entry's own checks (and never kept in the check cache)."""
from __future__ import annotations

from collections.abc import Iterable

from editor.checks import span_finding
from editor.content.comments import Thread, anchor
from editor.content.entry import Entry
from editor.findings import Finding

CATEGORY = "review"
RULE = "open-comment"
BROKEN = "unreadable-comment"


def _flat(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def findings(entry: Entry, threads: Iterable[Thread]) -> list[Finding]:
    if not entry.readable:
        return []
    out = []
    for thread in threads:
        if thread.problem is not None:
            out.append(span_finding(entry, 0, 0, CATEGORY, BROKEN, "warning",
                                    f"The comment file {thread.path} cannot be read: {thread.problem}"))
            continue
        if not thread.is_open:
            continue
        who = thread.comment.name or thread.comment.by or "A reviewer"
        replies = f" ({len(thread.replies)} repl{'y' if len(thread.replies) == 1 else 'ies'})" if thread.replies else ""
        span = anchor(thread, entry.body)
        if span is None:
            out.append(span_finding(entry, 0, 0, CATEGORY, RULE, "warning",
                                    f"Open comment from {who}, on words since rewritten (\u201c{_flat(thread.quote, 60)}"
                                    f"\u201d): {_flat(thread.comment.text)}{replies}. Resolve it before approval"))
        else:
            out.append(span_finding(entry, span[0], span[1], CATEGORY, RULE, "warning",
                                    f"Open comment from {who}: {_flat(thread.comment.text)}{replies}. "
                                    "Resolve it before approval"))
    return out
