"""Sync with the shared remote without ever dropping a writer's work.

Before anything that moves the branch (pull, merge, rebase), everything in the working tree,
untracked files included, is snapshotted into a backup commit under ``refs/malone/backups/``
without touching the files; git itself then refuses any step that would overwrite local changes.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from editor.content.paths import WriteError, atomic_write
from editor.vcs.git import inside
from editor.vcs.process import CREDENTIALS_HELP, VcsError, backup, explain, run  # noqa: F401 - names of this module
from editor.vcs.status import status

# SyncResult kinds
DONE, UP_TO_DATE, DIVERGED, CONFLICTS, REJECTED, FAILED = "done", "up-to-date", "diverged", "conflicts", "rejected", \
    "failed"


@dataclass
class SyncResult:
    ok: bool
    message: str
    backup: str | None = None  # the backup ref made before the step, if any
    kind: str = DONE  # what happened, for the caller to act on (never the message's text)


def _git(root: Path, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return run(root, *args, env=env, check=check)


def fetch(root: Path) -> SyncResult:
    _git(root, "fetch", "--prune", "--quiet")
    state = status(root)
    return SyncResult(True, f"{state.ahead} to push, {state.behind} to pull")


def pull(root: Path, strategy: str = "ff-only") -> SyncResult:
    """``ff-only`` (default), ``rebase`` or ``merge``. Work is backed up first; a diverged branch
    under ff-only is explained, not forced."""
    if strategy not in ("ff-only", "rebase", "merge"):
        raise VcsError(f"unknown pull strategy {strategy}")
    ref = backup(root, f"pull ({strategy})")
    _git(root, "fetch", "--quiet")
    state = status(root)
    if state.behind == 0:
        return SyncResult(True, "Already up to date.", ref, UP_TO_DATE)
    if strategy == "ff-only" and state.ahead:
        return SyncResult(False, f"Your branch and the shared one have both changed ({state.ahead} yours, "
                                 f"{state.behind} theirs). Choose 'rebase' to put yours on top, or 'merge'.", ref, DIVERGED)
    args = {"ff-only": ["merge", "--ff-only"], "merge": ["merge", "--no-edit"],
            "rebase": ["rebase"]}[strategy]
    upstream = state.upstream or "@{upstream}"
    result = _git(root, *args, "--end-of-options", upstream, check=False)
    if result.returncode != 0:
        after = status(root)
        if after.conflicted:
            return SyncResult(False, "These entries changed on both sides and need your choice: "
                              + ", ".join(after.conflicted), ref, CONFLICTS)
        return SyncResult(False, explain(result.stderr or result.stdout) +
                          f" Nothing was lost: a backup of your files is at {ref}.", ref, FAILED)
    return SyncResult(True, f"Pulled {state.behind} change(s).", ref)


def push(root: Path) -> SyncResult:
    if status(root).branch is None:
        return SyncResult(False, "This copy is not on a branch (a rebase or a merge may be unfinished), so there is "
                                 "nothing to push yet. Finish or undo that step first; your work is safe.", kind=FAILED)
    result = _git(root, "push", "--porcelain", "origin", "HEAD", check=False)
    rejected = "[rejected]" in result.stdout or "! " in result.stdout or result.returncode != 0
    if rejected:
        text = (result.stdout + result.stderr).lower()
        if "fetch first" in text or "non-fast-forward" in text or "rejected" in text:
            return SyncResult(False, "The shared repository has changes you do not have yet. Pull first "
                                     "(your work stays safe), then push again.", kind=REJECTED)
        return SyncResult(False, explain(result.stderr or result.stdout), kind=FAILED)
    return SyncResult(True, "Pushed.")


def has_conflict_markers(text: str) -> bool:
    """Both ends of a git conflict block ("=======" alone is also a Markdown heading underline)."""
    lines = text.splitlines()
    return any(line.startswith("<<<<<<< ") for line in lines) and any(line.startswith(">>>>>>> ") for line in lines)


def conflict_versions(root: Path, relative: str) -> tuple[str | None, str | None]:
    """Both sides of a conflicted file: (yours, theirs), as git staged them; None for a side that
    deleted the file."""
    path = inside(root, relative)

    def side(stage: int) -> str | None:
        result = _git(root, "show", f":{stage}:{path}", check=False)
        return result.stdout if result.returncode == 0 else None

    return side(2), side(3)


def resolve_conflict(root: Path, relative: str, text: str) -> None:
    """Take ``text`` as the resolved file and mark the conflict settled (the commit comes after)."""
    if has_conflict_markers(text):
        raise VcsError(f"{relative} still has conflict markers; choose a version first")
    path = inside(root, relative)
    try:
        atomic_write(root, path, text.encode("utf-8"))
    except WriteError as exc:
        raise VcsError(str(exc)) from None
    _git(root, "add", "--", path)
