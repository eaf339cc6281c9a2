"""Running git: the environment (no prompt, no optional locks, plain C messages), one call with a
time limit whose failure is a VcsError in plain words, and the backup commit made before anything
that moves a branch or drops a change."""
from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path


class VcsError(Exception):
    """A git operation could not be done; the message says why and what to do."""


CREDENTIALS_HELP = ("git could not sign in to the remote and will not ask in a window. Set up credentials once "
                    "in a terminal (for example 'git config --global credential.helper store' and one "
                    "'git fetch'), or use an SSH remote with a key.")


def git_env() -> dict:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    env.pop("GIT_DIR", None)
    return env


def run(root: Path, *args: str, env: dict | None = None, check: bool = True, timeout: int = 300,
        raw: bool = False) -> subprocess.CompletedProcess:
    """One git command in ``root``. ``raw``: stdout and stderr as bytes, exactly as git wrote them
    (no newline translation); otherwise text."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=not raw,
                                env=env or git_env(), timeout=timeout)
    except subprocess.TimeoutExpired:
        raise VcsError(f"git {args[0]} took longer than {_duration(timeout)} and was stopped; nothing was "
                       "lost") from None
    except OSError as exc:  # git itself could not be started
        raise VcsError(f"git could not be started ({exc.strerror or exc}); is it installed?") from None
    if check and result.returncode != 0:
        errors = result.stderr or result.stdout
        raise VcsError(explain(errors.decode("utf-8", "replace") if raw else errors))
    return result


def _duration(seconds: int) -> str:
    return f"{seconds // 60} minutes" if seconds >= 120 else f"{seconds} seconds"


def explain(text: str) -> str:
    """git's own words, made plain where we know what they mean."""
    text = text.strip()
    lowered = text.lower()
    if "terminal prompts disabled" in lowered or "could not read username" in lowered or \
            "authentication failed" in lowered:
        return CREDENTIALS_HELP
    if "could not resolve host" in lowered or "unable to access" in lowered:
        return f"The remote cannot be reached right now; your work is safe here. ({text.splitlines()[-1]})"
    if "does not appear to be a git repository" in lowered or "no configured push destination" in lowered or \
            "could not read from remote repository" in lowered:
        return ("The shared repository cannot be found or read: check the remote's address with the person who "
                "set it up. Your work is safe here.")
    if "not a git repository" in lowered:
        return "This library is not a git repository, so there is no history, change list or sync here."
    if "dubious ownership" in lowered:
        return ("This library's folder belongs to another user account, so git will not work in it for you. "
                "Ask whoever set it up, or mark it as safe once in a terminal: git config --global --add "
                "safe.directory FOLDER.")
    if "author identity unknown" in lowered or "please tell me who you are" in lowered:
        return ("Your git identity is not set: run git config user.name \"Your Name\" and "
                "git config user.email you@example.org")
    for needles, words in _PLAIN:
        if any(needle in lowered for needle in needles):
            return words
    return _first_line(text)


# what git says (lower case) -> what it means for the writer; each keeps the reason that matters
_PLAIN = [
    (("no space left on device", "disk quota exceeded"),
     "The disk is full (no space left on device), so git could not write. Free some space and try again; "
     "nothing was lost."),
    (("index.lock", "another git process seems to be running"),
     "Another git program is working in this library right now, or one stopped halfway and left its lock "
     "behind. Wait a moment and try again; the Changes panel says more and can remove a lock left behind."),
    (("read-only file system", "permission denied", "insufficient permission"),
     "git may not write in this library's folder (permission denied or a read-only disk). Nothing was changed."),
    (("you have not concluded your merge", "merge_head exists", "merging is not possible because you have unmerged",
      "you have unmerged paths", "unmerged files"),
     "A merge is not finished yet: choose a version of each entry that changed on both sides, then Continue "
     "(or Abort to go back to how things were)."),
    (("rebase in progress", "it seems that there is already a rebase", "rebase-merge directory"),
     "Putting your changes on top of the shared library (a rebase) is not finished yet: choose a version of "
     "each entry that changed on both sides, then Continue (or Abort to go back to how things were)."),
    (("would be overwritten by merge", "would be overwritten by checkout", "your local changes to the following files",
      "you have unstaged changes", "your index contains uncommitted changes", "cannot pull with rebase"),
     "You have changes that are not committed yet in files this step would change. Commit them (or discard them; "
     "a backup is kept) and try again. Nothing was changed."),
    (("no upstream", "no tracking information", "has no upstream branch"),
     "This branch is not shared yet, so there is nothing to pull or push: publish it first."),
    (("not a valid object name", "unknown revision", "bad revision", "ambiguous argument"),
     "git could not find a commit this step needs (the history may have changed underneath); nothing was changed."),
]


def command_error(exc: Exception) -> str:
    """The plain words for a GitPython GitCommandError (its stderr comes wrapped as "stderr: '...'")."""
    text = str(getattr(exc, "stderr", "") or getattr(exc, "stdout", "") or "").strip()
    if text.startswith("stderr:"):
        text = text[len("stderr:"):].strip()
    return explain(text.strip("'"))


def _first_line(text: str) -> str:
    """git's first line that says what happened, without its "fatal:" or "error:" and without hints."""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.lower().startswith(("hint:", "stderr:", "cmdline:")):
            continue
        for prefix in ("fatal:", "error:", "remote:"):
            if line.lower().startswith(prefix):
                line = line[len(prefix):].strip()
        return (line[:1].upper() + line[1:]).rstrip(".") + "." if line else "git failed."
    return "git failed without saying why."


def backup(root: Path, reason: str) -> str:
    """Snapshot every file of the working tree (untracked too) into a commit under
    refs/malone/backups/, leaving the files and the index exactly as they are."""
    handle, index = tempfile.mkstemp(prefix="malone-index-")
    os.close(handle)
    os.unlink(index)
    env = dict(git_env(), GIT_INDEX_FILE=index)
    try:
        head = run(root, "rev-parse", "--verify", "-q", "HEAD", check=False).stdout.strip()
        if head:
            run(root, "read-tree", "HEAD", env=env)
        run(root, "add", "-A", "--", ".", env=env)
        tree = run(root, "write-tree", env=env).stdout.strip()
        parents = ["-p", head] if head else []
        stamp = time.strftime("%Y%m%d-%H%M%S")
        commit = run(root, "-c", "user.name=Malone Editor", "-c", "user.email=backup@malone-editor.invalid",
                      "commit-tree", tree, *parents, "-m", f"Backup before {reason} ({stamp})\n").stdout.strip()
        ref = f"refs/malone/backups/{stamp}-{commit[:8]}"
        run(root, "update-ref", ref, commit)
        return ref
    finally:
        if os.path.exists(index):
            os.unlink(index)
