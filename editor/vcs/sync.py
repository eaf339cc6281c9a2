"""Sync with the shared remote without ever dropping a writer's work.

Before anything that moves the branch (pull, merge, rebase), everything in the working tree,
untracked files included, is snapshotted into a backup commit under ``refs/malone/backups/``
without touching the files; git itself then refuses any step that would overwrite local changes.
Each step first reads the repository's state and refuses, in plain words, where it cannot work
(no upstream, no remote, not on a branch, an unfinished rebase or merge, a lock): nothing says
"Already up to date." unless there was something to compare with.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from editor.vcs import advice, state as states
from editor.vcs.conflicts import conflict_sides, write_resolution
from editor.vcs.outcome import (CONFLICTS, DIVERGED, DONE, FAILED, REFUSED, REJECTED, SERVER_REFUSED,  # noqa: F401
                                UP_TO_DATE, SyncResult, conflicts_message)
from editor.vcs.process import CREDENTIALS_HELP, VcsError, backup, explain, run  # noqa: F401 - names of this module
from editor.vcs.status import status

FETCH_SECONDS = 120  # a fetch that hangs (a dead server) is stopped after this long


def _git(root: Path, *args: str, env: dict | None = None, check: bool = True,
         timeout: int = 300) -> subprocess.CompletedProcess:
    return run(root, *args, env=env, check=check, timeout=timeout)


def _refused(state: states.RepoState, what: str) -> SyncResult | None:
    reason = advice.refusal(state, what)
    return SyncResult(False, reason, kind=REFUSED) if reason else None


def _fetch(root: Path, state: states.RepoState, timeout: int = FETCH_SECONDS) -> None:
    """Fetch the upstream's remote (or every remote), and keep what it found for the state."""
    where = [state.upstream_remote] if state.upstream_remote in state.remotes else ["--all"]
    try:
        result = _git(root, "fetch", "--prune", "--quiet", *(["--end-of-options"] if where != ["--all"] else []),
                      *where, check=False, timeout=timeout)
    except VcsError as exc:  # it hung: the shared library did not answer
        states.record_fetch(root, False, "it did not answer in time")
        raise VcsError(f"The shared library did not answer in time; your work is safe here. ({exc})") from None
    if result.returncode != 0:
        text = (result.stderr or result.stdout).lower()
        problem = explain(result.stderr or result.stdout)
        if "cannot lock ref" not in text and "unable to update local ref" not in text:  # another fetch at once
            states.record_fetch(root, False, problem)
        raise VcsError(problem)
    states.record_fetch(root, True)


def fetch_quietly(root: Path, timeout: int = 30) -> None:
    """The background fetch: what it found is kept for the state; it never fails."""
    state = states.read_state(root)
    if state.remotes and not state.problem:
        try:
            _fetch(root, state, timeout)
        except VcsError:
            pass


def fetch(root: Path) -> SyncResult:
    state = states.read_state(root)
    refused = _refused(state, "fetch")
    if refused:
        return refused
    _fetch(root, state)
    after = states.read_state(root)
    if after.upstream is None:
        return SyncResult(True, "Fetched. " + advice.describe(after).text)
    return SyncResult(True, f"{after.ahead} to push, {after.behind} to pull")


def pull(root: Path, strategy: str = "ff-only") -> SyncResult:
    """``ff-only`` (default), ``rebase`` or ``merge``. Work is backed up first; a diverged branch
    under ff-only is explained, not forced."""
    if strategy not in ("ff-only", "rebase", "merge"):
        raise VcsError(f"unknown pull strategy {strategy}")
    state = states.read_state(root)
    refused = _refused(state, "pull")
    if refused:
        return refused
    ref = backup(root, f"pull ({strategy})")
    _fetch(root, state)
    state = states.read_state(root)
    if state.behind == 0:
        return SyncResult(True, f"Already up to date with the shared library ({state.upstream}).", ref, UP_TO_DATE)
    if strategy == "ff-only" and state.ahead:
        return SyncResult(False, f"Your branch and the shared one have both changed ({state.ahead} yours, "
                                 f"{state.behind} theirs). Choose 'rebase' to put yours on top, or 'merge'.", ref, DIVERGED)
    uncommitted = [c.path for c in state.changes if c.kind != "untracked"]
    if strategy == "rebase" and uncommitted:  # git would refuse with a paragraph of its own
        listed = ", ".join(uncommitted[:3]) + (f" and {len(uncommitted) - 3} more" if len(uncommitted) > 3 else "")
        return SyncResult(False, f"Commit your changes first ({listed}): putting your commits on top of the shared "
                                 "ones needs every change committed. Nothing was changed.", ref, REFUSED)
    args = {"ff-only": ["merge", "--ff-only"], "merge": ["merge", "--no-edit"],
            "rebase": ["rebase"]}[strategy]
    result = _git(root, *args, "--end-of-options", state.upstream, check=False)
    if result.returncode != 0:
        after = status(root)
        if after.conflicted:
            return SyncResult(False, conflicts_message(after.conflicted), ref, CONFLICTS)
        return SyncResult(False, explain(result.stderr or result.stdout) +
                          f" Nothing was lost: a backup of your files is at {ref}.", ref, FAILED)
    return SyncResult(True, f"Pulled {state.behind} change(s).", ref)


def push(root: Path) -> SyncResult:
    state = states.read_state(root)
    refused = _refused(state, "push")
    if refused:
        return refused
    remote, _, branch = state.upstream.partition("/")
    if state.upstream_remote and state.upstream.startswith(state.upstream_remote + "/"):
        remote, branch = state.upstream_remote, state.upstream[len(state.upstream_remote) + 1:]
    target = state.upstream_ref if (state.upstream_ref or "").startswith("refs/heads/") else f"refs/heads/{branch}"
    return _push(root, remote, f"HEAD:{target}")


def publish(root: Path) -> SyncResult:
    """Share a branch that has no upstream yet: push it to origin (or the only remote) and track it."""
    state = states.read_state(root)
    refused = _refused(state, "publish")
    if refused:
        return refused
    result = _push(root, state.publish_remote(), f"HEAD:refs/heads/{state.branch}", "--set-upstream")
    if result.ok:
        result.message = f"Published {state.branch}: colleagues can now pull it."
    return result


def _push(root: Path, remote: str, refspec: str, *options: str) -> SyncResult:
    result = _git(root, "push", "--porcelain", *options, "--end-of-options", remote, refspec, check=False,
                  timeout=FETCH_SECONDS)
    refused = [line for line in result.stdout.splitlines() if line.startswith("!")]
    if result.returncode == 0 and not refused:
        return SyncResult(True, "Pushed.")
    said = " ".join(refused)
    if "[remote rejected]" in said:  # the server's own rules (a hook): say what it said
        reason = " ".join(line[len("remote:"):].strip() for line in result.stderr.splitlines()
                          if line.startswith("remote:") and line[len("remote:"):].strip())
        why = said.rpartition("(")[2].rstrip(")") if "(" in said else ""
        return SyncResult(False, "The shared library refused your push: " + (reason or why or "no reason given") +
                          ". Your commits are still here, unshared.", kind=SERVER_REFUSED)
    if "fetch first" in said or "non-fast-forward" in said or "[rejected]" in said:
        return SyncResult(False, "The shared repository has changes you do not have yet. Pull first "
                                 "(your work stays safe), then push again.", kind=REJECTED)
    return SyncResult(False, explain(result.stderr or result.stdout), kind=FAILED)


def has_conflict_markers(text: str) -> bool:
    """Both ends of a git conflict block ("=======" alone is also a Markdown heading underline)."""
    lines = text.splitlines()
    return any(line.startswith("<<<<<<< ") for line in lines) and any(line.startswith(">>>>>>> ") for line in lines)


def conflict_versions(root: Path, relative: str) -> tuple[bytes | None, bytes | None]:
    """Both sides of a conflicted file as bytes: (the writer's, the colleague's), whichever of git's
    stages holds each (during a rebase git's "ours" is the shared side); None for a side that
    deleted the file."""
    sides = conflict_sides(root, relative)
    return sides.mine, sides.theirs


def resolve_conflict(root: Path, relative: str, text: str | bytes) -> None:
    """Take ``text`` as the resolved file (the step is finished by Continue)."""
    write_resolution(root, relative, text)
