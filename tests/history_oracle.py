"""The former ``introducing_commit`` of ``editor/vcs/provenance.py`` (one ``git log -- path`` per entry
and round, a ``git diff-tree`` per rename), kept unchanged as the oracle the history read once is
compared with (tests/test_history_once.py). Not used by the editor."""
from __future__ import annotations

from pathlib import Path

from editor.vcs.provenance import History, _git


def _rename_source(root: Path, parent: str, sha: str, path: str) -> str | None:
    out = _git(root, "diff-tree", "-r", "-z", "-M", "--diff-filter=R", "--name-status", parent, sha)
    fields = out.split("\0")
    for index in range(0, len(fields) - 2, 3):
        if fields[index].startswith("R") and fields[index + 2] == path:
            return fields[index + 1]
    return None


def introducing_commit(history: History, path: str, block: str) -> str | None:
    """The commit that made the review block ``block`` of ``path`` as HEAD has it: walking back while
    a parent (at the file's path there, through renames) already had the same block."""
    root = history.root
    start = "HEAD"
    for _ in range(1000):  # one round per rename
        # the file's own history, simplified as git does (a merge that kept one side's file follows that
        # side), with each commit's parents rewritten to the commits of that history
        lines = [line.split() for line in _git(root, "log", "--parents", "--topo-order", "--format=%H %P",
                                                start, "--", path).splitlines() if line]
        if not lines:
            return None
        parents = {sha: rest for sha, *rest in lines}
        current = lines[0][0]
        while True:
            following = next((p for p in parents.get(current, []) if history.block(p, path) == block), None)
            if following is None:
                break
            current = following
        moved = None
        for parent in history.commit(current).parents:  # renamed here, or from a side the log left out?
            there = path if history.read(f"{parent}:{path}") is not None else _rename_source(root, parent, current, path)
            if there is not None and history.block(parent, there) == block:
                moved = parent, there
                break
        if moved is None:
            return current
        start, path = moved
    return None
