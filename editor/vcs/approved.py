"""The text a reviewer last approved, found in history: what an approval now would add to it.

The entry's review block names the body it approved by its hash (``body_sha256``); the version in
history whose body has that hash is the text as approved, followed through renames of the file.
When the block is gone, or names a body no commit ever held, the newest version whose own review
block covers its own body stands in for it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from editor.content.entry import Entry
from editor.vcs.git import inside
from editor.vcs.process import ObjectReader, VcsError, run

_HEX64 = re.compile(r"[0-9a-f]{64}")
HISTORY_LIMIT = 500  # versions of one entry looked through, newest first


@dataclass
class Approved:
    """A version of an entry whose review block covers its own body: the text as approved."""

    body: str
    reviewer: str
    reviewed_on: str
    sha: str | None  # the commit holding it; None when it is the file as it is now
    meta: dict = field(default_factory=dict)  # its frontmatter then
    path: str = ""  # where the file was then (a rename since moves it)


def _approved(entry: Entry) -> tuple[str, str] | None:
    review = entry.meta.get("review")
    if entry.status != "approved" or not isinstance(review, dict):
        return None
    if str(review.get("body_sha256", "")).lower() != entry.body_sha256:
        return None  # edited after that approval: not what was approved
    return str(review.get("reviewer", "")), str(review.get("reviewed_on", ""))


def versions(root: Path, relative: str) -> list[tuple[str, str]]:
    """(commit, path the file had in it) of every commit that changed the file, newest first,
    following renames."""
    path = inside(root, relative)
    try:
        out = run(root, "-c", "log.showSignature=false", "log", "--follow", "-M", "--format=%x1e%H", "--name-only",
                  f"-n{HISTORY_LIMIT}", "--", path).stdout
    except VcsError:
        return []
    found = []
    for record in out.split("\x1e")[1:]:
        lines = [line for line in record.splitlines() if line.strip()]
        if lines:
            found.append((lines[0].strip(), lines[-1] if len(lines) > 1 else path))
    return found


def last_approved(root: Path, relative: str, current: Entry | None = None) -> Approved | None:
    """The text as last approved: the file itself when its approval still holds, else the committed
    version whose body the current review block names (or the newest version approved as it stood,
    when the block names none); None when the entry was never approved."""
    if current is not None:
        found = _approved(current)
        if found is not None:
            return Approved(current.body, *found, None, dict(current.meta), current.path)
    review = current.meta.get("review") if current is not None else None
    wanted = str(review.get("body_sha256", "")).lower() if isinstance(review, dict) else ""
    wanted = wanted if _HEX64.fullmatch(wanted) else ""
    named: Approved | None = None  # the body the block names, in a version whose own block did not cover it
    newest: Approved | None = None  # the newest version approved as it stood
    history = versions(root, relative)
    if not history:
        return None
    with ObjectReader(root) as reader:
        for sha, path in history:
            raw = reader.read(f"{sha}:{path}")
            if raw is None:
                continue
            entry = Entry.from_bytes(path, raw)
            if entry.problem is not None:
                continue
            found = _approved(entry)
            if wanted and entry.body_sha256 == wanted:
                if found is not None:
                    return Approved(entry.body, *found, sha, dict(entry.meta), path)
                if named is None:
                    named = Approved(entry.body, str(review.get("reviewer", "")), str(review.get("reviewed_on", "")),
                                     sha, dict(entry.meta), path)
            elif found is not None and newest is None:
                newest = Approved(entry.body, *found, sha, dict(entry.meta), path)
                if not wanted:
                    return newest
    return named or newest
