"""Git for the core: identity, safe paths, commits of chosen files, and file history.

Every write goes through ``repo.git.*`` (so hooks and .gitattributes apply), every ``Repo`` is
closed (each keeps ``git cat-file`` processes otherwise), paths always come after ``--`` so text
from content can never become an option, and no credential prompt can hang (GIT_TERMINAL_PROMPT=0).
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from editor.content.paths import UnsafePath, relative_inside
from editor.lazy import lazy
from editor.vcs.process import VcsError, backup, command_error, run

git = lazy("git")  # GitPython costs a fifth of a second: paid by the first git task, not at start-up

_HEX = re.compile(r"[0-9a-fA-F]{4,64}")
os.environ.setdefault("GIT_TERMINAL_PROMPT", "0")


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


@contextmanager
def open_repo(root: Path):
    try:
        repo = git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise VcsError(f"{root} is not a git repository: history and review need one "
                       "(create it with 'git init' or clone the team's repository)") from None
    try:
        yield repo
    finally:
        repo.close()


def identity(root: Path) -> Identity | None:
    with open_repo(root) as repo:
        try:
            name = repo.git.config("user.name").strip()
            email = repo.git.config("user.email").strip()
        except git.GitCommandError:
            return None
    return Identity(name, email) if name and email else None


def inside(root: Path, relative: str) -> str:
    """``relative`` as a repository path, refused when it points outside the repository: absolute
    elsewhere, ``..``, or a symbolic link that leads outside."""
    try:
        return relative_inside(root, relative)
    except UnsafePath as exc:
        raise VcsError(str(exc)) from None


def revision(sha: str) -> str:
    """A commit id as git printed it (hex), never anything git could read as an option or a range."""
    if not isinstance(sha, str) or not _HEX.fullmatch(sha):
        raise VcsError(f"{sha!r} is not a commit id")
    return sha


def commit_paths(root: Path, paths: list[str], message: str) -> str:
    """Commit exactly ``paths`` (other staged or unstaged work is left as it is); returns the commit id.
    Refused in plain words where a commit cannot work (a rebase or merge unfinished, not on a branch,
    a lock); a commit that fails leaves nothing staged that was not staged before."""
    from editor.vcs.advice import refusal
    from editor.vcs.state import read_state

    safe = [inside(root, p) for p in paths]
    reason = refusal(read_state(root), "commit")
    if reason:
        raise VcsError(reason)
    listed = run(root, "diff", "--cached", "--name-only", "-z", "--", *safe, check=False).stdout
    staged_before = set(listed.split("\0"))
    with open_repo(root) as repo:
        try:
            repo.git.add("--", *safe)
            repo.git.commit("--no-verify", "-m", message.rstrip("\n") + "\n", "--only", "--", *safe)
            return repo.head.commit.hexsha
        except git.GitCommandError as exc:
            added = [p for p in safe if p not in staged_before]
            if added:
                run(root, "reset", "-q", "--", *added, check=False)
            raise VcsError(f"git could not commit: {command_error(exc)}") from None


@dataclass(frozen=True)
class Revision:
    sha: str
    author_name: str
    author_email: str
    date: str
    subject: str
    reviewed_by: str = ""


def history(root: Path, relative: str) -> list[Revision]:
    """Commits that changed a file, newest first (following renames)."""
    path = inside(root, relative)
    with open_repo(root) as repo:
        try:
            out = repo.git.log("--follow", "--format=%H%x00%an%x00%ae%x00%aI%x00%s%x00%(trailers:key=Reviewed-by,"
                               "valueonly,separator=%x2C )%x1e", "--", path)
        except git.GitCommandError:
            return []
    records = [r.strip("\n") for r in out.split("\x1e")]
    return [Revision(*r.split("\x00", 5)) for r in records if r.count("\x00") == 5]


def word_diff(root: Path, relative: str, sha: str | None = None) -> str:
    """``git diff --word-diff=porcelain`` of a file: in the working tree, or in one commit."""
    path = inside(root, relative)
    with open_repo(root) as repo:
        try:
            if sha is None:
                return repo.git.diff("--word-diff=porcelain", "HEAD", "--", path)
            return repo.git.show("--format=", "--word-diff=porcelain", "--end-of-options", revision(sha), "--", path)
        except git.GitCommandError:
            return ""


def set_identity(root: Path, name: str, email: str) -> None:
    """Values follow the key, so git reads them as values whatever they look like."""
    if not name.strip() or "\n" in name + email or "@" not in email:
        raise VcsError("Give a name and an email address (one line each)")
    with open_repo(root) as repo:
        repo.git.config("user.name", name)
        repo.git.config("user.email", email)


def discard(root: Path, relative: str) -> None:
    """Put a file back as the last commit has it (or remove it when it is new); back it up first."""
    path = inside(root, relative)
    backup(root, f"discarding {path}")
    with open_repo(root) as repo:
        tracked = bool(repo.git.ls_files("--", path).strip())
        if tracked:
            repo.git.checkout("HEAD", "--", path)
        else:
            (Path(root) / path).unlink(missing_ok=True)  # inside() refused a link leading outside


def file_at(root: Path, sha: str, relative: str) -> str | None:
    """The file's text at a commit, or None when it did not exist there."""
    path = inside(root, relative)
    blob = f"{revision(sha)}:{path}"
    with open_repo(root) as repo:
        try:
            return repo.git.show("--end-of-options", blob, strip_newline_in_stdout=False)
        except git.GitCommandError:
            return None
