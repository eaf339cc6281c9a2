"""Entries changed on both sides while a rebase or a merge runs: both versions as bytes, labelled by
person and place; a choice written byte for byte; the step finished (Continue) or undone (Abort).

Which of git's stages is whose: in a merge, stage 2 ("ours") is the writer's branch and stage 3
the shared commit merged in; in a rebase it is the other way round, since git replays the writer's
commits onto the shared branch: stage 2 is the shared side, stage 3 the writer's commit."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from editor.content.paths import WriteError, atomic_write
from editor.vcs import advice
from editor.vcs.git import inside, revision
from editor.vcs.outcome import SyncResult, conflicts_message
from editor.vcs.process import VcsError, backup, commit_refusal, explain, git_env, run
from editor.vcs.state import MARKERS, MERGE, REBASE, Operation, forget_choices, git_dir, read_state, record_choice
from editor.vcs.status import status

MINE, THEIRS = "mine", "theirs"
MINE_LABEL = "Your version, not yet shared"
MAX_SKIPS = 50  # commits a rebase may find already applied, one after the other


@dataclass(frozen=True)
class Sides:
    path: str
    kind: str  # REBASE or MERGE
    mine: bytes | None  # the writer's version (None: deleted on that side)
    theirs: bytes | None  # the colleague's
    colleague: str  # who made the other side, as git has their name
    mine_label: str  # "Your version, not yet shared"
    theirs_label: str  # "Ana Ruiz's version, on the shared library"
    mine_choice: str = "Use Your Version (not yet shared)"  # the buttons that choose each
    theirs_choice: str = ""

    def chosen(self, side: str) -> bytes | None:
        return self.mine if side == MINE else self.theirs


def _result(ok: bool, message: str, kind: str, ref: str | None = None) -> SyncResult:
    return SyncResult(ok, message, ref, kind)


def _operation(root: Path) -> Operation:
    state = read_state(root)
    if state.problem:
        raise VcsError(state.problem)
    operation = state.operation
    if operation is None or operation.kind not in (REBASE, MERGE):
        raise VcsError("Nothing here changed on both sides: no rebase or merge is waiting for a choice.")
    return operation


def _blob(root: Path, stage: int, path: str) -> bytes | None:
    """A stage's bytes exactly as git keeps them (no newline translation, no text filter)."""
    result = run(root, "cat-file", "blob", f":{stage}:{path}", check=False, raw=True)
    return result.stdout if result.returncode == 0 else None


def _orig_head(folder: Path) -> str | None:
    for name in ("rebase-merge", "rebase-apply"):
        try:
            return revision((folder / name / "orig-head").read_text(encoding="utf-8").strip())
        except (OSError, VcsError):
            continue
    return None


def _colleague(root: Path, operation: Operation, path: str) -> tuple[str, str, bool]:
    """The name and email of whoever made the other side of ``path`` (the newest commit of the
    shared side that changed it), and whether that side is on the shared library."""
    other = operation.other
    if other is None:
        return "", "", False
    sha = revision(other.sha)
    mine = _orig_head(git_dir(root)) if operation.kind == REBASE else run(root, "rev-parse", "HEAD").stdout.strip()
    exclude = [f"^{revision(mine)}"] if mine else []
    out = run(root, "log", "-1", "--format=%an%x00%ae", "--end-of-options", sha, *exclude, "--", path, check=False)
    name, _, email = out.stdout.strip("\n").partition("\0")
    shared = bool(run(root, "for-each-ref", "--count=1", "--format=x", "--contains", sha, "refs/remotes",
                      check=False).stdout.strip())
    return (name, email, shared) if name else (other.author, other.email, shared)


def conflict_sides(root: Path, relative: str) -> Sides:
    path = inside(root, relative)
    operation = _operation(root)
    mine_stage, theirs_stage = (3, 2) if operation.kind == REBASE else (2, 3)
    name, email, shared = _colleague(root, operation, path)
    own = run(root, "config", "user.email", check=False).stdout.strip()
    place = "on the shared library" if shared or operation.kind == REBASE else "from the branch being merged"
    if email and own and email.lower() == own.lower():  # pushed from another copy of the writer's own
        whose, choice = "Your earlier version", "Your Earlier Version"
    else:
        whose, choice = (f"{name}'s version", f"{name}'s Version") if name else ("A colleague's version",
                                                                                 "a Colleague's Version")
    return Sides(path, operation.kind, _blob(root, mine_stage, path), _blob(root, theirs_stage, path),
                 name or "a colleague", MINE_LABEL, f"{whose}, {place}", theirs_choice=f"Use {choice} ({place})")


def choose(root: Path, relative: str, side: str) -> Sides:
    """Take one side of a conflicted entry, byte for byte, as its content (a side that deleted it
    removes the file). The choice can be changed until Continue, which stages it."""
    if side not in (MINE, THEIRS):
        raise VcsError(f"unknown side {side}")
    path = inside(root, relative)
    operation = _operation(root)
    if path not in {c.path for c in operation.conflicts}:
        raise VcsError(f"{path} did not change on both sides, so there is no version to choose.")
    sides = conflict_sides(root, path)
    data = sides.chosen(side)
    if data is None:
        try:
            (Path(root) / path).unlink(missing_ok=True)  # inside() refused a link leading outside
        except OSError as exc:
            raise VcsError(f"Cannot remove {path}: {exc.strerror or exc}") from None
    else:
        _write(root, path, data)
    record_choice(root, operation.step_id, path, side)
    return sides


def write_resolution(root: Path, relative: str, data: str | bytes) -> None:
    """Take ``data`` (edited by hand) as the resolved file."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if _has_markers(raw):
        raise VcsError(f"{relative} still has conflict markers; choose a version first")
    path = inside(root, relative)
    _write(root, path, raw)
    operation = read_state(root).operation
    if operation is not None:
        record_choice(root, operation.step_id, path, "edited")


def _write(root: Path, path: str, data: bytes) -> None:
    try:
        atomic_write(root, path, data)
    except WriteError as exc:
        raise VcsError(str(exc)) from None


def _has_markers(data: bytes) -> bool:
    lines = data.splitlines()
    return any(line.startswith(MARKERS[0]) for line in lines) and any(line.startswith(MARKERS[1]) for line in lines)


def _names(root: Path, *args: str) -> list[str]:
    out = run(root, *args, raw=True).stdout.decode("utf-8", "surrogateescape")
    return [name for name in out.split("\0") if name]


# ---------------------------------------------------------------------------------------- Continue and Abort


def continue_operation(root: Path):
    """Finish the step with the versions chosen: stage them, then commit the merge (only the merge
    and the choices: anything else staged is unstaged and stays in the files) or continue the
    rebase (``git rebase --continue``), stopping again at the next conflict. Refuses, changing
    nothing, while an entry still waits for a choice."""
    state = read_state(root)
    operation = state.operation
    if state.lock is not None:
        return _result(False, advice.refusal(state, "continue"), "refused")
    if operation is None:
        return _result(False, "Nothing is unfinished here, so there is nothing to continue.", "refused")
    if operation.kind not in (REBASE, MERGE):
        return _result(False, f"{advice.OPERATION_WORDS[operation.kind].capitalize()} was started in a terminal; "
                              "finish it there, or Abort.", "refused")
    waiting = operation.unresolved
    if waiting:
        return _result(False, "Choose a version of " + ", ".join(waiting) + " first (or Abort to go back).", "refused")
    paths = [c.path for c in operation.conflicts]
    for path in paths:
        target = Path(root) / path
        if target.is_file() and not target.is_symlink() and _has_markers(target.read_bytes()):
            return _result(False, f"{path} still has conflict markers (<<<<<<< \u2026 >>>>>>>): choose a version "
                                  "first.", "refused")
    if operation.kind == REBASE:
        others = [c.path for c in status(root).changes if c.unstaged and c.kind not in ("untracked", "conflicted")]
        if others:
            return _result(False, "Continuing needs your other files as this step left them, and "
                                  + ", ".join(others[:3]) + " changed since. Discard that change (a backup is kept) "
                                  "or Abort, then Continue.", "refused")
    for path in paths:
        if os.path.lexists(Path(root) / path):
            run(root, "add", "--", path)
        else:
            run(root, "rm", "-q", "--cached", "--ignore-unmatch", "--", path)
    # what would be committed, whoever staged it (a terminal's `git add` takes a file off the
    # conflict list, markers and all): nothing with conflict markers goes in
    staged = _names(root, "diff", "--cached", "--name-only", "--no-renames", "-z", "HEAD", "--")
    for path in staged:
        blob = run(root, "cat-file", "blob", f":{path}", check=False, raw=True)
        if blob.returncode == 0 and _has_markers(blob.stdout):
            return _result(False, f"{path} still has conflict markers (<<<<<<< \u2026 >>>>>>>), though it is marked "
                                  "as settled: choose a version first.", "refused")
    forget_choices(root)
    return _finish_merge(root, operation, paths) if operation.kind == MERGE else _continue_rebase(root)


def _finish_merge(root: Path, operation: Operation, chosen: list[str]):
    other = revision(operation.other.sha)
    merged = set(_names(root, "diff", "--name-only", "--no-renames", "-z", "--end-of-options", f"HEAD...{other}", "--"))
    staged = _names(root, "diff", "--cached", "--name-only", "--no-renames", "-z", "HEAD", "--")
    extra = [path for path in staged if path not in merged and path not in chosen]
    if extra:  # staged before (a commit that failed, a terminal): not the writer's choice, not in this commit
        run(root, "reset", "-q", "HEAD", "--", *extra)
    env = dict(git_env(), GIT_EDITOR="true")
    result = run(root, "commit", "--no-edit", env=env, check=False, input="")  # the repository's hooks run
    if result.returncode != 0:
        return _result(False, commit_refusal(result.stderr + result.stdout) + " The merge is not finished yet: "
                              "Continue again when it can be committed, or Abort.", "failed")
    said = f"Merged: your choice for {len(chosen)} entr{'y' if len(chosen) == 1 else 'ies'} is committed. Push to share it."
    if extra:
        said += (" " + ", ".join(extra) + " had been staged but is not part of the merge: it stays changed in your "
                 "files, not in this commit.")
    return _result(True, said, "done")


def _continue_rebase(root: Path):
    env = dict(git_env(), GIT_EDITOR="true")
    result = run(root, "rebase", "--continue", env=env, check=False)
    for _ in range(MAX_SKIPS):
        state = read_state(root)
        operation = state.operation
        if operation is None:
            branch = state.branch or "your branch"
            return _result(True, f"Done: your commits are on top of the shared library, on {branch}. Push to share "
                                 "them.", "done")
        if operation.conflicts:
            return _result(False, conflicts_message([c.path for c in operation.conflicts]), "conflicts")
        text = (result.stderr + result.stdout).lower()
        if "empty" not in text and "nothing to commit" not in text:
            break
        result = run(root, "rebase", "--skip", env=env, check=False)  # the choice made the commit empty
    return _result(False, explain(result.stderr or result.stdout), "failed")


def abort_operation(root: Path):
    """Go back to exactly how things were before the rebase or merge began (``git rebase --abort`` /
    ``git merge --abort``); whatever is in the files now is backed up first."""
    state = read_state(root)
    operation = state.operation
    if operation is None:
        return _result(False, "Nothing is unfinished here, so there is nothing to abort.", "refused")
    if state.lock is not None:
        return _result(False, advice.refusal(state, "abort"), "refused")
    ref = backup(root, f"abort ({operation.kind})")
    result = run(root, operation.kind, "--abort", check=False)
    if result.returncode != 0:
        return _result(False, explain(result.stderr or result.stdout) + f" A backup of your files is at {ref}.",
                       "failed", ref)
    forget_choices(root)
    return _result(True, "Back to exactly how things were before; the versions you chose are kept in a backup "
                         f"({ref}).", "done", ref)
