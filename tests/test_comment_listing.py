"""Comment folders found from the walk that lists the entries (``Repository.listing``) are the ones
a walk of every folder finds (``comments.comment_folders`` with no listing): the oracle, on
generated trees with hidden folders, comment folders inside comment folders, folders named like
entries and links to folders."""
from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from editor.content.comments import comment_folders
from editor.content.repository import Repository, walk_entries

NAMES = st.sampled_from(["a", "b", ".hidden", "x.comments", ".y.comments", "odd.md", "deep", "c.comments"])
TREES = st.recursive(st.just({}), lambda inner: st.dictionaries(NAMES, inner, max_size=4), max_leaves=14)


def _make(folder: Path, tree: dict) -> None:
    for name, below in tree.items():
        (folder / name).mkdir(exist_ok=True)
        (folder / name / "note.md").write_text("x")
        _make(folder / name, below)


def _library(root: Path, tree: dict, link: bool) -> Path:
    (root / "entries").mkdir(parents=True)
    (root / "content.yaml").write_text("app_name: Malone\n")
    (root / "modules.yaml").write_text("tabs: [home]\nmodules: []\n")
    _make(root / "entries", tree)
    if link:  # a linked folder is listed where it is, never walked into
        first = next((p for p in sorted((root / "entries").rglob("*")) if p.is_dir()), None)
        if first is not None:
            os.symlink(first, root / "entries" / "linked.comments")
            os.symlink(first, root / "entries" / ".hidden-link")
    return root


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TREES, st.booleans())
def test_comment_folders_from_the_listing_are_those_a_walk_of_every_folder_finds(tmp_path_factory, tree, link):
    root = _library(tmp_path_factory.mktemp("lib"), tree, link)
    paths, listing = walk_entries(root)
    assert comment_folders(root, listing) == comment_folders(root)
    repo = Repository.open(root)
    assert repo.paths == paths and repo.listing == listing
