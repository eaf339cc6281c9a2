"""The text a reviewer last approved, found in history: what an approval now would add to it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from editor.content.entry import Entry
from editor.vcs import git as vcs


@dataclass
class Approved:
    """A version of an entry whose review block covers its own body: the text as approved."""

    body: str
    reviewer: str
    reviewed_on: str
    sha: str | None  # the commit holding it; None when it is the file as it is now


def _approved(entry: Entry) -> tuple[str, str] | None:
    review = entry.meta.get("review")
    if entry.status != "approved" or not isinstance(review, dict):
        return None
    if str(review.get("body_sha256", "")).lower() != entry.body_sha256:
        return None  # edited after that approval: not what was approved
    return str(review.get("reviewer", "")), str(review.get("reviewed_on", ""))


def last_approved(root: Path, relative: str, current: Entry | None = None) -> Approved | None:
    """The newest approved text of ``relative``: the file itself when its approval still holds,
    else the newest committed version whose approval covered its body; None when never approved."""
    if current is not None:
        found = _approved(current)
        if found is not None:
            return Approved(current.body, *found, None)
    for revision in vcs.history(root, relative):
        text = vcs.file_at(root, revision.sha, relative)
        if text is None:
            continue
        entry = Entry.from_text(relative, text)
        found = _approved(entry)
        if found is not None:
            return Approved(entry.body, *found, revision.sha)
    return None
