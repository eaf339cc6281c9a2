"""The history of HEAD read once, for every path at the same time: which commits changed which path
against which parent (one ``git log -m --raw -M`` over the whole history), and from that, in
memory, what ``git log --topo-order --parents HEAD -- PATH`` would say about one path: git's own
history simplification (a commit that left the path as a parent had it is left out, a merge follows
the first parent that had the path as the merge has it) and parent rewriting.

It answers questions about a path (the file's blob at a commit, the rewritten parents of a commit,
where a rename brought the file from) without another git call. Where it cannot be certain that
its answer is git's (a path that a pathspec would read as a pattern, a submodule, output it cannot
place), it raises ``Undecided`` and the caller asks git itself, as before.
"""
from __future__ import annotations

import subprocess
import threading
from bisect import bisect_right
from pathlib import Path

from editor.vcs.process import VcsError, explain

_LOG = ["-c", "log.showSignature=false", "-c", "core.quotePath=false", "-c", "color.ui=false", "-c", "log.follow=false",
        "-c", "log.diffMerges=separate", "log", "-m", "--root", "--raw", "-M", "-z", "--no-abbrev",
        "--ignore-submodules=none", "--no-ext-diff", "--format=%x1e%H %T %P", "HEAD", "--"]

_PATTERN = set("*?[]\\\n:")  # a pathspec would read these as a pattern or magic (or cat-file cannot name them)
_GITLINK = b"160000"


class Undecided(Exception):
    """This history cannot say with certainty what git would: ask git."""


def plain_path(path: str) -> bool:
    """Whether git reads ``path`` in a pathspec (and in ``sha:path``) as exactly this name."""
    if not path or path.startswith("/") or _PATTERN & set(path) or any(ord(c) < 32 for c in path):
        return False
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class PathHistory:
    """Every commit of HEAD's history with its parents, and for every path the commits that changed
    it (against which parent), the blob it got, and the renames that brought it."""

    def __init__(self):
        self.parents: dict[str, tuple[str, ...]] = {}
        self.trees: dict[str, str] = {}
        self.head: str | None = None  # the first commit git log prints: HEAD
        self.certain = True  # False: some output could not be placed; nothing is answered
        self._touched: dict[str, dict[str, set[int]]] = {}  # path -> commit -> parents it differs from
        self._folders: set[str] = set()  # every folder any commit had a file in
        self._blobs: dict[str, dict[str, tuple[bytes, str] | None]] = {}  # path -> commit -> (mode, blob) vs 1st parent
        self._renames: dict[tuple[str, int], dict[str, str]] = {}  # (commit, parent index) -> new path -> old path
        self._order: dict[str, int] = {}  # place in git log's output (newest first)
        self._tin: dict[str, int] = {}
        self._tout: dict[str, int] = {}
        self._sorted: dict[tuple[int, str], tuple[list[int], list[str]]] = {}

    @classmethod
    def read(cls, root: Path, env: dict) -> "PathHistory":
        return Reading(root, env).result()

    def _load(self, out: bytes) -> None:
        sections: dict[str, list[list]] = {}
        tokens = out.split(b"\0")
        index, count = 0, len(tokens)
        records = None
        while index < count:
            token = tokens[index].lstrip(b"\n")
            index += 1
            if token.startswith(b"\x1e"):
                sha, tree, *parents = token[1:].decode("ascii").split()
                self.parents[sha], self.trees[sha] = tuple(parents), tree
                self.head = self.head or sha
                self._order.setdefault(sha, len(self._order))
                records = []
                sections.setdefault(sha, []).append(records)
            elif token.startswith(b":") and records is not None:
                meta = token[1:].split(b" ")
                status = meta[-1][:1] if len(meta) == 5 else b"?"
                width = 2 if status in (b"R", b"C") else 1
                names = [name.decode("utf-8", "surrogateescape") for name in tokens[index:index + width]]
                index += width
                if status == b"?" or len(names) != width:
                    self.certain = False
                    return
                records.append((status, meta[1], meta[3], names))
            elif token:
                self.certain = False
                return
        for sha, found in sections.items():
            self._place(sha, [section for section in found if section])
        for name in self._touched:
            parts = name.split("/")
            self._folders.update("/".join(parts[:depth]) for depth in range(1, len(parts)))
        self._number()

    def _place(self, sha: str, sections: list[list]) -> None:
        """Each diff git printed belongs to the next parent whose tree differs (an empty diff is not printed)."""
        parents = self.parents[sha]
        if not parents:
            differing = [0] if sections else []
        elif any(p not in self.trees for p in parents):
            self.certain = False
            return
        else:
            differing = [i for i, p in enumerate(parents) if self.trees[p] != self.trees[sha]]
        if len(differing) != len(sections):
            self.certain = False
            return
        for number, records in zip(differing, sections):
            for status, mode, blob, names in records:
                if status == b"C":
                    self.certain = False
                    return
                for name in names:
                    self._touch(name, sha, number)
                if number:
                    if status == b"R":
                        self._renames.setdefault((sha, number), {}).setdefault(names[1], names[0])
                    continue
                if status == b"R":
                    self._renames.setdefault((sha, 0), {}).setdefault(names[1], names[0])
                    self._blobs.setdefault(names[0], {})[sha] = None
                self._blobs.setdefault(names[-1], {})[sha] = None if status == b"D" else (mode, blob.decode("ascii"))

    def _touch(self, name: str, sha: str, number: int) -> None:
        self._touched.setdefault(name, {}).setdefault(sha, set()).add(number)

    def _number(self) -> None:
        """Each commit's place in the tree of first parents (preorder in, after its descendants out)."""
        children: dict[str, list[str]] = {}
        roots = []
        for sha, parents in self.parents.items():
            if parents:
                children.setdefault(parents[0], []).append(sha)
            else:
                roots.append(sha)
        counter = 0
        for root in roots:
            self._tin[root] = counter
            counter += 1
            stack = [(root, iter(children.get(root, ())))]
            while stack:
                node, rest = stack[-1]
                child = next(rest, None)
                if child is None:
                    self._tout[node] = counter
                    stack.pop()
                    continue
                self._tin[child] = counter
                counter += 1
                stack.append((child, iter(children.get(child, ()))))
        if len(self._tin) != len(self.parents):
            self.certain = False

    def _nearest(self, sha: str, table: dict[str, object], kind: int, path: str) -> str | None:
        """The nearest commit of ``table`` among ``sha`` and its first parent, its first parent's, ..."""
        key = (kind, path)
        if key not in self._sorted:
            ordered = sorted(table, key=self._tin.__getitem__)
            self._sorted[key] = ([self._tin[c] for c in ordered], ordered)
        tins, shas = self._sorted[key]
        here = self._tin[sha]
        at = bisect_right(tins, here) - 1
        while at >= 0:
            if self._tout[shas[at]] > here:
                return shas[at]
            at -= 1
        return None

    def recent_blobs(self, path: str, count: int) -> list[str]:
        """The blobs of the ``count`` newest commits that changed ``path`` against their first parent."""
        table = self._blobs.get(path, {})
        newest = sorted(table, key=self._order.__getitem__)[:count]
        return [table[sha][1] for sha in newest if table[sha] is not None and table[sha][0] != _GITLINK]

    def blob(self, sha: str, path: str) -> str | None:
        """The blob ``path`` holds in commit ``sha`` (None when it holds no file there)."""
        table = self._blobs.get(path)
        found = self._nearest(sha, table, 0, path) if table else None
        if found is None:
            return None
        value = table[found]
        if value is not None and value[0] == _GITLINK:
            raise Undecided(path)
        return value[1] if value else None

    def rewritten(self, sha: str, path: str) -> str | None:
        """The commit git's simplified history of ``path`` shows in place of ``sha``: following the
        parent whose ``path`` is as the commit has it, to the first commit that changed it (None when
        the history ends before one did)."""
        table = self._touched.get(path)
        while table:
            found = self._nearest(sha, table, 1, path)
            if found is None:
                return None
            parents = self.parents[found]
            differs = table[found]
            same = next((p for i, p in enumerate(parents) if i not in differs), None)
            if same is None:
                return found
            sha = same
        return None

    def parents_of(self, sha: str, path: str) -> list[str]:
        """The parents of ``sha`` in the simplified history of ``path``, rewritten as git does."""
        found = []
        for parent in self.parents[sha]:
            shown = self.rewritten(parent, path)
            if shown is not None and shown not in found:
                found.append(shown)
        return found

    def rename_source(self, sha: str, number: int, path: str) -> str | None:
        """The path ``path`` was renamed from between parent ``number`` of ``sha`` and ``sha``."""
        return self._renames.get((sha, number), {}).get(path)

    def introducing(self, path: str, block: str, block_of) -> str | None:
        """As ``provenance.introducing_commit``: the commit that made the review block ``block`` of
        ``path`` as HEAD has it, ``block_of(blob)`` giving a blob's review block."""
        if not self.certain:
            raise Undecided(path)
        start = self.head

        def at(sha: str, where: str) -> str | None:
            if not plain_path(where):
                raise Undecided(where)
            blob = self.blob(sha, where)
            return block_of(blob) if blob is not None else None

        for _ in range(1000):  # one round per rename
            if start is None or not plain_path(path) or path in self._folders:
                raise Undecided(path)  # a folder's name at some commit: a pathspec names its files too
            current = self.rewritten(start, path)
            if current is None:
                return None
            while True:
                following = next((p for p in self.parents_of(current, path) if at(p, path) == block), None)
                if following is None:
                    break
                current = following
            moved = None
            for number, parent in enumerate(self.parents[current]):
                there = path if self.blob(parent, path) is not None else self.rename_source(current, number, path)
                if there is not None and at(parent, there) == block:
                    moved = parent, there
                    break
            if moved is None:
                return current
            start, path = moved
        return None


class Reading:
    """The history's ``git log`` running in the background (so the caller's own work overlaps it),
    read in full by a thread; ``result()`` waits for it, ``close()`` stops it if nobody does."""

    def __init__(self, root: Path, env: dict):
        self._output: tuple[bytes, bytes] | None = None
        try:
            self._process = subprocess.Popen(["git", "-C", str(root), *_LOG], stdin=subprocess.DEVNULL,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        except OSError as exc:
            raise VcsError(f"git could not be started ({exc.strerror or exc}); is it installed?") from None
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        self._output = self._process.communicate()

    def result(self, timeout: float = 300) -> PathHistory:
        self._thread.join(timeout)
        if self._thread.is_alive():
            self.close()
            raise VcsError("git log took longer than five minutes and was stopped; nothing was lost")
        out, errors = self._output or (b"", b"")
        if self._process.returncode != 0:
            raise VcsError(explain(errors.decode("utf-8", "replace")))
        history = PathHistory()
        history._load(out)
        return history

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._thread.join(10)
