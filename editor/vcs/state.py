"""The repository's state as the writer needs to know it: which branch, shared or not, how far
ahead and behind, whether the shared library answered at the last try, an unfinished rebase or
merge (with its conflicted entries and, for a rebase, the writer's commit being replayed), a copy
not on any branch, and a lock another git program holds or left behind.

``read_state(root)`` reads it with a few git calls and files of the git folder, never a network
call: whether the remote is reachable is what the last fetch found (``record_fetch``)."""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from editor.content.atomic import write_atomically
from editor.vcs.process import VcsError, run
from editor.vcs.status import Status, status

REBASE, MERGE, CHERRY_PICK, REVERT = "rebase", "merge", "cherry-pick", "revert"
STALE_LOCK_SECONDS = 30  # a lock this old with no git program running in the library was left behind
STALE_LOCK_UNSURE_SECONDS = 600  # where running programs cannot be seen (no /proc), only age tells
FETCH_RECORD = "malone-last-fetch.json"  # in the git folder: what the last fetch found
CHOICES_RECORD = "malone-choices.json"  # in the git folder: versions chosen in this step of a rebase or merge
MARKERS = (b"<<<<<<< ", b">>>>>>> ")


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    author: str
    email: str
    subject: str


@dataclass(frozen=True)
class ConflictFile:
    path: str
    code: str  # git's letters: UU both changed, AA both added, DU / UD deleted on one side ...
    chosen: str | None = None  # "mine", "theirs" (chosen in the editor), "edited" (no markers left), None


@dataclass(frozen=True)
class Operation:
    kind: str  # REBASE, MERGE, CHERRY_PICK or REVERT
    conflicts: tuple[ConflictFile, ...] = ()
    replaying: CommitInfo | None = None  # a rebase: the writer's commit being put on top again
    other: CommitInfo | None = None  # a merge: the shared commit merged in; a rebase: what it goes onto
    branch: str | None = None  # a rebase: the branch it will move when done
    step: tuple[int, int] | None = None  # a rebase: commit n of m

    @property
    def unresolved(self) -> list[str]:
        return [c.path for c in self.conflicts if c.chosen is None]

    @property
    def step_id(self) -> str:
        """What identifies this step: the commit being replayed, or the one merged in."""
        commit = self.replaying or self.other
        return commit.sha if commit else ""


@dataclass(frozen=True)
class Lock:
    path: str
    since: float  # the lock file's time
    git_running: bool | None  # a git program is working in this library (None: cannot tell here)
    stale: bool  # left behind: safe to remove


@dataclass
class RepoState:
    repository: bool = True
    problem: str = ""  # why the state could not be read (not a repository, owned by someone else ...)
    branch: str | None = None
    head: str | None = None
    upstream: str | None = None  # "origin/main"
    upstream_remote: str | None = None
    upstream_ref: str | None = None  # the shared branch's own name there: "refs/heads/main"
    ahead: int = 0
    behind: int = 0
    remotes: tuple[str, ...] = ()
    reachable: bool | None = None  # at the last fetch (None: not fetched yet)
    reach_problem: str = ""
    fetched_at: float | None = None
    operation: Operation | None = None
    lock: Lock | None = None
    status: Status = field(default_factory=Status)

    @property
    def detached(self) -> bool:
        return self.repository and not self.problem and self.branch is None and self.head is not None

    @property
    def changes(self):
        return self.status.changes

    def publish_remote(self) -> str | None:
        """The remote a branch with no upstream would be published to: origin, or the only one."""
        if "origin" in self.remotes:
            return "origin"
        return self.remotes[0] if len(self.remotes) == 1 else None


def git_dir(root: Path) -> Path:
    return Path(run(root, "rev-parse", "--absolute-git-dir").stdout.strip())


def read_state(root: Path) -> RepoState:
    """The state now. A folder git cannot work in is a state too (``repository`` False, or a
    ``problem`` in plain words), never an exception."""
    root = Path(root)
    try:
        folder = git_dir(root)
        current = status(root)
    except VcsError as exc:
        return RepoState(repository="not a git repository" not in str(exc), problem=str(exc))
    config = _config(root)
    remotes = tuple(sorted({key.split(".")[1] for key in config if key.startswith("remote.") and key.endswith(".url")}))
    state = RepoState(branch=current.branch, head=current.head, upstream=current.upstream, ahead=current.ahead,
                      behind=current.behind, remotes=remotes, status=current)
    if current.branch:
        state.upstream_remote = config.get(f"branch.{current.branch}.remote")
        state.upstream_ref = config.get(f"branch.{current.branch}.merge")
    record = _read_json(folder / FETCH_RECORD)
    if isinstance(record, dict):
        state.reachable = bool(record.get("ok"))
        state.reach_problem = str(record.get("problem") or "")
        state.fetched_at = record.get("at") if isinstance(record.get("at"), (int, float)) else None
    state.operation = _operation(root, folder, current)
    state.lock = _lock(root, folder)
    return state


def _config(root: Path) -> dict[str, str]:
    out = run(root, "config", "-z", "--get-regexp", r"^(remote\..*\.url|branch\..*\.(remote|merge))$", check=False)
    found = {}
    for record in out.stdout.split("\0"):
        key, _, value = record.partition("\n")
        if key:
            found[key] = value
    return found


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _commit(root: Path, rev: str) -> CommitInfo | None:
    out = run(root, "log", "-1", "--format=%H%x00%an%x00%ae%x00%s", "--end-of-options", rev, "--", check=False)
    parts = out.stdout.strip("\n").split("\0")
    return CommitInfo(*parts) if out.returncode == 0 and len(parts) == 4 else None


def _first_line_of(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _operation(root: Path, folder: Path, current: Status) -> Operation | None:
    for name in ("rebase-merge", "rebase-apply"):
        place = folder / name
        if place.is_dir() and (name == "rebase-merge" or not (place / "applying").exists()):
            head_name = _first_line_of(place / "head-name")
            replaying = _first_line_of(folder / "REBASE_HEAD") or _first_line_of(place / "stopped-sha") or \
                _first_line_of(place / "original-commit")
            step = None
            done, total = _first_line_of(place / ("msgnum" if name == "rebase-merge" else "next")), \
                _first_line_of(place / ("end" if name == "rebase-merge" else "last"))
            if done.isdigit() and total.isdigit():
                step = (int(done), int(total))
            onto = _first_line_of(place / "onto")
            return Operation(REBASE, _conflicts(root, folder, current, replaying), _commit(root, replaying)
                             if replaying else None, _commit(root, onto) if onto else None,
                             head_name.removeprefix("refs/heads/") or None, step)
    for kind, head in ((MERGE, "MERGE_HEAD"), (CHERRY_PICK, "CHERRY_PICK_HEAD"), (REVERT, "REVERT_HEAD")):
        sha = _first_line_of(folder / head).split("\n")[0]
        if sha:
            return Operation(kind, _conflicts(root, folder, current, sha), None, _commit(root, sha))
    return None


def _conflicts(root: Path, folder: Path, current: Status, step: str) -> tuple[ConflictFile, ...]:
    chosen = choices(folder, step)
    found = []
    for change in current.changes:
        if change.kind != "conflicted":
            continue
        choice = chosen.get(change.path)
        if choice is None and change.code in ("UU", "AA"):  # both sides have the file: no markers left is a choice
            try:
                data = (root / change.path).read_bytes()
                if not any(line.startswith(MARKERS) for line in data.splitlines()):
                    choice = "edited"
            except OSError:
                pass
        found.append(ConflictFile(change.path, change.code, choice))
    return tuple(found)


# ---------------------------------------------------------------------------------------- records


def record_fetch(root: Path, ok: bool, problem: str = "") -> None:
    """Keep what a fetch found, for ``read_state`` (and the next start) to read; never fails."""
    try:
        data = json.dumps({"at": time.time(), "ok": ok, "problem": problem}).encode("utf-8")
        write_atomically(git_dir(root) / FETCH_RECORD, data, durable=False)
    except (OSError, VcsError):
        pass


def choices(folder: Path, step: str) -> dict[str, str]:
    record = _read_json(folder / CHOICES_RECORD)
    if not isinstance(record, dict) or record.get("step") != step or not isinstance(record.get("paths"), dict):
        return {}
    return {str(k): str(v) for k, v in record["paths"].items()}


def record_choice(root: Path, step: str, path: str, side: str) -> None:
    folder = git_dir(root)
    chosen = choices(folder, step)
    chosen[path] = side
    try:
        write_atomically(folder / CHOICES_RECORD, json.dumps({"step": step, "paths": chosen}).encode("utf-8"))
    except OSError as exc:
        raise VcsError(f"Your choice could not be kept: {exc.strerror or exc}") from None


def forget_choices(root: Path) -> None:
    try:
        (git_dir(root) / CHOICES_RECORD).unlink(missing_ok=True)
    except (OSError, VcsError):
        pass


# ---------------------------------------------------------------------------------------- locks


def _lock(root: Path, folder: Path, now: float | None = None) -> Lock | None:
    path = folder / "index.lock"
    try:
        since = path.stat().st_mtime
    except OSError:
        return None
    running = git_running(root, folder)
    age = (time.time() if now is None else now) - since
    stale = (running is False and age >= STALE_LOCK_SECONDS) or (running is None and age >= STALE_LOCK_UNSURE_SECONDS)
    return Lock(str(path), since, running, stale)


def git_running(root: Path, folder: Path) -> bool | None:
    """Whether a git program is working in this repository now: a process named git whose folder
    (or ``-C`` folder, or ``--git-dir``) is inside it. None where processes cannot be seen (no
    /proc); a git program whose folder cannot be read counts as running (it might be here)."""
    proc = Path("/proc")
    if not (proc / "self").is_dir():
        return None
    places = [os.path.realpath(root), os.path.realpath(folder)]
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            name = (entry / "comm").read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            continue
        if name != "git" and not name.startswith("git-"):
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            args = (entry / "cmdline").read_bytes().decode("utf-8", "replace").split("\0")
        except (FileNotFoundError, ProcessLookupError):
            continue  # it ended while it was looked at
        except OSError:
            return True  # it may not be looked at: it might be working here
        if not cwd or args == [""]:
            continue  # ending: a process whose folder and command are gone works nowhere
        folders = [cwd]
        for number, arg in enumerate(args):
            if arg == "-C" and number + 1 < len(args):
                folders.append(os.path.join(folders[-1], args[number + 1]))
            elif arg.startswith("--git-dir="):
                folders.append(os.path.join(cwd, arg[len("--git-dir="):]))
        if any(_within(os.path.realpath(f), place) for f in folders for place in places):
            return True
    return False


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def remove_stale_lock(root: Path) -> None:
    """Remove index.lock when it was left behind (no git program at work, old enough); refuse otherwise."""
    folder = git_dir(root)
    lock = _lock(root, folder)
    if lock is None:
        return
    if not lock.stale:
        raise VcsError("A git program is still working in this library (or the lock is only a few seconds old), "
                       "so its lock stays. Wait a moment and try again.")
    try:
        Path(lock.path).unlink(missing_ok=True)
    except OSError as exc:
        raise VcsError(f"The lock could not be removed: {exc.strerror or exc}") from None
