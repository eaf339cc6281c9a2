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
from editor.vcs.process import VcsError, backup, commit_refusal, run

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


def require_repository(root: Path) -> None:
    """A VcsError in plain words unless ``root`` is the top of a git repository."""
    with open_repo(root):
        pass


def identity(root: Path) -> Identity | None:
    with open_repo(root) as repo:
        try:
            name = repo.git.config("user.name").strip()
            email = repo.git.config("user.email").strip()
        except git.GitCommandError:
            return None
    return Identity(name, email) if name and email else None


def recorded_identities(root: Path) -> tuple[Identity, Identity] | None:
    """Who git would record as the author and as the committer of a commit made now (settings and
    GIT_AUTHOR_*/GIT_COMMITTER_* variables together), or None when git cannot tell."""
    found = []
    for variable in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        result = run(root, "var", variable, check=False)
        match = re.fullmatch(r"(.*?) ?<([^<>]*)> \d+ [+-]\d{4}", result.stdout.strip())
        if result.returncode != 0 or match is None:
            return None
        found.append(Identity(match[1].strip(), match[2].strip()))
    return found[0], found[1]


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


def commit_paths(root: Path, paths: list[str], message: str, sign: bool = False) -> str:
    """Commit exactly ``paths`` (other staged or unstaged work is left as it is); returns the commit id.
    The repository's hooks run; when the commit fails (a hook refuses, the disk is full, signing
    fails) the index is put back as it was and the VcsError says why, with the hook's own words.
    Refused in plain words where a commit cannot work (a rebase or merge unfinished, not on a branch,
    a lock): those are finished by Continue (``editor.vcs.conflicts``)."""
    from editor.vcs.advice import refusal
    from editor.vcs.state import read_state

    safe = [inside(root, p) for p in paths]
    require_repository(root)  # a plain folder is refused in plain words before anything is staged
    reason = refusal(read_state(root), "commit")
    if reason:
        raise VcsError(reason)
    staged = run(root, "ls-files", "-s", "-z", "--", *safe).stdout
    merging = run(root, "rev-parse", "-q", "--verify", "MERGE_HEAD", check=False).returncode == 0
    text = message.rstrip("\n") + "\n"
    args = ["commit", "-q", "-m", text] + (["-S"] if sign else [])
    try:
        run(root, "add", "--", *safe)
        # finishing a merge commits the whole resolution, as git requires
        result = run(root, *args, *([] if merging else ["--only", "--", *safe]), check=False, input="")
    except VcsError:
        _restore_index(root, safe, staged)
        raise
    if result.returncode != 0:
        _restore_index(root, safe, staged)
        raise VcsError(commit_refusal(result.stderr + result.stdout))
    return run(root, "rev-parse", "--verify", "HEAD").stdout.strip()


def _restore_index(root: Path, paths: list[str], staged: str) -> None:
    """Put the index entries of ``paths`` back as ``git ls-files -s -z`` listed them."""
    run(root, "rm", "-q", "--cached", "--ignore-unmatch", "--", *paths, check=False)
    if staged:
        run(root, "update-index", "-z", "--index-info", input=staged, check=False)


@dataclass(frozen=True)
class Revision:
    sha: str
    author_name: str
    author_email: str
    date: str
    subject: str
    reviewed_by: str = ""
    body: str = ""  # the rest of the message, whole (a reviewer's note, a reason for committing)


def history(root: Path, relative: str) -> list[Revision]:
    """Commits that changed a file, newest first (following renames)."""
    path = inside(root, relative)
    with open_repo(root) as repo:
        try:
            out = repo.git.log("--follow", "--format=%H%x00%an%x00%ae%x00%aI%x00%s%x00%(trailers:key=Reviewed-by,"
                               "valueonly,separator=%x2C )%x00%b%x1e", "--", path)
        except git.GitCommandError:
            return []
    records = [r.strip("\n") for r in out.split("\x1e")]
    return [Revision(*r.split("\x00", 6)) for r in records if r.count("\x00") >= 6]


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
