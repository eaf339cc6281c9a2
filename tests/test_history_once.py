"""``check --verify-history`` reads the history once (issue 20): for every entry of many generated
histories, the commit it finds as the one that made a review block, and the findings, are those of
the former per-entry walk (tests/history_oracle.py), and the history read once decides every one of
them itself (no entry falls back to the old walk unless its name is one git reads as a pattern)."""
from __future__ import annotations

import os
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import history_oracle
from history_cases import ANA, MAYA, Maker, make
from editor.content.repository import Repository
from editor.vcs import provenance
from editor.vcs.path_history import PathHistory, Undecided, plain_path
from editor.vcs.process import ObjectReader
from editor.vcs.provenance import History, _env, verify_history
from editor.vcs.review_blocks import Blocks, review_block

SEEDS = range(int(os.environ.get("HISTORY_SEEDS", "16")))


def cases(maker: Maker) -> list[tuple[str, str]]:
    """Every entry at HEAD with its block, and each with every other block its path ever held."""
    found = []
    for path in maker.files():
        block = review_block((maker.root / path).read_bytes())
        for other in sorted(({block} | {review_block(f"---\n{b}---\n") for b in maker.blocks.get(path, ())}) - {None}):
            found.append((path, other))
    return found


def compare(root, pairs) -> int:
    """Asserts the two walks agree on every (path, block); returns how many were decided fast."""
    fast = 0
    with ObjectReader(root, env=_env()) as reader:
        history = History(root, reader)
        history.blocks = lambda name: review_block(reader.read(name))  # the oracle reads each version itself
        once = PathHistory.read(root, _env())
        assert once.certain
        blocks = Blocks(reader.read)
        for path, block in pairs:
            expected = history_oracle.introducing_commit(history, path, block)
            try:
                got = once.introducing(path, block, blocks)
            except Undecided:
                assert not plain_path(path) or expected is None, (path, expected)
                continue
            fast += 1
            assert got == expected, (path, block, subprocess.run(["git", "-C", str(root), "log", "--graph",
                                                                  "--oneline", "--name-status", "-M", "-m"],
                                                                 capture_output=True, text=True).stdout)
    return fast


def findings_both_ways(root, monkeypatch):
    new = verify_history(Repository.open(root))
    with monkeypatch.context() as patch:
        patch.setattr(History, "introducing", lambda self, path, block: history_oracle.introducing_commit(self, path, block))
        patch.setattr(History, "block", lambda self, sha, path: review_block(self.read(f"{sha}:{path}")))
        old = verify_history(Repository.open(root))
    return new, old


@pytest.mark.parametrize("seed", SEEDS)
def test_the_history_read_once_agrees_with_the_walk_per_entry(tmp_path, seed, monkeypatch):
    maker = make(tmp_path / "lib", seed, steps=45)
    pairs = cases(maker)
    assert pairs
    assert compare(maker.root, pairs) == len(pairs)  # every name here is plain: none falls back
    new, old = findings_both_ways(maker.root, monkeypatch)
    assert new == old


def test_the_generated_histories_hold_what_they_should(tmp_path):
    """The generator makes the cases the oracle test is about (else agreement would prove little):
    blocks made on a merged side, before a rename, or by the merge itself."""
    seen = set()
    for seed in range(6):
        maker = make(tmp_path / f"lib{seed}", seed, steps=45)
        root = maker.root
        mainline = set(subprocess.run(["git", "-C", str(root), "rev-list", "--first-parent", "HEAD"],
                                      capture_output=True, text=True).stdout.split())
        with ObjectReader(root, env=_env()) as reader:
            history = History(root, reader)
            for path, block in cases(maker):
                sha = history_oracle.introducing_commit(history, path, block)
                if sha and sha not in mainline:
                    seen.add("made on a side")
                if sha and reader.read(f"{sha}:{path}") is None:
                    seen.add("made before a rename")
                if sha and len(history.commit(sha).parents) > 1:
                    seen.add("made by a merge")
        log = subprocess.run(["git", "-C", str(root), "-c", "core.quotePath=false", "log", "-m", "-M", "--raw",
                              "--format=P %P%nA %ae%nC %ce"], capture_output=True, text=True, check=True).stdout
        for line in log.splitlines():
            if line.startswith("P ") and len(line.split()) >= 3:
                seen.add("merge")
            if line.startswith("P ") and len(line.split()) >= 4:
                seen.add("octopus")
            if "\tR" in line or line.split("\t")[0].endswith(("R100", "R099", "R098")) or " R" in line.split("\t")[0]:
                seen.add("rename")
            if any(ord(c) > 127 for c in line):
                seen.add("non-ascii")
        for a, c in zip(log.splitlines(), log.splitlines()[1:]):
            if a == f"A {ANA[1]}" and c == f"C {MAYA[1]}":
                seen.add("forged-author")
        subjects = subprocess.run(["git", "-C", str(root), "log", "--format=%s"], capture_output=True, text=True).stdout
        seen |= {word for word in ("Revert", "cherry picked", "Rename a folder", "Add again") if word in subjects}
    assert {"merge", "octopus", "rename", "non-ascii", "forged-author", "Revert", "Rename a folder",
            "Add again", "made on a side", "made before a rename", "made by a merge"} <= seen, seen


def test_a_path_git_would_read_as_a_pattern_is_walked_the_old_way(tmp_path, monkeypatch):
    maker = Maker(tmp_path / "lib", 7)
    maker.write("entries/sleep/rest[1].md", True)
    maker.write("entries/sleep/rest1.md", True)
    maker.commit(ANA, "Approve both")
    maker.edit()
    calls = []
    monkeypatch.setattr(provenance, "introducing_commit",
                        lambda history, path, block: calls.append(path) or history_oracle.introducing_commit(
                            history, path, block))
    new = verify_history(Repository.open(maker.root))
    assert "entries/sleep/rest[1].md" in calls and "entries/sleep/rest1.md" not in calls
    monkeypatch.undo()
    assert compare(maker.root, cases(maker)) == len(cases(maker)) - 1
    assert new == findings_both_ways(maker.root, monkeypatch)[1]


_PIECES = st.sampled_from(["---\n", "--- \r\n", "---", "\ufeff", "review:\n", "  reviewer: ana@example.org\n",
                           "  reviewed_on: 2026-01-02\n", "  a: [1, 2\n", "review: x\n", "\r\n", "\n", "body\n",
                           "\x00", "\xff", "  b: &x 1\n", "---\t\n", "\u00e9", "id: x\n", "  c: {d: 1}\n"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=12), st.lists(_PIECES, max_size=6))
def test_versions_sharing_their_frontmatter_text_share_one_reading_and_nothing_else(first, second):
    """The cache the walk reads blocks through gives, for every version, what reading it alone does."""
    def raw(pieces):
        return "".join(pieces).encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff")
    stored = {"a": raw(first), "b": raw(first + second), "c": raw(first[:3] + second), "d": raw(second + first)}
    blocks = Blocks(stored.get)
    for name in ["a", "b", "c", "d", "a"]:
        assert blocks(name) == review_block(stored[name]), stored[name]
    for pieces in (first, second, first + second):
        text = "".join(pieces)
        assert blocks.of_text(text) == review_block(text), text


def test_the_users_git_settings_change_nothing(tmp_path, monkeypatch):
    """Settings that change what git log prints (merges' diffs, copies, roots, quoting, prefixes)."""
    maker = make(tmp_path / "lib", 3, steps=30)
    for key, value in [("log.diffMerges", "first-parent"), ("diff.renames", "copies"), ("log.showRoot", "false"),
                       ("core.quotePath", "true"), ("diff.noprefix", "true"), ("diff.relative", "true"),
                       ("log.decorate", "full"), ("diff.ignoreSubmodules", "all"), ("log.abbrevCommit", "true")]:
        maker.git("config", key, value)
    pairs = cases(maker)
    assert compare(maker.root, pairs) == len(pairs)
    new, old = findings_both_ways(maker.root, monkeypatch)
    assert new == old


def test_a_name_that_was_a_folder_once_is_walked_the_old_way(tmp_path, monkeypatch):
    """A pathspec names a folder's files too: where an entry's name was a folder at some commit, the
    old walk decides, and agrees."""
    maker = Maker(tmp_path / "lib", 5)
    maker.write("entries/sleep/x.md/inner.md", True)
    maker.commit(ANA, "A folder named like a file")
    maker.git("rm", "-q", "-r", "entries/sleep/x.md")
    maker.write("entries/sleep/x.md", True)
    maker.commit(ANA, "Now a file")
    maker.edit()
    calls = []
    monkeypatch.setattr(provenance, "introducing_commit", lambda history, path, block: calls.append(path) or
                        history_oracle.introducing_commit(history, path, block))
    new = verify_history(Repository.open(maker.root))
    assert calls == ["entries/sleep/x.md"]
    monkeypatch.undo()
    assert new == findings_both_ways(maker.root, monkeypatch)[1]
