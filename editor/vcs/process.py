"""Running git: the environment (no prompt, no optional locks, plain C messages), one call with a
time limit whose failure is a VcsError in plain words, and the backup commit made before anything
that moves a branch or drops a change."""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from pathlib import Path


_OBJECT_ID = re.compile(rb"[0-9a-f]{40}|[0-9a-f]{64}")


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
        raw: bool = False, input: str | bytes | None = None) -> subprocess.CompletedProcess:
    """One git command in ``root``. ``raw``: stdout and stderr as bytes, exactly as git wrote them
    (no newline translation); otherwise text. ``input``: what git reads on its standard input."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=not raw,
                                env=env or git_env(), timeout=timeout, input=input)
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


def run_bytes(root: Path, *args: str, input: bytes = b"", env: dict | None = None) -> bytes:
    """One git call whose output is bytes (objects as stored); its failure is a VcsError."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, input=input,
                                env=env or git_env(), timeout=300)
    except subprocess.TimeoutExpired:
        raise VcsError(f"git {args[0]} took longer than five minutes and was stopped") from None
    if result.returncode != 0:
        raise VcsError(explain(result.stderr.decode("utf-8", "replace")))
    return result.stdout


def objects(root: Path, names: list[str], env: dict | None = None) -> dict[str, bytes | None]:
    """Many objects (``sha``, ``sha:path``) read in one ``git cat-file --batch`` call: each name to
    its bytes, or None when it does not exist or is not a file."""
    wanted = [n for n in dict.fromkeys(names) if "\n" not in n]
    found: dict[str, bytes | None] = {n: None for n in names}
    if not wanted:
        return found
    out = run_bytes(root, "cat-file", "--batch", input="".join(f"{n}\n" for n in wanted).encode(), env=env)
    at = 0
    for name in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split(b" ")
        at = end + 1
        if len(header) == 3 and _OBJECT_ID.fullmatch(header[0]) and header[2].isdigit():
            # "<id> <type> <size>", then the bytes and a newline; otherwise "<name> missing"
            size = int(header[2])
            if header[1] in (b"blob", b"commit"):
                found[name] = out[at:at + size]
            at += size + 1
    return found


class ObjectReader:
    """One ``git cat-file --batch`` process answering object reads one at a time (``sha``,
    ``sha:path``): bytes, or None when it does not exist or is not a file. Use it in a ``with``."""

    def __init__(self, root: Path, env: dict | None = None):
        self._process = subprocess.Popen(["git", "-C", str(root), "cat-file", "--batch"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env or git_env())
        self._cache: dict[str, bytes | None] = {}

    def __enter__(self) -> "ObjectReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process.stdout.close()

    def read(self, name: str) -> bytes | None:
        if name in self._cache:
            return self._cache[name]
        found = None
        if "\n" not in name:
            try:
                self._process.stdin.write(f"{name}\n".encode())
                self._process.stdin.flush()
                header = self._process.stdout.readline().rstrip(b"\n").split(b" ")
                if len(header) == 3 and _OBJECT_ID.fullmatch(header[0]) and header[2].isdigit():
                    data = self._process.stdout.read(int(header[2]) + 1)[:-1]
                    found = data if header[1] in (b"blob", b"commit") else None
                elif header == [b""]:
                    raise VcsError("git stopped answering while the history was read")
            except (BrokenPipeError, OSError):
                raise VcsError("git stopped answering while the history was read") from None
        self._cache[name] = found
        return found


def object_ids(root: Path, names: list[str], env: dict | None = None) -> dict[str, str | None]:
    """The object id each name (``sha:path``) stands for, in one ``git cat-file --batch-check``
    call; None when it does not exist."""
    wanted = [n for n in dict.fromkeys(names) if "\n" not in n]
    found: dict[str, str | None] = {n: None for n in names}
    if wanted:
        out = run_bytes(root, "cat-file", "--batch-check", input="".join(f"{n}\n" for n in wanted).encode(), env=env)
        for name, line in zip(wanted, out.decode("utf-8", "replace").splitlines()):
            parts = line.split(" ")
            blob = len(parts) == 3 and _OBJECT_ID.fullmatch(parts[0].encode()) and parts[1] == "blob"
            found[name] = parts[0] if blob else None
    return found


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


def commit_refusal(text: str) -> str:
    """Why ``git commit`` failed, in plain words: a full disk, a missing identity, a signature that
    could not be made, or a hook's refusal with the hook's own words (git prefixes its own errors
    with "fatal:" or "error:"; what a hook prints comes as it is)."""
    lines = [line.rstrip() for line in text.strip().splitlines() if not line.lower().startswith("hint:")]
    lowered = text.lower()
    if "no space left on device" in lowered:
        return "git could not commit: there is no space left on the disk (no space left on device)."
    if "author identity unknown" in lowered or "please tell me who you are" in lowered:
        return explain(text)
    if "nothing to commit" in lowered or "no changes added to commit" in lowered:
        return "there is nothing to commit: the files are as the last commit has them."
    if "failed to write commit object" in lowered and ("sign" in lowered or "ssh-keygen" in lowered):
        reason = next((line for line in lines if "failed to write commit object" not in line.lower()), "")
        return f"git could not sign the commit: {_first_line(reason) if reason else 'the signing program failed.'}"
    if any(line.lower().startswith(("fatal:", "error:")) for line in lines[:1]):
        return f"git could not commit: {explain(text)}"
    said = "\n".join(lines[:20]).strip()[:2000]
    return ("A commit hook of this repository refused the commit" +
            (f" and said:\n{said}" if said else " without saying why."))


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
