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
ORPHANED = "orphaned-comments"


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
                                    f"A comment of {thread.path} cannot be read ({thread.problem}): mend or remove "
                                    "the file; until then it blocks approval"))
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


def orphaned(entry_path: str, threads: list[Thread]) -> list[Finding]:
    """Open comments whose entry is not where they are: one finding, on the first such thread's file."""
    waiting = [t for t in threads if t.blocks]
    if not waiting:
        return []
    folder = waiting[0].path.rpartition("/")[0]
    count = len(waiting)
    return [Finding(waiting[0].path, 1, 1, 1, 2, CATEGORY, ORPHANED, "warning",
                    f"{count} open comment{'s' if count != 1 else ''} in {folder} belong{'' if count != 1 else 's'} to "
                    f"{entry_path}, which is not there (moved or deleted outside the editor): move the folder beside "
                    "the entry, named after it, so that its comments count again")]
