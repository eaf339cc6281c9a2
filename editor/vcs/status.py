"""The repository's state from one ``git status --porcelain=v2 --branch`` call."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from editor.content.atomic import is_leftover

from editor.vcs.process import VcsError, explain, git_env

KINDS = {"M": "modified", "A": "added", "D": "deleted", "R": "renamed", "C": "copied", "T": "type changed"}


@dataclass
class Change:
    path: str
    kind: str  # modified, added, deleted, renamed, untracked, conflicted ...
    staged: bool = False
    unstaged: bool = False  # changed in the working tree since it was staged (or committed)
    original: str | None = None  # before a rename
    code: str = ""  # for a conflict, git's two letters: UU both changed, DU deleted by us, UD by them ...


@dataclass
class Status:
    branch: str | None = None
    head: str | None = None  # the commit checked out (None before the first commit)
    upstream: str | None = None
    ahead: int = 0
    behind: int = 0
    changes: list[Change] = field(default_factory=list)

    @property
    def conflicted(self) -> list[str]:
        return [c.path for c in self.changes if c.kind == "conflicted"]


def status(root: Path) -> Status:
    try:
        out = subprocess.run(["git", "-C", str(root), "status", "--porcelain=v2", "--branch", "-z",
                              "--untracked-files=all"], capture_output=True, env=git_env(), timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise VcsError(f"git status did not run: {exc}") from None
    if out.returncode != 0:
        raise VcsError(explain(out.stderr.decode("utf-8", "replace")) or "git status failed")
    return parse_status(out.stdout.decode("utf-8", "surrogateescape"))


def parse_status(text: str) -> Status:
    result = Status()
    records = text.split("\0")
    index = 0
    while index < len(records):
        record = records[index]
        index += 1
        if not record:
            continue
        if record.startswith("# branch.oid "):
            oid = record[len("# branch.oid "):]
            result.head = None if oid == "(initial)" else oid
        elif record.startswith("# branch.head "):
            head = record[len("# branch.head "):]
            result.branch = None if head == "(detached)" else head
        elif record.startswith("# branch.upstream "):
            result.upstream = record[len("# branch.upstream "):]
        elif record.startswith("# branch.ab "):
            ahead, behind = record[len("# branch.ab "):].split()
            result.ahead, result.behind = int(ahead), -int(behind)
        elif record.startswith("1 "):
            parts = record.split(" ", 8)
            result.changes.append(_change(parts[1], parts[8]))
        elif record.startswith("2 "):
            parts = record.split(" ", 9)
            change = _change(parts[1], parts[9])
            change.original = records[index] if index < len(records) else None
            index += 1
            result.changes.append(change)
        elif record.startswith("u "):
            parts = record.split(" ", 10)
            result.changes.append(Change(parts[10], "conflicted", code=parts[1]))
        elif record.startswith("? ") and not is_leftover(record[2:]):  # a killed write's temporary file
            result.changes.append(Change(record[2:], "untracked"))
    return result


def _change(xy: str, path: str) -> Change:
    staged, unstaged = xy[0], xy[1]
    code = unstaged if unstaged != "." else staged
    return Change(path, KINDS.get(code, "modified"), staged=staged != ".", unstaged=unstaged != ".")
